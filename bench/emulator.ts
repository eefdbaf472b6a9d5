/**
 * Emulator benchmarks, with the real AWS SDK as the client: time to first byte of InvokeWithResponseStream
 * (cold and warm), warm buffered Invoke latency, and streaming throughput through the emulator.
 * Run: `npm run build && npx tsx bench/emulator.ts`.
 *
 * Figures are medians and p90s over many calls on this machine (2 cores shared by client, emulator and
 * runtime), for comparing sluice with itself over time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvokeCommand, InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startEmulator } from '../src/emulator/index.js';

const MIB = 1024 * 1024;
const dir = mkdtempSync(path.join(tmpdir(), 'sluice-bench-'));
writeFileSync(
  path.join(dir, 'index.mjs'),
  `import { once } from 'node:events';
  export const first = awslambda.streamifyResponse(async (event, stream) => {
    stream.write('x');
    await new Promise((r) => setTimeout(r, 5));
    stream.end('y');
  });
  export const big = awslambda.streamifyResponse(async (event, stream) => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    for (let sent = 0; sent < event.bytes; sent += chunk.length) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
    stream.end();
  });
  export const buffered = async () => ({ ok: true });`,
);

const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))]!;

async function main(): Promise<void> {
  const emulator = await startEmulator({
    port: 0,
    logger: () => {},
    functions: [
      { name: 'first', code: dir, handler: 'index.first' },
      { name: 'big', code: dir, handler: 'index.big', timeout: 120 },
      { name: 'buffered', code: dir, handler: 'index.buffered' },
    ],
  });
  const client = new LambdaClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  try {
    const ttfb: number[] = [];
    let cold = 0;
    for (let i = 0; i < 201; i++) {
      const start = performance.now();
      const response = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'first' }));
      let firstByte = 0;
      for await (const event of response.EventStream ?? []) {
        if (event.PayloadChunk && !firstByte) firstByte = performance.now() - start;
      }
      if (i === 0) cold = firstByte;
      else ttfb.push(firstByte);
    }
    const invoke: number[] = [];
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      await client.send(new InvokeCommand({ FunctionName: 'buffered' }));
      invoke.push(performance.now() - start);
    }
    const rates: number[] = [];
    const bytes = 128 * MIB; // under the 200 MB streamed-response limit
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      const response = await client.send(
        new InvokeWithResponseStreamCommand({ FunctionName: 'big', Payload: JSON.stringify({ bytes }) }),
      );
      let received = 0;
      for await (const event of response.EventStream ?? [])
        received += event.PayloadChunk?.Payload?.length ?? 0;
      if (received !== bytes) throw new Error(`received ${received} of ${bytes} bytes`);
      rates.push(bytes / MIB / ((performance.now() - start) / 1000));
    }
    console.log('| measure | median | p90 |');
    console.log('|---|---|---|');
    console.log(`| InvokeWithResponseStream, cold first byte | ${cold.toFixed(1)} ms | |`);
    console.log(
      `| InvokeWithResponseStream, warm first byte | ${quantile(ttfb, 0.5).toFixed(1)} ms | ${quantile(ttfb, 0.9).toFixed(1)} ms |`,
    );
    console.log(
      `| Invoke (buffered), warm round trip | ${quantile(invoke, 0.5).toFixed(1)} ms | ${quantile(invoke, 0.9).toFixed(1)} ms |`,
    );
    console.log(`| streaming throughput, 128 MiB via SDK | ${quantile(rates, 0.5).toFixed(0)} MiB/s | |`);
  } finally {
    client.destroy();
    await emulator.close();
  }
}

await main();
