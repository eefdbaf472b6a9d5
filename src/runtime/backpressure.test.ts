/**
 * Backpressure end to end: a function streams 1 GiB to a Runtime API that reads slowly. A producer that
 * awaits `writer.write()` must never build up more than the high-water mark, so the runtime's memory stays
 * flat however large the response is.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runBootstrap, stopAllBootstraps } from '../../test/support/run-bootstrap.js';

afterEach(stopAllBootstraps);

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** Peak resident set size of a process, from the kernel's own accounting (VmHWM). */
function peakRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

describe('backpressure', () => {
  it('streams 1 GiB to a slow reader with the runtime under 100 MiB RSS', { timeout: 120_000 }, async () => {
    let received = 0;
    const run = await runBootstrap({
      files: {
        'index.mjs': `import { streamingHandler } from ${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)};
          export const handler = streamingHandler(async (event, writer) => {
            const chunk = Buffer.alloc(64 * 1024, 'x');
            for (let sent = 0; sent < ${GIB}; sent += chunk.length) await writer.write(chunk);
            await writer.finish();
          });`,
      },
      handler: 'index.handler',
      invocations: [{ requestId: 'req-gib', event: '{}' }],
      api: {
        retainBytes: false,
        // Slower than the runtime can write, so the socket fills and write() must wait for drain.
        readBytesPerSecond: 160 * MIB,
        onBodyData: (_request, data) => {
          received += data.length;
        },
      },
    });
    await run.api.waitFor((requests) => requests.some((r) => r.method === 'POST'), 110_000);
    const peak = peakRssBytes(run.child.pid!);
    expect(received).toBe(GIB);
    expect(run.api.requests.find((r) => r.method === 'POST')!.trailers).toEqual([]);
    console.info(`runtime peak RSS while streaming 1 GiB: ${(peak / MIB).toFixed(1)} MiB`);
    expect(peak).toBeLessThan(100 * MIB);
  });
});
