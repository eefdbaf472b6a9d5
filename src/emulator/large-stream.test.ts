import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EventStreamDecoder } from './event-stream.js';

// 200 MB through InvokeWithResponseStream with a slow reader: every byte arrives intact and the emulator's
// memory stays flat, because backpressure reaches back to the runtime instead of buffering the response.
// The emulator runs from dist/ (npm run build) in a process of its own so that its RSS can be measured.

const TOTAL_BYTES = 200 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
const RSS_LIMIT_MIB = 150;
const EMULATOR_PROCESS = fileURLToPath(new URL('./test-fixtures/emulator-process.mjs', import.meta.url));
const BUILT_EMULATOR = fileURLToPath(new URL('../../dist/emulator/index.js', import.meta.url));

/** The bytes the bigStream handler writes (same formula as test-fixtures/handlers.mjs `chunkBytes`). */
function expectedDigest(): string {
  const hash = createHash('sha256');
  for (let offset = 0, index = 0; offset < TOTAL_BYTES; offset += CHUNK_BYTES, index++) {
    const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, TOTAL_BYTES - offset));
    chunk.fill(createHash('sha256').update(`chunk-${index}`).digest());
    hash.update(chunk);
  }
  return hash.digest('hex');
}

async function memoryKiB(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
}

let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

describe('a 200 MB response stream', () => {
  it('arrives byte for byte while the emulator stays under 150 MiB RSS with a slow reader', async () => {
    expect(
      existsSync(BUILT_EMULATOR),
      'run `npm run build` first: this test runs the emulator from dist/',
    ).toBe(true);
    child = spawn(process.execPath, [EMULATOR_PROCESS], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    child.stderr!.on('data', (data: Buffer) => stderr.push(data.toString()));
    const [line] = await Promise.race([
      createInterface({ input: child.stdout! })
        [Symbol.asyncIterator]()
        .next()
        .then((result) => [result.value as string]),
      new Promise<never>((_, reject) =>
        child!.once('exit', () => reject(new Error(`emulator exited: ${stderr.join('')}`))),
      ),
    ]);
    const { url, pid } = JSON.parse(line!) as { url: string; pid: number };
    const expected = expectedDigest();

    let peakRssKiB = 0;
    const sampler = setInterval(() => {
      memoryKiB(pid, 'VmRSS').then(
        (rss) => {
          peakRssKiB = Math.max(peakRssKiB, rss);
        },
        () => {},
      );
    }, 100);

    const started = performance.now();
    let firstByteAt = 0;
    const hash = createHash('sha256');
    let received = 0;
    let complete: string | undefined;
    await new Promise<void>((resolve, reject) => {
      const req = request(`${url}/2021-11-15/functions/big-stream/response-streaming-invocations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        const decoder = new EventStreamDecoder();
        let sincePause = 0;
        res.on('data', (data: Buffer) => {
          for (const event of decoder.push(data)) {
            if (event.eventType === 'PayloadChunk') {
              if (!firstByteAt) firstByteAt = performance.now();
              hash.update(event.payload);
              received += event.payload.byteLength;
            } else if (event.eventType === 'InvokeComplete') {
              complete = Buffer.from(event.payload).toString('utf8');
            }
          }
          // A slow reader: ~1 MiB, then a 30 ms pause (about 30 MiB/s at most).
          sincePause += data.byteLength;
          if (sincePause >= 1024 * 1024) {
            sincePause = 0;
            res.pause();
            setTimeout(() => res.resume(), 30);
          }
        });
        res.on('end', resolve);
        res.on('error', reject);
      });
      req.end(JSON.stringify({ totalBytes: TOTAL_BYTES, chunkBytes: CHUNK_BYTES }));
    });
    const elapsedMs = performance.now() - started;
    clearInterval(sampler);
    const hwmKiB = await memoryKiB(pid, 'VmHWM');

    console.log(
      `200 MB stream: ${(elapsedMs / 1000).toFixed(1)} s, ${(TOTAL_BYTES / 1024 / 1024 / (elapsedMs / 1000)).toFixed(1)} MiB/s, ` +
        `first byte after ${(firstByteAt - started).toFixed(0)} ms (cold start included), ` +
        `emulator RSS peak sampled ${(peakRssKiB / 1024).toFixed(1)} MiB, VmHWM ${(hwmKiB / 1024).toFixed(1)} MiB`,
    );
    expect(complete).toBe('{}');
    expect(received).toBe(TOTAL_BYTES);
    expect(hash.digest('hex')).toBe(expected);
    expect(hwmKiB / 1024).toBeLessThan(RSS_LIMIT_MIB);
  }, 180_000);
});
