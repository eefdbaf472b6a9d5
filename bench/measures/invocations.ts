/**
 * Invocation overhead: the smallest buffered function invoked through the Invoke API as fast as one client can,
 * one at a time and ten at a time, against the floor answering the same request itself.
 */
import { type EmulatorProcess, FLOOR_NAME, type FloorProcess, type Runtime } from '../contenders.js';
import { send, type Target } from '../support/http-client.js';
import { median, round } from '../support/stats.js';

export type Concurrency = 'sequential' | '10 concurrent';

/**
 * `perSecond` is the median of interleaved rounds of `invocations` each, after a warm-up.
 *
 * @example
 * const row: InvocationRow = { mode: 'sequential', contender: 'sluice', perSecond: 2100, invocations: 3000 };
 */
export interface InvocationRow {
  mode: Concurrency;
  contender: string;
  perSecond: number;
  invocations: number;
}

async function rate(target: Target, count: number, workers: number): Promise<number> {
  let started = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (started < count) {
        started++;
        await send(target);
      }
    }),
  );
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

/**
 * @example
 * const rows = await measureInvocations(emulator, floor, [SLUICE, RIC], { invocations: 2000, warmup: 2000, rounds: 3 });
 */
export async function measureInvocations(
  emulator: EmulatorProcess,
  floor: FloorProcess,
  runtimes: readonly Runtime[],
  options: { invocations: number; warmup: number; rounds: number },
): Promise<InvocationRow[]> {
  const cases = [
    ...runtimes.map((runtime) => ({ contender: runtime.name, target: emulator.invoke(runtime, 'tiny') })),
    { contender: FLOOR_NAME, target: floor.target('/tiny') },
  ];
  const rows: InvocationRow[] = [];
  for (const [mode, workers] of [
    ['sequential', 1],
    ['10 concurrent', 10],
  ] as const) {
    // Warm: a warm execution environment serves invocation after invocation, and both the emulator and the
    // runtimes run several times slower until V8 has optimised their hot paths (about the first thousand
    // invocations). The first concurrent round also starts the ten environments, outside any measured round.
    for (const { target } of cases) await rate(target, options.warmup, workers);
    const rates = cases.map(() => [] as number[]);
    for (let round = 0; round < options.rounds; round++) {
      for (const [index, { target }] of cases.entries())
        rates[index]!.push(await rate(target, options.invocations, workers));
    }
    for (const [index, { contender }] of cases.entries()) {
      rows.push({
        mode,
        contender,
        perSecond: round(median(rates[index]!), 0),
        invocations: options.invocations,
      });
    }
  }
  return rows;
}
