import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// No orphans when the emulator's own process goes away: runtimes run in process groups of their own (so a
// terminal's Ctrl-C does not reach them), and the emulator kills them on its way out.

const EMULATOR_PROCESS = fileURLToPath(new URL('./test-fixtures/emulator-process.mjs', import.meta.url));
const BUILT_EMULATOR = fileURLToPath(new URL('../../dist/emulator/index.js', import.meta.url));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('when the emulator process is interrupted', () => {
  it('kills the runtimes it started, even mid-invocation', async () => {
    expect(
      existsSync(BUILT_EMULATOR),
      'run `npm run build` first: this test runs the emulator from dist/',
    ).toBe(true);
    const dir = await mkdtemp(path.join(tmpdir(), 'sluice-exit-'));
    try {
      const functions = [{ name: 'hang', handler: 'handlers.misbehave', timeout: 60 }];
      const child = spawn(process.execPath, [EMULATOR_PROCESS, JSON.stringify(functions)], {
        stdio: ['pipe', 'pipe', 'ignore'],
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_code, signal) => resolve(signal)),
      );
      const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
      const { url } = JSON.parse(first.value as string) as { url: string };

      const pidFile = path.join(dir, 'pid');
      const req = request(`${url}/2015-03-31/functions/hang/invocations`, { method: 'POST' });
      req.on('error', () => {});
      req.end(JSON.stringify({ action: 'hang', pidFile }));
      await expect.poll(() => existsSync(pidFile), { timeout: 10_000 }).toBe(true);
      const runtimePid = Number(await readFile(pidFile, 'utf8'));
      expect(alive(runtimePid)).toBe(true);

      child.kill('SIGINT');
      // The signal keeps its default effect: the emulator process ends because of it.
      expect(await exited).toBe('SIGINT');
      await expect.poll(() => alive(runtimePid), { timeout: 5_000 }).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
