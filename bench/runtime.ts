/**
 * Runtime benchmarks: streaming throughput and per-invocation overhead of sluice's runtime, and of AWS's own
 * Node runtime client (aws-lambda-ric 3.3.0) when `npm run setup:ric` installed it, against the same raw-TCP
 * Runtime API. Run: `npm run build && npx tsx bench/runtime.ts`.
 *
 * Each figure is the median of several runs; the machine (2 cores) runs the server and the runtime at once,
 * so the numbers compare runtimes with each other, not with Lambda.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type QueuedInvocation, startRawRuntimeApi } from '../test/support/raw-runtime-api.js';
import { BOOTSTRAP, REPO_ROOT, runBootstrap, stopAllBootstraps } from '../test/support/run-bootstrap.js';

const RIC = path.join(REPO_ROOT, 'test/ric/node_modules/aws-lambda-ric/bin/index.mjs');
const MIB = 1024 * 1024;
const RUNS = 5;

interface Runtime {
  name: string;
  command: string[];
}

const runtimes: Runtime[] = [{ name: 'sluice', command: [process.execPath, BOOTSTRAP] }];
if (existsSync(RIC))
  runtimes.push({ name: 'aws-lambda-ric 3.3.0', command: [process.execPath, RIC, 'index.handler'] });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function throughput(runtime: Runtime, mib: number): Promise<number> {
  let received = 0;
  let first = 0;
  let last = 0;
  const run = await runBootstrap({
    files: {
      'index.mjs': `import { once } from 'node:events';
        export const handler = awslambda.streamifyResponse(async (event, stream) => {
          const chunk = Buffer.alloc(64 * 1024, 'x');
          for (let sent = 0; sent < ${mib * MIB}; sent += chunk.length) {
            if (!stream.write(chunk)) await once(stream, 'drain');
          }
          stream.end();
        });`,
    },
    handler: 'index.handler',
    invocations: [{ requestId: 'bench', event: '{}' }],
    command: runtime.command,
    api: {
      retainBytes: false,
      onBodyData: (_request, data, at) => {
        if (received === 0) first = at;
        received += data.length;
        last = at;
      },
    },
  });
  await run.api.waitFor((requests) => requests.some((r) => r.method === 'POST'), 120_000);
  await run.stop();
  return received / MIB / ((last - first) / 1000);
}

async function invocationRate(runtime: Runtime, streaming: boolean, count: number): Promise<number> {
  const invocations: QueuedInvocation[] = Array.from({ length: count }, (_, i) => ({
    requestId: `req-${i}`,
    event: '{"n":1}',
  }));
  const handler = streaming
    ? 'export const handler = awslambda.streamifyResponse(async (event, stream) => { stream.end("ok"); });'
    : 'export const handler = async (event) => "ok";';
  const run = await runBootstrap({
    files: { 'index.mjs': handler },
    handler: 'index.handler',
    invocations,
    command: runtime.command,
    api: { retainBytes: false },
  });
  await run.api.waitFor((requests) => requests.some((r) => r.path.includes('/req-0/')), 30_000);
  const start = performance.now();
  await run.api.waitFor((requests) => requests.some((r) => r.path.includes(`/req-${count - 1}/`)), 120_000);
  const seconds = (performance.now() - start) / 1000;
  await run.stop();
  return (count - 1) / seconds;
}

async function main(): Promise<void> {
  // Warm the raw server's code paths once.
  await (await startRawRuntimeApi()).close();
  const rows: string[][] = [];
  for (const runtime of runtimes) {
    const mbps: number[] = [];
    const buffered: number[] = [];
    const streamed: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      mbps.push(await throughput(runtime, 512));
      buffered.push(await invocationRate(runtime, false, 2000));
      streamed.push(await invocationRate(runtime, true, 2000));
    }
    rows.push([
      runtime.name,
      `${median(mbps).toFixed(0)} MiB/s`,
      `${median(buffered).toFixed(0)} /s`,
      `${median(streamed).toFixed(0)} /s`,
    ]);
  }
  await stopAllBootstraps();
  console.log(
    '| runtime | stream throughput (512 MiB, 64 KiB writes) | buffered invocations | streaming invocations |',
  );
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

await main();
