/**
 * Benchmark results: the record written to `bench/results/latest.json`, the targets sluice is held to, and the
 * Markdown tables printed and written into `docs/benchmarks.md` between its result markers.
 */
import type { ColdStartRow } from '../measures/cold-start.js';
import type { InvocationRow } from '../measures/invocations.js';
import type { MemoryRow } from '../measures/memory.js';
import type { ThroughputRow } from '../measures/throughput.js';
import type { TtfbRow } from '../measures/ttfb.js';
import { FLOOR_NAME, NODE_E_0_NAME, SLUICE_NAME as SLUICE } from './contender-names.js';
import type { Machine } from './machine.js';

/**
 * How each measure was run, recorded beside its figures.
 *
 * @example
 * const settings: BenchSettings = { ttfbInvocations: 200, ttfbHoldMs: 10, throughputBytes: 200e6, throughputWriteSizes: [65536, 1024], throughputRuns: 3, memoryBytes: 2 ** 30, memoryWriteBytes: 65536, memoryReadBytesPerSecond: 100e6, coldStartSamples: 40, invocations: 2000, invocationWarmup: 2000, invocationRounds: 3 };
 */
export interface BenchSettings {
  ttfbInvocations: number;
  ttfbHoldMs: number;
  throughputBytes: number;
  throughputWriteSizes: number[];
  throughputRuns: number;
  memoryBytes: number;
  memoryWriteBytes: number;
  memoryReadBytesPerSecond: number;
  coldStartSamples: number;
  /** Per round. */
  invocations: number;
  invocationWarmup: number;
  invocationRounds: number;
}

/**
 * @example
 * const check: TargetCheck = { measure: 'cold start', target: 'within 15 ms of node -e 0', value: '+9.8 ms', met: true };
 */
export interface TargetCheck {
  measure: string;
  target: string;
  value: string;
  met: boolean;
}

/**
 * Everything one `npm run bench` measured.
 *
 * @example
 * const results: BenchResults = JSON.parse(readFileSync('bench/results/latest.json', 'utf8'));
 */
export interface BenchResults {
  date: string;
  machine: Machine;
  quick: boolean;
  settings: BenchSettings;
  runtimes: string[];
  ttfb: TtfbRow[];
  throughput: ThroughputRow[];
  memory: MemoryRow[];
  coldStart: ColdStartRow[];
  invocations: InvocationRow[];
  targets: TargetCheck[];
}

const signed = (value: number, unit: string) =>
  `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)} ${unit}`;

/**
 * Checks sluice's figures against its targets: TTFB p50 within 1 ms of the floor, throughput at least half the
 * floor's, peak RSS under 100 MiB (runtime) and 150 MiB (emulator), cold start within 15 ms of `node -e 0`, and
 * at least 2,000 sequential invocations per second. Rows missing from `results` are skipped.
 *
 * @example
 * checkTargets(results).filter((check) => !check.met); // what to profile next
 */
export function checkTargets(results: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const row of results.ttfb.filter((candidate) => candidate.contender === SLUICE)) {
    const floor = results.ttfb.find(
      (candidate) => candidate.front === row.front && candidate.contender === FLOOR_NAME,
    );
    if (!floor) continue;
    const over = row.p50 - floor.p50;
    checks.push({
      measure: `time to first byte, ${row.front}`,
      target: 'p50 within 1 ms of the floor',
      value: `${row.p50.toFixed(2)} ms (${signed(over, 'ms')})`,
      met: over <= 1,
    });
  }
  for (const row of results.throughput.filter((candidate) => candidate.contender === SLUICE)) {
    checks.push({
      measure: `throughput, ${row.front}, ${formatBytes(row.writeBytes)} writes`,
      target: 'at least half the floor',
      value: `${row.megabytesPerSecond} MB/s (${row.ratioToFloor.toFixed(2)}× floor)`,
      met: row.ratioToFloor >= 0.5,
    });
  }
  for (const row of results.memory.filter((candidate) => candidate.contender === SLUICE)) {
    checks.push({
      measure: `runtime peak RSS, ${row.front}`,
      target: 'under 100 MiB',
      value: `${row.runtimeMiB.toFixed(1)} MiB`,
      met: row.runtimeMiB < 100,
    });
    if (row.emulatorMiB !== undefined) {
      checks.push({
        measure: `emulator peak RSS, ${row.front}`,
        target: 'under 150 MiB',
        value: `${row.emulatorMiB.toFixed(1)} MiB`,
        met: row.emulatorMiB < 150,
      });
    }
  }
  const cold = results.coldStart.find((row) => row.contender === SLUICE);
  if (cold) {
    checks.push({
      measure: 'cold start',
      target: 'within 15 ms of node -e 0',
      value: `${cold.p50.toFixed(1)} ms (${signed(cold.overNodeMs, 'ms')})`,
      met: cold.overNodeMs <= 15,
    });
  }
  const sequential = results.invocations.find((row) => row.contender === SLUICE && row.mode === 'sequential');
  if (sequential) {
    checks.push({
      measure: 'sequential invocations',
      target: 'at least 2,000 per second',
      value: `${sequential.perSecond.toLocaleString('en-US')} /s`,
      met: sequential.perSecond >= 2000,
    });
  }
  return checks;
}

