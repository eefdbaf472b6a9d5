/**
 * Time to first byte: from the handler's first `write()` to the client reading that byte, through a function
 * URL and through InvokeWithResponseStream, warm. Contenders take turns sample by sample, so drift in the
 * machine's load falls on all of them alike.
 */
import {
  type EmulatorProcess,
  FLOOR_NAME,
  type FloorProcess,
  type Runtime,
  type StreamingFront,
} from '../contenders.js';
import { type Target, timeToFirstByte } from '../support/http-client.js';
import { quantile, round } from '../support/stats.js';

export type Front = StreamingFront;
export const FRONTS: readonly Front[] = ['function URL', 'InvokeWithResponseStream'];

/**
 * @example
 * const row: TtfbRow = { front: 'function URL', contender: 'sluice', p50: 0.61, p99: 1.4, samples: 200 };
 */
export interface TtfbRow {
  front: Front;
  contender: string;
  /** Milliseconds. */
  p50: number;
  p99: number;
  samples: number;
}

export interface TtfbOptions {
  invocations: number;
  /** Milliseconds the handler holds the stream open after its first write. */
  hold: number;
}

/**
 * @example
 * const rows = await measureTtfb(emulator, floor, [SLUICE, RIC], { invocations: 200, hold: 10 });
 */
export async function measureTtfb(
  emulator: EmulatorProcess,
  floor: FloorProcess,
  runtimes: readonly Runtime[],
  options: TtfbOptions,
): Promise<TtfbRow[]> {
  const query = `hold=${options.hold}`;
  const cases: { front: Front; contender: string; target: Target; samples: number[] }[] = [];
  for (const front of FRONTS) {
    for (const runtime of runtimes) {
      const target = emulator.streaming(front, runtime, 'ttfb', { hold: options.hold });
      cases.push({ front, contender: runtime.name, target, samples: [] });
    }
    cases.push({ front, contender: FLOOR_NAME, target: floor.target('/ttfb', query), samples: [] });
  }
  const warmup = Math.max(5, Math.floor(options.invocations / 10));
  for (let i = 0; i < warmup + options.invocations; i++) {
    for (const entry of cases) {
      const ms = await timeToFirstByte(entry.target);
      if (i >= warmup) entry.samples.push(ms);
    }
  }
  return cases.map(({ front, contender, samples }) => ({
    front,
    contender,
    p50: round(quantile(samples, 0.5), 3),
    p99: round(quantile(samples, 0.99), 3),
    samples: samples.length,
  }));
}
