import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  type InvokeWithResponseStreamCommandOutput,
  type InvokeWithResponseStreamCompleteEvent,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { CodeBuildError } from './errors.js';
import type { FunctionDefinition } from './function-config.js';
import type { LogEntry } from './logger.js';

// End to end over real sockets: the AWS SDK for JavaScript v3 against the emulator, running sluice's runtime
// (dist/, built by `npm run build`) in real child processes.

const FIXTURES = fileURLToPath(new URL('./test-fixtures', import.meta.url));
const fn = (name: string, handler: string, extra: Partial<FunctionDefinition> = {}): FunctionDefinition => ({
  name,
  code: FIXTURES,
  handler: `handlers.${handler}`,
  ...extra,
});

function clientFor(emulator: Emulator): LambdaClient {
  return new LambdaClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'placeholder', secretAccessKey: 'placeholder' },
    // Throttling is retried by default; these tests want to see it.
    maxAttempts: 1,
  });
}

const json = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));

interface Collected {
  chunks: Buffer[];
  arrivals: number[];
  complete: InvokeWithResponseStreamCompleteEvent | undefined;
  events: number;
}

async function collect(
  output: InvokeWithResponseStreamCommandOutput,
  onChunk?: (chunk: Buffer) => void | Promise<void>,
): Promise<Collected> {
  const collected: Collected = { chunks: [], arrivals: [], complete: undefined, events: 0 };
  for await (const event of output.EventStream ?? []) {
    collected.events++;
    if (event.PayloadChunk?.Payload) {
      const chunk = Buffer.from(event.PayloadChunk.Payload);
      collected.chunks.push(chunk);
      collected.arrivals.push(performance.now());
      await onChunk?.(chunk);
    }
    if (event.InvokeComplete) collected.complete = event.InvokeComplete;
  }
  return collected;
}

