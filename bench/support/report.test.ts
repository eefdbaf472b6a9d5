import { describe, expect, it } from 'vitest';
import { FLOOR_NAME, NODE_E_0_NAME, RIC_NAME, SLUICE_NAME } from './contender-names.js';
import {
  type BenchResults,
  checkTargets,
  formatBytes,
  RESULTS_END,
  RESULTS_START,
  renderResults,
  replaceResults,
} from './report.js';

const results: Omit<BenchResults, 'targets'> = {
  date: '2026-11-21T12:00:00.000Z',
  machine: { cpu: 'Test CPU', cores: 2, memoryGiB: 24, os: 'Linux', node: 'v20.20.2' },
  quick: false,
  settings: {
    ttfbInvocations: 200,
    ttfbHoldMs: 10,
    throughputBytes: 200_000_000,
    throughputWriteSizes: [65536, 1024],
    throughputRuns: 3,
    memoryBytes: 1024 ** 3,
    memoryWriteBytes: 65536,
    memoryReadBytesPerSecond: 100_000_000,
    coldStartSamples: 40,
    invocations: 2000,
    invocationWarmup: 2000,
    invocationRounds: 3,
  },
  runtimes: [SLUICE_NAME, RIC_NAME],
  ttfb: [
    { front: 'function URL', contender: SLUICE_NAME, p50: 1.2, p99: 3, samples: 200 },
    { front: 'function URL', contender: FLOOR_NAME, p50: 0.5, p99: 1, samples: 200 },
    { front: 'InvokeWithResponseStream', contender: SLUICE_NAME, p50: 1.6, p99: 3, samples: 200 },
    { front: 'InvokeWithResponseStream', contender: FLOOR_NAME, p50: 0.5, p99: 1, samples: 200 },
  ],
  throughput: [
    {
      front: 'function URL',
      writeBytes: 1024,
      contender: SLUICE_NAME,
      megabytesPerSecond: 100,
      ratioToFloor: 0.49,
      runs: 3,
    },
  ],
  memory: [
    {
      front: 'function URL',
      contender: SLUICE_NAME,
      runtimeMiB: 99.9,
      emulatorMiB: 150,
      megabytesPerSecond: 100,
    },
    {
      front: 'plain HTTP',
      contender: FLOOR_NAME,
      runtimeMiB: 50,
      emulatorMiB: undefined,
      megabytesPerSecond: 100,
    },
  ],
  coldStart: [
    { contender: SLUICE_NAME, p50: 45, min: 40, overNodeMs: 15, samples: 40 },
    { contender: NODE_E_0_NAME, p50: 30, min: 28, overNodeMs: 0, samples: 40 },
  ],
  invocations: [{ mode: 'sequential', contender: SLUICE_NAME, perSecond: 1999, invocations: 3000 }],
};

describe('checkTargets', () => {
  it('holds sluice’s rows to each target, at its boundary', () => {
    const checks = checkTargets(results);
    const met = Object.fromEntries(checks.map((check) => [check.measure, check.met]));
    expect(met).toEqual({
      'time to first byte, function URL': true, // +0.7 ms
      'time to first byte, InvokeWithResponseStream': false, // +1.1 ms
      'throughput, function URL, 1 KiB writes': false, // 0.49× floor
      'runtime peak RSS, function URL': true, // 99.9 MiB
      'emulator peak RSS, function URL': false, // 150 MiB is not under 150
      'cold start': true, // exactly 15 ms over
      'sequential invocations': false, // 1,999
    });
    expect(checks.find((check) => check.measure === 'cold start')?.value).toBe('45.0 ms (+15.00 ms)');
  });
});

describe('formatBytes', () => {
  it('names binary and decimal sizes exactly, or falls back to bytes', () => {
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(65536)).toBe('64 KiB');
    expect(formatBytes(1024 ** 3)).toBe('1 GiB');
    expect(formatBytes(200_000_000)).toBe('200 MB');
    expect(formatBytes(1500)).toBe('1500 B');
  });
});

describe('renderResults and replaceResults', () => {
  it('renders every measure and replaces only the marked section', () => {
    const rendered = renderResults({ ...results, targets: checkTargets(results) });
    expect(rendered).toContain('Measured 2026-11-21 on Test CPU, 2 cores, 24 GiB');
    for (const heading of [
      'Targets',
      'Time to first byte',
      'Throughput',
      'Peak memory',
      'Cold start',
      'Invocations',
    ]) {
      expect(rendered).toContain(`### ${heading}`);
    }
    expect(rendered).toContain('| emulator peak RSS, function URL | under 150 MiB | 150.0 MiB | **no** |');
    expect(rendered).toContain(
      '| plain HTTP | floor (bare Node.js http) | 50.0 MiB (server) | — | 100 MB/s |',
    );

    const doc = `# Benchmarks\n\nintro\n\n${RESULTS_START}\nold\n${RESULTS_END}\n\nafter\n`;
    const updated = replaceResults(doc, rendered);
    expect(updated.startsWith('# Benchmarks\n\nintro\n\n')).toBe(true);
    expect(updated.endsWith(`${RESULTS_END}\n\nafter\n`)).toBe(true);
    expect(updated).not.toContain('\nold\n');
    expect(replaceResults(updated, 'again')).toBe(
      `# Benchmarks\n\nintro\n\n${RESULTS_START}\nagain\n${RESULTS_END}\n\nafter\n`,
    );
    expect(() => replaceResults('# no markers', rendered)).toThrow(/no <!-- bench:results:start -->/);
  });
});
