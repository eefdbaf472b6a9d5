import { fileURLToPath } from 'node:url';
import { InvokeCommand, InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { startEmulator } from './emulator.js';
import type { LogEntry } from './logger.js';

const FIXTURES = fileURLToPath(new URL('./test-fixtures', import.meta.url));

function clientFor(url: string): LambdaClient {
  return new LambdaClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'placeholder', secretAccessKey: 'placeholder' },
    maxAttempts: 1,
  });
}

const json = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));

describe('environment pool', () => {
  it('gives each of 50 concurrent streaming invocations exactly its own bytes', async () => {
    const emulator = await startEmulator({
      functions: [
        { name: 'tagged', code: FIXTURES, handler: 'handlers.tagged', reservedConcurrency: 50, timeout: 60 },
      ],
      logger: () => {},
    });
    const client = clientFor(emulator.url);
    try {
      const count = 20;
      const results = await Promise.all(
        Array.from({ length: 50 }, async (_, index) => {
          const tag = `caller-${index}`;
          const output = await client.send(
            new InvokeWithResponseStreamCommand({
              FunctionName: 'tagged',
              Payload: JSON.stringify({ tag, count, delayMs: 5 }),
            }),
          );
          const chunks: Buffer[] = [];
          let complete: unknown;
          for await (const event of output.EventStream ?? []) {
            if (event.PayloadChunk?.Payload) chunks.push(Buffer.from(event.PayloadChunk.Payload));
            if (event.InvokeComplete) complete = event.InvokeComplete;
          }
          return { tag, body: Buffer.concat(chunks).toString('utf8'), complete };
        }),
      );
      for (const { tag, body, complete } of results) {
        expect(body).toBe(Array.from({ length: count }, (_, i) => `${tag}:${i};`).join(''));
        expect(complete).toEqual({});
      }
    } finally {
      client.destroy();
      await emulator.close();
    }
  }, 120_000);

  it('runs one environment per concurrent invocation and reuses them when warm', async () => {
    const emulator = await startEmulator({
      functions: [{ name: 'slow', code: FIXTURES, handler: 'handlers.slow', reservedConcurrency: 3 }],
      logger: () => {},
    });
    const client = clientFor(emulator.url);
    try {
      const invokeAll = () =>
        Promise.all(
          [1, 2, 3].map(async () =>
            json(
              (await client.send(new InvokeCommand({ FunctionName: 'slow', Payload: '{"ms":300}' }))).Payload,
            ),
          ),
        );
      const first = new Set((await invokeAll()).map((result) => result.pid));
      expect(first.size).toBe(3);
      const second = new Set((await invokeAll()).map((result) => result.pid));
      expect(second).toEqual(first);
    } finally {
      client.destroy();
      await emulator.close();
    }
  });

  it('stops idle environments after the idle timeout', async () => {
    const emulator = await startEmulator({
      functions: [{ name: 'slow', code: FIXTURES, handler: 'handlers.slow' }],
      idleTimeout: 0.2,
      logger: () => {},
    });
    const client = clientFor(emulator.url);
    try {
      const { pid } = json(
        (await client.send(new InvokeCommand({ FunctionName: 'slow', Payload: '{"ms":1}' }))).Payload,
      );
      await expect
        .poll(
          () => {
            try {
              process.kill(pid, 0);
              return 'alive';
            } catch {
              return 'gone';
            }
          },
          { timeout: 5000 },
        )
        .toBe('gone');
      const again = json(
        (await client.send(new InvokeCommand({ FunctionName: 'slow', Payload: '{"ms":1}' }))).Payload,
      );
      expect(again.pid).not.toBe(pid);
    } finally {
      client.destroy();
      await emulator.close();
    }
  });

  it('retries on a fresh environment when a warm one dies before taking the invocation', async () => {
    // Regression guard: an invocation queued on a warm environment whose runtime then exited used to fail with
    // Runtime.ExitError although the function never saw it; Lambda would have run it on another sandbox.
    const logs: LogEntry[] = [];
    const emulator = await startEmulator({
      functions: [
        {
          name: 'one-shot',
          code: FIXTURES,
          runtime: [process.execPath, 'one-shot-runtime.mjs'],
          environment: { LINGER_MS: '500' },
        },
      ],
      logger: (entry) => logs.push(entry),
    });
    const client = clientFor(emulator.url);
    try {
      const first = await client.send(new InvokeCommand({ FunctionName: 'one-shot' }));
      const second = await client.send(new InvokeCommand({ FunctionName: 'one-shot' }));
      expect(first.FunctionError).toBeUndefined();
      expect(second.FunctionError).toBeUndefined();
      expect(json(second.Payload).pid).not.toBe(json(first.Payload).pid);
      expect(logs.some((entry) => entry.message.includes('retrying on a fresh environment'))).toBe(true);
    } finally {
      client.destroy();
      await emulator.close();
    }
  });
});
