/**
 * Throughput: a large response streamed through a function URL and through InvokeWithResponseStream, in
 * 64 KiB writes and in 1 KiB writes (AWS's Node runtime client is reported to hold small chunks back:
 * aws-lambda-nodejs-runtime-interface-client#102), each against the floor doing the same writes.
 */
import { type EmulatorProcess, FLOOR_NAME, type FloorProcess, type Runtime } from '../contenders.js';
import { readBody } from '../support/http-client.js';
import { median, round } from '../support/stats.js';
import { FRONTS, type Front } from './ttfb.js';

/**
 * @example
 * const row: ThroughputRow = { front: 'function URL', writeBytes: 65536, contender: 'sluice', megabytesPerSecond: 512, ratioToFloor: 0.6, runs: 3 };
 */
export interface ThroughputRow {
  front: Front;
  /** Bytes per `write()` in the handler. */
  writeBytes: number;
  contender: string;
  /** Payload megabytes (10^6 bytes) per second, request sent to last byte read; median of the runs. */
  megabytesPerSecond: number;
  ratioToFloor: number;
  runs: number;
}

export interface ThroughputOptions {
  bytes: number;
  writeSizes: readonly number[];
  runs: number;
}

/**
 * @example
 * const rows = await measureThroughput(emulator, floor, [SLUICE], { bytes: 200e6, writeSizes: [65536, 1024], runs: 3 });
 */
export async function measureThroughput(
  emulator: EmulatorProcess,
  floor: FloorProcess,
  runtimes: readonly Runtime[],
  options: ThroughputOptions,
): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const writeBytes of options.writeSizes) {
    const targets = (bytes: number) => {
      const query = new URLSearchParams({ bytes: String(bytes), chunk: String(writeBytes) }).toString();
      return [
        { front: undefined, contender: FLOOR_NAME, target: floor.target('/stream', query) },
        ...FRONTS.flatMap((front) =>
          runtimes.map((runtime) => ({
            front,
            contender: runtime.name,
            target: emulator.streaming(front, runtime, 'stream', { bytes, chunk: writeBytes }),
          })),
        ),
      ];
    };
    // One small response each first, so no run pays for starting an execution environment.
    for (const { target } of targets(64 * 1024)) await readBody(target);
    const cases = targets(options.bytes).map((entry) => ({ ...entry, rates: [] as number[] }));
    for (let run = 0; run < options.runs; run++) {
      for (const entry of cases) {
        const { bytes, seconds } = await readBody(entry.target);
        if (bytes !== options.bytes) {
          throw new Error(
            `${entry.contender}: received ${bytes} of ${options.bytes} bytes from ${entry.target.url}`,
          );
        }
        entry.rates.push(bytes / 1e6 / seconds);
      }
    }
    const [floorCase] = cases;
    const floorRate = median(floorCase!.rates);
    for (const front of FRONTS) {
      rows.push({
        front,
        writeBytes,
        contender: FLOOR_NAME,
        megabytesPerSecond: round(floorRate, 0),
        ratioToFloor: 1,
        runs: options.runs,
      });
      for (const entry of cases.filter((candidate) => candidate.front === front)) {
        const rate = median(entry.rates);
        rows.push({
          front,
          writeBytes,
          contender: entry.contender,
          megabytesPerSecond: round(rate, 0),
          ratioToFloor: round(rate / floorRate, 2),
          runs: options.runs,
        });
      }
    }
  }
  return rows;
}
