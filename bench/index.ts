/**
 * `npm run bench`: sluice's runtime against AWS's Node runtime client (aws-lambda-ric 3.3.0), both under
 * sluice's emulator, and against the floor (a bare Node.js HTTP server and client on loopback doing the same
 * byte work), side by side in one run. Prints the tables, writes `bench/results/latest.json` and rewrites the
 * results section of `docs/benchmarks.md`.
 *
 * Options:
 *   --quick        small sizes and counts, to check the harness works (writes bench/results/quick.json only)
 *   --out <file>   where to write the JSON results
 *   --docs <file>  the document whose results section to rewrite; --no-docs to leave documents alone
 *   --only <list>  comma-separated measures: ttfb,throughput,memory,cold-start,invocations
 *
 * Timing never fails anything: the figures are recorded with the targets they meet or miss.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { availableRuntimes, REPO_ROOT, startEmulatorProcess, startFloorProcess } from './contenders.js';
import { measureColdStart } from './measures/cold-start.js';
import { measureInvocations } from './measures/invocations.js';
import { measureMemory } from './measures/memory.js';
import { measureThroughput } from './measures/throughput.js';
import { measureTtfb } from './measures/ttfb.js';
import { agent } from './support/http-client.js';
import { describeMachine } from './support/machine.js';
import {
  type BenchResults,
  type BenchSettings,
  checkTargets,
  renderResults,
  replaceResults,
} from './support/report.js';

const MEASURES = ['ttfb', 'throughput', 'memory', 'cold-start', 'invocations'] as const;

const FULL: BenchSettings = {
  ttfbInvocations: 200,
  ttfbHoldMs: 10,
  throughputBytes: 200_000_000,
  throughputWriteSizes: [64 * 1024, 1024],
  throughputRuns: 3,
  memoryBytes: 1024 ** 3,
  memoryWriteBytes: 64 * 1024,
  memoryReadBytesPerSecond: 100_000_000,
  coldStartSamples: 40,
  invocations: 2000,
  invocationWarmup: 2000,
  invocationRounds: 3,
};

const QUICK: BenchSettings = {
  ttfbInvocations: 5,
  ttfbHoldMs: 2,
  throughputBytes: 2_000_000,
  throughputWriteSizes: [64 * 1024, 1024],
  throughputRuns: 1,
  memoryBytes: 16 * 1024 ** 2,
  memoryWriteBytes: 64 * 1024,
  memoryReadBytesPerSecond: 50_000_000,
  coldStartSamples: 2,
  invocations: 50,
  invocationWarmup: 20,
  invocationRounds: 1,
};

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    docs: { type: 'string' },
    'no-docs': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const settings = values.quick ? QUICK : FULL;
const only = new Set(values.only ? values.only.split(',') : MEASURES);
for (const name of only) {
  if (!(MEASURES as readonly string[]).includes(name))
    throw new Error(`unknown measure ${name}; one of ${MEASURES}`);
}
const outFile = path.resolve(
  values.out ?? path.join(REPO_ROOT, `bench/results/${values.quick ? 'quick' : 'latest'}.json`),
);
const docsFile =
  values['no-docs'] || values.quick
    ? undefined
    : path.resolve(values.docs ?? path.join(REPO_ROOT, 'docs/benchmarks.md'));

const log = (message: string) => console.error(`[bench] ${message}`);
const runtimes = availableRuntimes();
const started = Date.now();
const results: Omit<BenchResults, 'targets'> = {
  date: new Date().toISOString(),
  machine: describeMachine(),
  quick: values.quick,
  settings,
  runtimes: runtimes.map((runtime) => runtime.name),
  ttfb: [],
  throughput: [],
  memory: [],
  coldStart: [],
  invocations: [],
};

if (only.has('ttfb') || only.has('throughput') || only.has('invocations')) {
  const emulator = await startEmulatorProcess(runtimes, { handlers: ['ttfb', 'stream', 'tiny'] });
  const floor = await startFloorProcess();
  try {
    if (only.has('ttfb')) {
      log('time to first byte');
      results.ttfb = await measureTtfb(emulator, floor, runtimes, {
        invocations: settings.ttfbInvocations,
        hold: settings.ttfbHoldMs,
      });
    }
    if (only.has('throughput')) {
      log('throughput');
      results.throughput = await measureThroughput(emulator, floor, runtimes, {
        bytes: settings.throughputBytes,
        writeSizes: settings.throughputWriteSizes,
        runs: settings.throughputRuns,
      });
    }
    if (only.has('invocations')) {
      log('invocations');
      results.invocations = await measureInvocations(emulator, floor, runtimes, {
        invocations: settings.invocations,
        warmup: settings.invocationWarmup,
        rounds: settings.invocationRounds,
      });
    }
  } finally {
    agent.destroy();
    await emulator.server.stop();
    await floor.server.stop();
  }
}
if (only.has('memory')) {
  log('memory');
  results.memory = await measureMemory(runtimes, {
    bytes: settings.memoryBytes,
    writeBytes: settings.memoryWriteBytes,
    readBytesPerSecond: settings.memoryReadBytesPerSecond,
  });
}
if (only.has('cold-start')) {
  log('cold start');
  results.coldStart = await measureColdStart(runtimes, { samples: settings.coldStartSamples });
}
agent.destroy();

const complete: BenchResults = { ...results, targets: checkTargets(results) };
const rendered = renderResults(complete);
console.log(rendered);
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(complete, null, 2)}\n`);
log(`wrote ${path.relative(process.cwd(), outFile)}`);
if (docsFile) {
  writeFileSync(docsFile, replaceResults(readFileSync(docsFile, 'utf8'), rendered));
  log(`updated ${path.relative(process.cwd(), docsFile)}`);
}
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
