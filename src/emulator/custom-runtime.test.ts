/**
 * Any program that speaks the Runtime API runs in the emulator, not only Node runtimes: here the `bootstrap`
 * of AWS's custom-runtime tutorial, a POSIX shell script driving curl, as a compiled `bootstrap` would.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvokeCommand, InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';

// The tutorial's loop: GET /next with the headers saved, take the request id, POST the response.
const BUFFERED_BOOTSTRAP = `#!/bin/sh
set -eu
api="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
while true; do
  headers="$(mktemp)"
  event="$(curl -sS -D "$headers" "$api/invocation/next")"
  id="$(grep -Fi Lambda-Runtime-Aws-Request-Id "$headers" | tr -d '[:space:]' | cut -d: -f2)"
  rm -f "$headers"
  curl -sS -o /dev/null "$api/invocation/$id/response" -d "{\\"handler\\":\\"$_HANDLER\\",\\"event\\":$event}"
done
`;

// The streaming form of the same loop: curl uploads its stdin chunk by chunk (-T -) with the response-mode
// header, so each line leaves as the shell writes it.
const STREAMING_BOOTSTRAP = `#!/bin/sh
set -eu
api="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
while true; do
  headers="$(mktemp)"
  curl -sS -o /dev/null -D "$headers" "$api/invocation/next"
  id="$(grep -Fi Lambda-Runtime-Aws-Request-Id "$headers" | tr -d '[:space:]' | cut -d: -f2)"
  rm -f "$headers"
  { echo "first"; sleep 0.4; echo "second"; } | curl -sS -o /dev/null -X POST -T - \\
    -H "Lambda-Runtime-Function-Response-Mode: streaming" -H "Content-Type: text/plain" \\
    "$api/invocation/$id/response"
done
`;

describe('a shell-script custom runtime (provided.al2023 style)', () => {
  let emulator: Emulator;
  let client: LambdaClient;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sluice-custom-runtime-'));
    for (const [name, script] of [
      ['buffered', BUFFERED_BOOTSTRAP],
      ['streaming', STREAMING_BOOTSTRAP],
    ] as const) {
      const file = path.join(root, name, 'bootstrap');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, script);
      await chmod(file, 0o755);
    }
    emulator = await startEmulator({
      port: 0,
      logger: () => {},
      functions: [
        {
          name: 'shell',
          code: path.join(root, 'buffered'),
          handler: 'function.handler',
          runtime: './bootstrap',
        },
        {
          name: 'shell-stream',
          code: path.join(root, 'streaming'),
          handler: 'function.handler',
          runtime: './bootstrap',
        },
      ],
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
    await rm(root, { recursive: true, force: true });
  });

  it('answers Invoke, twice on the same warm environment', async () => {
    for (const n of [1, 2]) {
      const output = await client.send(new InvokeCommand({ FunctionName: 'shell', Payload: `{"n":${n}}` }));
      expect(output.FunctionError).toBeUndefined();
      expect(JSON.parse(Buffer.from(output.Payload ?? []).toString())).toEqual({
        handler: 'function.handler',
        event: { n },
      });
    }
  });

  it('streams through InvokeWithResponseStream, each line as the script writes it', async () => {
    const output = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'shell-stream' }));
    const arrivals: Array<[string, number]> = [];
    let complete: unknown;
    for await (const event of output.EventStream ?? []) {
      if (event.PayloadChunk?.Payload) {
        arrivals.push([Buffer.from(event.PayloadChunk.Payload).toString(), performance.now()]);
      }
      if (event.InvokeComplete) complete = event.InvokeComplete;
    }
    expect(arrivals.map(([chunk]) => chunk).join('')).toBe('first\nsecond\n');
    expect(complete).toEqual({});
    // The script sleeps 0.4 s between the lines; a buffering emulator would deliver them together.
    expect(arrivals.length).toBeGreaterThanOrEqual(2);
    expect(arrivals.at(-1)![1] - arrivals[0]![1]).toBeGreaterThan(250);
  });
});