const text = (collected: Collected) => Buffer.concat(collected.chunks).toString('utf8');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('emulator, through the AWS SDK', () => {
  let emulator: Emulator;
  let client: LambdaClient;
  const logs: LogEntry[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      logger: (entry) => logs.push(entry),
      functions: [
        fn('echo', 'echo', { environment: { CUSTOM_SETTING: 'on' }, memorySize: 256 }),
        fn('logs', 'logs'),
        fn('fail', 'fail'),
        fn('big', 'big'),
        fn('misbehave', 'misbehave', { timeout: 1 }),
        fn('slow', 'slow', { reservedConcurrency: 1, timeout: 10 }),
        fn('stream', 'stream', { timeout: 10 }),
        fn('lockstep', 'lockstep', { timeout: 20 }),
        fn('stream-fail', 'streamFail'),
        fn('stream-hang', 'streamHang', { timeout: 1 }),
        fn('stream-exit', 'streamExit'),
        fn('init-error', 'nope', { handler: 'init-error.handler' }),
        fn('no-handler', 'nope'),
        fn('no-runtime', 'echo', { runtime: '/nonexistent/bootstrap' }),
      ],
    });
    client = clientFor(emulator);
  });

  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
  });

  describe('Invoke', () => {
    it('returns the result, with the request id, executed version and the environment Lambda sets', async () => {
      const result = await client.send(
        new InvokeCommand({ FunctionName: 'echo', Payload: JSON.stringify({ a: 1 }) }),
      );
      expect(result.StatusCode).toBe(200);
      expect(result.FunctionError).toBeUndefined();
      expect(result.ExecutedVersion).toBe('$LATEST');
      const body = json(result.Payload);
      expect(body.event).toEqual({ a: 1 });
      expect(body.requestId).toBe(result.$metadata.requestId);
      expect(body.functionName).toBe('echo');
      expect(body.functionVersion).toBe('$LATEST');
      expect(body.memoryLimitInMB).toBe('256');
      expect(body.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:echo');
      expect(body.remainingMs).toBeGreaterThan(0);
      expect(body.remainingMs).toBeLessThanOrEqual(3000);
      expect(body.cwd).toBe(FIXTURES);
      expect(body.env).toMatchObject({
        AWS_LAMBDA_FUNCTION_NAME: 'echo',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/echo',
        AWS_REGION: 'us-east-1',
        LAMBDA_TASK_ROOT: FIXTURES,
        _HANDLER: 'handlers.echo',
        TZ: ':UTC',
        CUSTOM_SETTING: 'on',
      });
      expect(body.env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(body.env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      expect(body.env.AWS_ACCESS_KEY_ID).toBeTruthy();
    });

    it('sends an empty payload as {} and passes the client context through', async () => {
      const clientContext = Buffer.from(
        JSON.stringify({ custom: { flag: 'yes', name: 'Zoë' } }, null, 2),
      ).toString('base64');
      const result = await client.send(
        new InvokeCommand({ FunctionName: 'echo', ClientContext: clientContext }),
      );
      const body = json(result.Payload);
      expect(body.event).toEqual({});
      expect(body.clientContext).toMatchObject({ custom: { flag: 'yes', name: 'Zoë' } });
    });

    it('reuses a warm environment for sequential invocations', async () => {
      const first = json((await client.send(new InvokeCommand({ FunctionName: 'echo' }))).Payload);
      const second = json((await client.send(new InvokeCommand({ FunctionName: 'echo' }))).Payload);
      expect(second.pid).toBe(first.pid);
    });

    it('accepts a partial ARN, a full ARN, a name:qualifier and ?Qualifier=$LATEST', async () => {
      const names = [
        '123456789012:function:echo',
        'arn:aws:lambda:us-east-1:123456789012:function:echo',
        'arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST',
        'echo:$LATEST',
      ];
      for (const FunctionName of names) {
        const result = await client.send(new InvokeCommand({ FunctionName }));
        expect(result.StatusCode).toBe(200);
      }
      const qualified = await client.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: '$LATEST' }));
      expect(json(qualified.Payload).invokedFunctionArn).toBe(
        'arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST',
      );
    });

    it('answers an unknown function or version with ResourceNotFoundException (404)', async () => {
      await expect(client.send(new InvokeCommand({ FunctionName: 'nope' }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope:$LATEST',
        $metadata: { httpStatusCode: 404 },
      });
      await expect(
        client.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: 'prod' })),
      ).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:echo:prod',
      });
    });

    it('answers a payload over 6291456 bytes with RequestEntityTooLargeException (413)', async () => {
      const Payload = JSON.stringify('x'.repeat(6 * 1024 * 1024));
      await expect(client.send(new InvokeCommand({ FunctionName: 'echo', Payload }))).rejects.toMatchObject({
        name: 'RequestEntityTooLargeException',
        message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
        $metadata: { httpStatusCode: 413 },
      });
    });

    it('answers a payload that is not JSON with InvalidRequestContentException (400)', async () => {
      await expect(
        client.send(new InvokeCommand({ FunctionName: 'echo', Payload: 'hello' })),
      ).rejects.toMatchObject({
        name: 'InvalidRequestContentException',
        message: expect.stringMatching(/^Could not parse request body into json/),
        $metadata: { httpStatusCode: 400 },
      });
    });

    it('returns a function error as 200 with X-Amz-Function-Error: Unhandled and the error document', async () => {
      const result = await client.send(new InvokeCommand({ FunctionName: 'fail' }));
      expect(result.StatusCode).toBe(200);
      expect(result.FunctionError).toBe('Unhandled');
      const error = json(result.Payload);
      expect(error).toMatchObject({ errorType: 'TypeError', errorMessage: 'buffered boom' });
      expect(Array.isArray(error.trace)).toBe(true);
    });

    it('returns the last 4 KB of the log as LogResult with LogType Tail', async () => {
      const short = await client.send(new InvokeCommand({ FunctionName: 'logs', LogType: 'Tail' }));
      const log = Buffer.from(short.LogResult ?? '', 'base64').toString('utf8');
      expect(log).toMatch(/^START RequestId: [0-9a-f-]+ Version: \$LATEST\n/);
      expect(log).toContain('hello from the function');
      expect(log).toMatch(/END RequestId: .*\nREPORT RequestId: .*Duration: [\d.]+ ms/);

      const long = await client.send(
        new InvokeCommand({ FunctionName: 'logs', LogType: 'Tail', Payload: JSON.stringify({ lines: 200 }) }),
      );
      const tail = Buffer.from(long.LogResult ?? '', 'base64');
      expect(tail.length).toBe(4096);
      expect(tail.toString('utf8')).toMatch(/REPORT RequestId: [^\n]*\n$/);

      const none = await client.send(new InvokeCommand({ FunctionName: 'logs' }));
      expect(none.LogResult).toBeUndefined();
    });

    it('shows function output through the logger, prefixed with function name and request id', async () => {
      const result = await client.send(new InvokeCommand({ FunctionName: 'logs' }));
      const requestId = result.$metadata.requestId;
      const line = logs.find(
        (entry) => entry.message.includes('hello from the function') && entry.requestId === requestId,
      );
      expect(line).toMatchObject({ functionName: 'logs', source: 'stdout' });
    });

    it('fails a response over 6291556 bytes with Function.ResponseSizeTooLarge', async () => {
      const result = await client.send(
        new InvokeCommand({ FunctionName: 'big', Payload: JSON.stringify({ size: 6 * 1024 * 1024 + 100 }) }),
      );
      expect(result.FunctionError).toBe('Unhandled');
      expect(json(result.Payload)).toEqual({
        errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
        errorType: 'Function.ResponseSizeTooLarge',
      });
      // The environment survives a rejected response, as on Lambda.
      const ok = await client.send(
        new InvokeCommand({ FunctionName: 'big', Payload: JSON.stringify({ size: 10 }) }),
      );
      expect(json(ok.Payload)).toBe('xxxxxxxxxx');
    });

    it('answers DryRun with 204 and Event with 202, running the function in the background', async () => {
      const dry = await client.send(new InvokeCommand({ FunctionName: 'logs', InvocationType: 'DryRun' }));
      expect(dry.StatusCode).toBe(204);
      const event = await client.send(new InvokeCommand({ FunctionName: 'logs', InvocationType: 'Event' }));
      expect(event.StatusCode).toBe(202);
      const requestId = event.$metadata.requestId;
      await expect
        .poll(() =>
          logs.some(
            (entry) => entry.requestId === requestId && entry.message.includes('hello from the function'),
          ),
        )
        .toBe(true);
    });

    it('throttles beyond the reserved concurrency with TooManyRequestsException (429), then recovers', async () => {
      const running = client.send(
        new InvokeCommand({ FunctionName: 'slow', Payload: JSON.stringify({ ms: 1500 }) }),
      );
      await expect
        .poll(() => logs.some((entry) => entry.functionName === 'slow' && entry.message.startsWith('START')))
        .toBe(true);
      await expect(client.send(new InvokeCommand({ FunctionName: 'slow' }))).rejects.toMatchObject({
        name: 'TooManyRequestsException',
        Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
        $metadata: { httpStatusCode: 429 },
      });
      await expect(
        client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'slow' })),
      ).rejects.toMatchObject({ name: 'TooManyRequestsException' });
      expect((await running).StatusCode).toBe(200);
      const after = await client.send(
        new InvokeCommand({ FunctionName: 'slow', Payload: JSON.stringify({ ms: 1 }) }),
      );
      expect(after.StatusCode).toBe(200);
    });

    it('reports a runtime that exits mid-invocation as Runtime.ExitError, and the next invocation succeeds', async () => {
      const crashed = await client.send(
        new InvokeCommand({
          FunctionName: 'misbehave',
          Payload: JSON.stringify({ action: 'exit', code: 3 }),
        }),
      );
      expect(crashed.FunctionError).toBe('Unhandled');
      expect(json(crashed.Payload)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${crashed.$metadata.requestId} Error: Runtime exited with error: exit status 3`,
      });
      expect(
        logs.some((entry) => entry.source === 'emulator' && entry.message.includes('the runtime exited')),
      ).toBe(true);
      const next = await client.send(new InvokeCommand({ FunctionName: 'misbehave', Payload: '{}' }));
      expect(next.FunctionError).toBeUndefined();
    });

    it('stops a function at its timeout with Sandbox.Timedout, and the next invocation gets a fresh environment', async () => {
      const first = json(
        (await client.send(new InvokeCommand({ FunctionName: 'misbehave', Payload: '{}' }))).Payload,
      );
      const timedOut = await client.send(
        new InvokeCommand({ FunctionName: 'misbehave', Payload: JSON.stringify({ action: 'hang' }) }),
      );
      expect(timedOut.FunctionError).toBe('Unhandled');
      expect(json(timedOut.Payload)).toEqual({
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${timedOut.$metadata.requestId} Error: Task timed out after 1.00 seconds`,
      });
      const next = json(
        (await client.send(new InvokeCommand({ FunctionName: 'misbehave', Payload: '{}' }))).Payload,
      );
      expect(next.pid).not.toBe(first.pid);
      // The timed-out runtime is gone.
      await expect.poll(() => alive(first.pid)).toBe(false);
    });

    it('returns an init error to the first invocation, and to the next one from a fresh environment', async () => {
      for (let i = 0; i < 2; i++) {
        const result = await client.send(new InvokeCommand({ FunctionName: 'init-error' }));
        expect(result.FunctionError).toBe('Unhandled');
        expect(json(result.Payload)).toMatchObject({ errorType: 'Error', errorMessage: 'init exploded' });
      }
      const missing = await client.send(new InvokeCommand({ FunctionName: 'no-handler' }));
      expect(json(missing.Payload)).toMatchObject({
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: 'handlers.nope is undefined or not exported',
      });
    });

    it('reports a runtime command that cannot start as Runtime.InvalidEntrypoint', async () => {
      const result = await client.send(new InvokeCommand({ FunctionName: 'no-runtime' }));
      expect(result.FunctionError).toBe('Unhandled');
      expect(json(result.Payload)).toEqual({
        errorType: 'Runtime.InvalidEntrypoint',
        errorMessage: `RequestId: ${result.$metadata.requestId} Error: fork/exec /nonexistent/bootstrap: no such file or directory`,
      });
    });
  });

  describe('InvokeWithResponseStream', () => {
    it('delivers each chunk before the function writes the next one', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'sluice-lockstep-'));
      try {
        const count = 5;
        const output = await client.send(
          new InvokeWithResponseStreamCommand({
            FunctionName: 'lockstep',
            Payload: JSON.stringify({ dir, count }),
          }),
        );
        expect(output.StatusCode).toBe(200);
        expect(output.ExecutedVersion).toBe('$LATEST');
        expect(output.ResponseStreamContentType).toBe('application/vnd.amazon.eventstream');
        let received = '';
        const collected = await collect(output, async (chunk) => {
          received += chunk.toString('utf8');
          // The function is blocked until we acknowledge what we have seen: it cannot have written more.
          for (const match of received.matchAll(/chunk (\d+);/g))
            await writeFile(path.join(dir, `ack-${match[1]}`), '');
        });
        expect(text(collected)).toBe('chunk 0;chunk 1;chunk 2;chunk 3;chunk 4;');
        expect(collected.complete).toEqual({});
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('streams chunks as they are written, spread over time', async () => {
      const output = await client.send(
        new InvokeWithResponseStreamCommand({
          FunctionName: 'stream',
          Payload: JSON.stringify({ chunks: ['a', 'b', 'c', 'd'], delayMs: 300 }),
        }),
      );
      const collected = await collect(output);
      expect(text(collected)).toBe('abcd');
      expect(collected.chunks).toHaveLength(4);
      // The function waits 300 ms between writes; a buffering emulator would deliver all four at once.
      for (let i = 1; i < collected.arrivals.length; i++) {
        expect(collected.arrivals[i]! - collected.arrivals[i - 1]!).toBeGreaterThan(100);
      }
    });

    it('ends a mid-stream error with an InvokeComplete carrying it', async () => {
      const collected = await collect(
        await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'stream-fail' })),
      );
      expect(text(collected)).toBe('partial ');
      expect(collected.complete?.ErrorCode).toBe('Unhandled');
      expect(JSON.parse(collected.complete?.ErrorDetails ?? '{}')).toMatchObject({
        errorType: 'RangeError',
        errorMessage: 'boom midstream',
      });
    });

    it('ends a timeout mid-stream with an InvokeComplete carrying Sandbox.Timedout, then serves the next call', async () => {
      const output = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'stream-hang' }));
      const collected = await collect(output);
      expect(text(collected)).toBe('first chunk');
      expect(collected.complete?.ErrorCode).toBe('Sandbox.Timedout');
      expect(JSON.parse(collected.complete?.ErrorDetails ?? '{}')).toEqual({
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${output.$metadata.requestId} Error: Task timed out after 1.00 seconds`,
      });
      const again = await collect(
        await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'stream-hang' })),
      );
      expect(text(again)).toBe('first chunk');
    });

    it('ends a crash mid-stream with an InvokeComplete carrying Runtime.ExitError', async () => {
      const collected = await collect(
        await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'stream-exit' })),
      );
      expect(text(collected)).toBe('before exit');
      expect(collected.complete?.ErrorCode).toBe('Runtime.ExitError');
      expect(collected.complete?.ErrorDetails).toContain('Runtime exited with error: exit status 7');
    });

    it('returns a buffered handler’s result in PayloadChunks', async () => {
      const collected = await collect(
        await client.send(
          new InvokeWithResponseStreamCommand({ FunctionName: 'echo', Payload: JSON.stringify({ b: 2 }) }),
        ),
      );
      expect(JSON.parse(text(collected)).event).toEqual({ b: 2 });
      expect(collected.complete).toEqual({});
    });

    it('returns the log tail in InvokeComplete.LogResult with LogType Tail', async () => {
      const collected = await collect(
        await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'logs', LogType: 'Tail' })),
      );
      expect(Buffer.from(collected.complete?.LogResult ?? '', 'base64').toString()).toContain(
        'hello from the function',
      );
    });

    it('returns an init error in InvokeComplete', async () => {
      const collected = await collect(
        await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'init-error' })),
      );
      expect(collected.chunks).toEqual([]);
      expect(collected.complete?.ErrorCode).toBe('Unhandled');
      expect(JSON.parse(collected.complete?.ErrorDetails ?? '{}')).toMatchObject({
        errorMessage: 'init exploded',
      });
    });

    it("answers errors found before the function runs with AWS's exceptions", async () => {
      await expect(
        client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'nope' })),
      ).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        $metadata: { httpStatusCode: 404 },
      });
      await expect(
        client.send(
          new InvokeWithResponseStreamCommand({
            FunctionName: 'echo',
            Payload: JSON.stringify('x'.repeat(6_300_000)),
          }),
        ),
      ).rejects.toMatchObject({ name: 'RequestEntityTooLargeException', $metadata: { httpStatusCode: 413 } });
    });

    it('answers DryRun with 204 and no events', async () => {
      const output = await client.send(
        new InvokeWithResponseStreamCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }),
      );
      expect(output.StatusCode).toBe(204);
      expect((await collect(output)).events).toBe(0);
    });
  });
});

describe('emulator limits and options', () => {
  it('ends a stream over the streamed-response limit with Function.ResponseSizeTooLarge', async () => {
    const emulator = await startEmulator({
      functions: [fn('big-stream', 'bigStream')],
      limits: { streamedResponseBytes: 100_000 },
      logger: () => {},
    });
    const client = clientFor(emulator);
    try {
      const collected = await collect(
        await client.send(
          new InvokeWithResponseStreamCommand({
            FunctionName: 'big-stream',
            Payload: JSON.stringify({ totalBytes: 1_000_000, chunkBytes: 16_384 }),
          }),
        ),
      );
      expect(Buffer.concat(collected.chunks).length).toBe(100_000);
      expect(collected.complete?.ErrorCode).toBe('Function.ResponseSizeTooLarge');
    } finally {
      client.destroy();
      await emulator.close();
    }
  });

  it('shapes streamed bandwidth like Lambda when asked (burst, then a steady rate)', async () => {
    const emulator = await startEmulator({
      functions: [fn('big-stream', 'bigStream')],
      bandwidth: { burstBytes: 64 * 1024, bytesPerSecond: 256 * 1024 },
      logger: () => {},
    });
    const client = clientFor(emulator);
    try {
      const started = performance.now();
      const collected = await collect(
        await client.send(
          new InvokeWithResponseStreamCommand({
            FunctionName: 'big-stream',
            Payload: JSON.stringify({ totalBytes: 512 * 1024, chunkBytes: 16 * 1024 }),
          }),
        ),
      );
      expect(Buffer.concat(collected.chunks).length).toBe(512 * 1024);
      // (512 KiB - 64 KiB burst) at 256 KiB/s needs 1.75 s at least.
      expect(performance.now() - started).toBeGreaterThan(1500);
    } finally {
      client.destroy();
      await emulator.close();
    }
  });

  it("can label InvokeWithResponseStream responses with the function's content type", async () => {
    const emulator = await startEmulator({
      functions: [fn('stream', 'stream')],
      responseStreamContentType: 'function',
      logger: () => {},
    });
    const client = clientFor(emulator);
    try {
      const output = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'stream' }));
      expect(output.ResponseStreamContentType).toBe('text/plain');
      expect(text(await collect(output))).toBe('hello world');
    } finally {
      client.destroy();
      await emulator.close();
    }
  });

  it('bundles a TypeScript entry with esbuild and runs it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sluice-ts-'));
    try {
      await writeFile(
        path.join(dir, 'greeting.ts'),
        "export const greet = (name: string): string => 'hello ' + name;\n",
      );
      await writeFile(
        path.join(dir, 'app.ts'),
        "import { greet } from './greeting';\ninterface Event { name: string }\nexport const main = async (event: Event) => ({ message: greet(event.name) });\n",
      );
      const emulator = await startEmulator({
        functions: [{ name: 'ts', code: path.join(dir, 'app.ts'), handler: 'main' }],
        logger: () => {},
      });
      const client = clientFor(emulator);
      try {
        const result = await client.send(
          new InvokeCommand({ FunctionName: 'ts', Payload: JSON.stringify({ name: 'sluice' }) }),
        );
        expect(json(result.Payload)).toEqual({ message: 'hello sluice' });
      } finally {
        client.destroy();
        await emulator.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start when a TypeScript entry does not compile', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sluice-ts-'));
    try {
      await writeFile(path.join(dir, 'broken.ts'), 'export const handler = async ( => 1;\n');
      await expect(
        startEmulator({
          functions: [{ name: 'broken', code: path.join(dir, 'broken.ts') }],
          logger: () => {},
        }),
      ).rejects.toBeInstanceOf(CodeBuildError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves no child process behind after close(), even with invocations in flight', async () => {
    const emulator = await startEmulator({
      functions: [fn('echo', 'echo'), fn('hang', 'misbehave', { timeout: 30 })],
      logger: () => {},
    });
    const client = clientFor(emulator);
    const { pid } = json((await client.send(new InvokeCommand({ FunctionName: 'echo' }))).Payload);
    const inFlight = client
      .send(new InvokeCommand({ FunctionName: 'hang', Payload: JSON.stringify({ action: 'hang' }) }))
      .catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await emulator.close();
    await inFlight;
    client.destroy();
    expect(alive(pid)).toBe(false);
    const { trackedProcessGroups } = await import('./child-processes.js');
    expect(trackedProcessGroups()).toEqual([]);
  });
});