/**
 * `65536` → `64 KiB`, `209715200` → `200 MiB`, `200000000` → `200 MB`.
 *
 * @example
 * formatBytes(1024); // '1 KiB'
 */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  for (const [unit, size] of [
    ['GB', 1e9],
    ['MB', 1e6],
    ['kB', 1e3],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} B`;
}

function table(header: string[], rows: (string | number)[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/**
 * The results as Markdown: the machine, the targets, then one table per measure.
 *
 * @example
 * console.log(renderResults(results));
 */
export function renderResults(results: BenchResults): string {
  const { machine, settings } = results;
  const parts = [
    `Measured ${results.date.slice(0, 10)}${results.quick ? ' (quick run: small sizes, not for comparison)' : ''} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; ${machine.os}; Node.js ${machine.node}. Client, emulator and runtime share the machine.`,
    '### Targets',
    table(
      ['measure', 'target', 'sluice', 'met'],
      results.targets.map((check) => [
        check.measure,
        check.target,
        check.value,
        check.met ? 'yes' : '**no**',
      ]),
    ),
    `### Time to first byte (warm; ${settings.ttfbInvocations} invocations each; handler's first write to the client's first byte)`,
    table(
      ['front', 'contender', 'p50', 'p99'],
      results.ttfb.map((row) => [
        row.front,
        row.contender,
        `${row.p50.toFixed(2)} ms`,
        `${row.p99.toFixed(2)} ms`,
      ]),
    ),
    `### Throughput (${formatBytes(settings.throughputBytes)} per response; median of ${settings.throughputRuns} runs)`,
    table(
      ['front', 'writes', 'contender', 'MB/s', '× floor'],
      results.throughput.map((row) => [
        row.front,
        formatBytes(row.writeBytes),
        row.contender,
        row.megabytesPerSecond,
        row.ratioToFloor.toFixed(2),
      ]),
    ),
    `### Peak memory (${formatBytes(settings.memoryBytes)} in ${formatBytes(settings.memoryWriteBytes)} writes to a reader pacing itself at ${settings.memoryReadBytesPerSecond / 1e6} MB/s)`,
    table(
      ['front', 'contender', 'runtime RSS', 'emulator RSS', 'read at'],
      results.memory.map((row) => [
        row.front,
        row.contender,
        `${row.runtimeMiB.toFixed(1)} MiB${row.emulatorMiB === undefined ? ' (server)' : ''}`,
        row.emulatorMiB === undefined ? '—' : `${row.emulatorMiB.toFixed(1)} MiB`,
        `${row.megabytesPerSecond} MB/s`,
      ]),
    ),
    `### Cold start (spawn to the first GET next; ${settings.coldStartSamples} starts each)`,
    table(
      ['contender', 'p50', 'min', 'over node -e 0'],
      results.coldStart.map((row) => [
        row.contender,
        `${row.p50.toFixed(1)} ms`,
        `${row.min.toFixed(1)} ms`,
        row.contender === NODE_E_0_NAME ? '—' : signed(row.overNodeMs, 'ms'),
      ]),
    ),
    `### Invocations (Invoke API, buffered \`async () => 'ok'\`; after ${settings.invocationWarmup} warm-up invocations, median of ${settings.invocationRounds} interleaved rounds of ${settings.invocations})`,
    table(
      ['mode', 'contender', 'per second'],
      results.invocations.map((row) => [row.mode, row.contender, row.perSecond.toLocaleString('en-US')]),
    ),
  ];
  return parts.join('\n\n');
}

export const RESULTS_START = '<!-- bench:results:start -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/**
 * Replaces what lies between the result markers of `doc` with `generated`, keeping everything else.
 *
 * @example
 * writeFileSync('docs/benchmarks.md', replaceResults(readFileSync('docs/benchmarks.md', 'utf8'), renderResults(results)));
 */
export function replaceResults(doc: string, generated: string): string {
  const start = doc.indexOf(RESULTS_START);
  const end = doc.indexOf(RESULTS_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`the document has no ${RESULTS_START} … ${RESULTS_END} section to replace`);
  }
  return `${doc.slice(0, start + RESULTS_START.length)}\n${generated}\n${doc.slice(end)}`;
}
