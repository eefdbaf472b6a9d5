/**
 * `npm run bench` is not part of CI's timing (figures never fail a build), but the harness itself must keep
 * working: this runs it in quick mode and checks every measure produced rows for every contender and left no
 * process behind. No figure is compared with anything.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS_DIR, REPO_ROOT, RIC_ENTRY } from './contenders.js';
import { FLOOR_NAME, NODE_E_0_NAME, RIC_NAME, SLUICE_NAME } from './support/contender-names.js';
import type { BenchResults } from './support/report.js';

/** Pids of live processes whose working directory is `dir` (every runtime the benchmark starts runs there). */
function processesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === dir;
      } catch {
        return false; // exited meanwhile, or not ours to read
      }
    })
    .map(Number);
}

describe('npm run bench --quick', () => {
  it('measures every contender in every measure, writes the results and leaves no process behind', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'sluice-bench-')), 'results.json');
    const run = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'bench/index.ts', '--quick', '--out', out],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
    const runtimes = existsSync(RIC_ENTRY) ? [SLUICE_NAME, RIC_NAME] : [SLUICE_NAME];
    expect(results.runtimes).toEqual(runtimes);
    expect(run.stdout).toContain('### Time to first byte');

    const contenders = [...runtimes, FLOOR_NAME];
    for (const front of ['function URL', 'InvokeWithResponseStream']) {
      const ttfb = results.ttfb.filter((row) => row.front === front);
      expect(ttfb.map((row) => row.contender)).toEqual(contenders);
      for (const row of ttfb) expect(row.samples).toBe(results.settings.ttfbInvocations);
      for (const writeBytes of results.settings.throughputWriteSizes) {
        const rows = results.throughput.filter((row) => row.front === front && row.writeBytes === writeBytes);
        expect(rows.map((row) => row.contender).sort()).toEqual([...contenders].sort());
        for (const row of rows) expect(row.megabytesPerSecond).toBeGreaterThan(0);
      }
      const memory = results.memory.filter((row) => row.front === front);
      expect(memory.map((row) => row.contender)).toEqual(runtimes);
      for (const row of memory) {
        expect(row.runtimeMiB).toBeGreaterThan(10);
        expect(row.emulatorMiB).toBeGreaterThan(10);
      }
    }
    expect(results.memory.at(-1)?.contender).toBe(FLOOR_NAME);
    expect(results.coldStart.map((row) => row.contender)).toEqual([...runtimes, NODE_E_0_NAME]);
    for (const mode of ['sequential', '10 concurrent']) {
      expect(results.invocations.filter((row) => row.mode === mode).map((row) => row.contender)).toEqual(
        contenders,
      );
    }
    expect(results.targets.map((check) => check.measure)).toContain('sequential invocations');

    // Every runtime and server the run started is gone.
    expect(processesIn(FUNCTIONS_DIR)).toEqual([]);
    const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(processes).not.toContain('bench/support/emulator-server.mjs');
    expect(processes).not.toContain('bench/support/floor-server.mjs');
  }, 150_000);
});
