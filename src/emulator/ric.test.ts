import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  type InvokeWithResponseStreamCompleteEvent,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import type { FunctionDefinition } from './function-config.js';

// AWS's official Node runtime client, aws-lambda-ric 3.3.0 (installed into test/ric by scripts/setup-ric.sh),
// as the functions' runtime command: the emulator must serve a runtime it did not write.

const FIXTURES = fileURLToPath(new URL('./test-fixtures', import.meta.url));
const RIC = fileURLToPath(
  new URL('../../test/ric/node_modules/aws-lambda-ric/bin/index.mjs', import.meta.url),
);
const RIC_ADDON = fileURLToPath(
  new URL('../../test/ric/node_modules/aws-lambda-ric/dist/rapid-client.node', import.meta.url),
);

/** aws-lambda-ric 3.3.0 takes the handler from argv[2] and the task root from its working directory. */
const ric = (name: string, handler: string, extra: Partial<FunctionDefinition> = {}): FunctionDefinition => ({
  name,
  code: FIXTURES,
  handler,
  runtime: [process.execPath, RIC, handler],
  timeout: 20,
  ...extra,
});

const json = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));

describe('emulator with aws-lambda-ric as the runtime', () => {
  let emulator: Emulator;
  let client: LambdaClient;

  beforeAll(async () => {
    expect(
      existsSync(RIC) && existsSync(RIC_ADDON),
      'aws-lambda-ric is missing: run `bash scripts/setup-ric.sh`',
    ).toBe(true);
    emulator = await startEmulator({
      functions: [
        ric('echo', 'handlers.echo'),
        ric('fail', 'handlers.fail'),
        ric('stream', 'handlers.stream'),
        ric('lockstep', 'handlers.lockstep'),
        ric('stream-fail', 'handlers.streamFail'),
        ric('init-error', 'init-error.handler'),
        ric('linger', 'handlers.linger', { timeout: 1 }),
      ],
      logger: () => {},
    });
    client = new LambdaClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'placeholder', secretAccessKey: 'placeholder' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
  });

  it('runs a buffered handler, warm across invocations', async () => {
    const first = await client.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: JSON.stringify({ n: 1 }) }),
    );
    expect(first.FunctionError).toBeUndefined();
    const body = json(first.Payload);
    expect(body.event).toEqual({ n: 1 });
    expect(body.requestId).toBe(first.$metadata.requestId);
    const second = json((await client.send(new InvokeCommand({ FunctionName: 'echo' }))).Payload);
    expect(second.pid).toBe(body.pid);
  });

  it('returns a buffered error posted without an error-type header, with its `trace`', async () => {
    const result = await client.send(new InvokeCommand({ FunctionName: 'fail' }));
    expect(result.FunctionError).toBe('Unhandled');
    const error = json(result.Payload);
    expect(error).toMatchObject({ errorType: 'TypeError', errorMessage: 'buffered boom' });
    expect(Array.isArray(error.trace)).toBe(true);
  });

  it('streams a streamifyResponse handler chunk by chunk', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sluice-ric-lockstep-'));
    try {
      const output = await client.send(
        new InvokeWithResponseStreamCommand({
          FunctionName: 'lockstep',
          Payload: JSON.stringify({ dir, count: 3 }),
        }),
      );
      let received = '';
      let complete: unknown;
      for await (const event of output.EventStream ?? []) {
        if (event.PayloadChunk?.Payload) {
          received += Buffer.from(event.PayloadChunk.Payload).toString('utf8');
          for (const match of received.matchAll(/chunk (\d+);/g))
            await writeFile(path.join(dir, `ack-${match[1]}`), '');
        }
        if (event.InvokeComplete) complete = event.InvokeComplete;
      }
      expect(received).toBe('chunk 0;chunk 1;chunk 2;');
      expect(complete).toEqual({});
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('buffers a streaming handler through Invoke', async () => {
    const result = await client.send(
      new InvokeCommand({ FunctionName: 'stream', Payload: JSON.stringify({ chunks: ['a', 'b', 'c'] }) }),
    );
    expect(result.FunctionError).toBeUndefined();
    expect(Buffer.from(result.Payload ?? []).toString()).toBe('abc');
  });

  it('reports a mid-stream error from its trailers in InvokeComplete', async () => {
    const output = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'stream-fail' }));
    let received = '';
    let complete: InvokeWithResponseStreamCompleteEvent | undefined;
    for await (const event of output.EventStream ?? []) {
      if (event.PayloadChunk?.Payload) received += Buffer.from(event.PayloadChunk.Payload).toString('utf8');
      if (event.InvokeComplete) complete = event.InvokeComplete;
    }
    expect(received).toBe('partial ');
    expect(complete?.ErrorCode).toBe('Unhandled');
    expect(JSON.parse(complete?.ErrorDetails ?? '{}')).toMatchObject({
      errorType: 'RangeError',
      errorMessage: 'boom midstream',
    });
  });

  it('retries elsewhere an invocation queued on a runtime that never came back to GET /next', async () => {
    // Regression guard: after a streaming response, aws-lambda-ric 3.3.0 asks for the next invocation only once
    // the event loop is empty. A handler that left a timer behind kept its environment from returning, and the
    // next invocation, queued on it, failed with Sandbox.Timedout although the function never saw it.
    const first = await client.send(new InvokeCommand({ FunctionName: 'linger', Payload: '{"ms":5000}' }));
    expect(first.FunctionError).toBeUndefined();
    const second = await client.send(new InvokeCommand({ FunctionName: 'linger', Payload: '{"ms":1}' }));
    expect(second.FunctionError).toBeUndefined();
    expect(json(second.Payload).pid).not.toBe(json(first.Payload).pid);
  });

  it('returns its init error to the invocation', async () => {
    const result = await client.send(new InvokeCommand({ FunctionName: 'init-error' }));
    expect(result.FunctionError).toBe('Unhandled');
    expect(Buffer.from(result.Payload ?? []).toString()).toContain('init exploded');
  });
});
