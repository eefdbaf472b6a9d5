/**
 * Memory: peak resident set size (VmHWM) of the runtime process and of the emulator process while a large
 * response streams to a client reading slower than the function writes. Bounded figures mean backpressure
 * holds end to end: the handler's `write()` returns false, it awaits 'drain', and nothing buffers the gap.
 * Each case gets a fresh emulator, so each peak is that case's own.
 */
import { FLOOR_NAME, type Runtime, startEmulatorProcess, startFloorProcess } from '../contenders.js';
import { readBody } from '../support/http-client.js';
import { childPids, peakRssMiB } from '../support/processes.js';
import { round } from '../support/stats.js';
import { FRONTS, type Front } from './ttfb.js';

/**
 * @example
 * const row: MemoryRow = { front: 'function URL', contender: 'sluice', runtimeMiB: 60.1, emulatorMiB: 98.3, megabytesPerSecond: 104 };
 */
export interface MemoryRow {
  front: Front | 'plain HTTP';
  contender: string;
  /** Peak RSS of the runtime process (for the floor: the server process), MiB. */
  runtimeMiB: number;
  /** Peak RSS of the emulator process, MiB; undefined for the floor. */
  emulatorMiB: number | undefined;
  /** The rate the slow reader actually read at, MB/s. */
  megabytesPerSecond: number;
}

export interface MemoryOptions {
  bytes: number;
  writeBytes: number;
  /** The slow reader's pace. */
  readBytesPerSecond: number;
}

/**
 * @example
 * const rows = await measureMemory([SLUICE, RIC], { bytes: 2 ** 30, writeBytes: 65536, readBytesPerSecond: 100e6 });
 */
export async function measureMemory(
  runtimes: readonly Runtime[],
  options: MemoryOptions,
): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  const query = new URLSearchParams({
    bytes: String(options.bytes),
    chunk: String(options.writeBytes),
  }).toString();
  for (const front of FRONTS) {
    for (const runtime of runtimes) {
      const emulator = await startEmulatorProcess([runtime], {
        handlers: ['stream'],
        // AWS caps streamed responses at 200 MiB; the memory case streams past it on purpose.
        streamedResponseBytes: options.bytes + 1024 * 1024,
      });
      try {
        const target = emulator.streaming(front, runtime, 'stream', {
          bytes: options.bytes,
          chunk: options.writeBytes,
        });
        const { bytes, seconds } = await readBody(target, options.readBytesPerSecond);
        if (bytes !== options.bytes)
          throw new Error(`${runtime.name}: received ${bytes} of ${options.bytes} bytes`);
        const runtimePids = childPids(emulator.server.pid);
        if (runtimePids.length !== 1) {
          throw new Error(`expected one runtime process under the emulator, found ${runtimePids.length}`);
        }
        rows.push({
          front,
          contender: runtime.name,
          runtimeMiB: round(peakRssMiB(runtimePids[0]!), 1),
          emulatorMiB: round(peakRssMiB(emulator.server.pid), 1),
          megabytesPerSecond: round(bytes / 1e6 / seconds, 0),
        });
      } finally {
        await emulator.server.stop();
      }
    }
  }
  const floor = await startFloorProcess();
  try {
    const { bytes, seconds } = await readBody(floor.target('/stream', query), options.readBytesPerSecond);
    rows.push({
      front: 'plain HTTP',
      contender: FLOOR_NAME,
      runtimeMiB: round(peakRssMiB(floor.server.pid), 1),
      emulatorMiB: undefined,
      megabytesPerSecond: round(bytes / 1e6 / seconds, 0),
    });
  } finally {
    await floor.server.stop();
  }
  return rows;
}
