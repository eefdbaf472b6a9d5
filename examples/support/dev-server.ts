/**
 * Runs `sluice dev` for an example as a user would (the built CLI, `node dist/cli/bin.js dev <dir> --port 0
 * --no-watch`), waits for its "serving at" line and stops it with SIGINT. Tests get the base URL, the
 * output so far, and the process tree, so they can check that stopping leaves no runtime behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

/** The repository root (examples/support/../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The built CLI. */
export const CLI = path.join(REPO_ROOT, 'dist/cli/bin.js');

/** The key pair `sluice dev` accepts for AWS_IAM function URLs when its environment names none. */
export const DEV_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
});

/** The line `sluice dev` prints once every function is built and the server listens. */
const READY = /sluice dev is serving at (http:\/\/\S+) /;
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes from the CLI's output
const ANSI = /\u001b\[[0-9;]*m/g;

/** Variables passed through to `sluice dev`; everything else (AWS_*, SLUICE_*) is left out on purpose. */
const PASSED_ENV = ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LC_ALL', 'TZ', 'SystemRoot'];

/**
 * A process identified by pid and start time (field 22 of /proc/<pid>/stat), so a recycled pid is not
 * mistaken for the original process.
 */
export interface ProcessId {
  pid: number;
  startTime: string;
  command: string;
}

function readStat(pid: number): { ppid: number; startTime: string; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command (field 2) is in parentheses and may contain spaces: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/**
 * Every live descendant of `root` (children, their children, …), read from /proc.
 *
 * @example
 * const tree = descendants(dev.pid); // [{ pid: 4242, startTime: '81234', command: 'node …/bootstrap.js' }]
 */
export function descendants(root: number): ProcessId[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(Number(entry));
    children.set(stat.ppid, siblings);
  }
  const found: ProcessId[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    const stat = readStat(pid);
    if (stat && stat.state !== 'Z') found.push({ pid, startTime: stat.startTime, command: commandLine(pid) });
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/**
 * Whether that very process still runs (a zombie counts as gone: it has exited).
 *
 * @example
 * expect(tree.filter(isAlive)).toEqual([]);
 */
export function isAlive(process: ProcessId): boolean {
  const stat = readStat(process.pid);
  return stat !== undefined && stat.startTime === process.startTime && stat.state !== 'Z';
}

/**
 * A running `sluice dev`.
 *
 * @example
 * const dev = await startDev('examples/gettysburg');
 * await fetch(`${dev.baseUrl}/lambda-url/GettysburgStreaming/`);
 * expect(await dev.stop()).toEqual({ code: 0, signal: null });
 */
export interface DevServer {
  /** `http://127.0.0.1:<port>`: the Lambda API endpoint; function URLs are under `/lambda-url/<Name>/`. */
  readonly baseUrl: string;
  readonly pid: number;
  /** Everything printed so far (stdout and stderr interleaved, colours stripped). */
  output(): string;
  /** The function URL of `functionName`, path style. */
  functionUrl(functionName: string): string;
  /** SIGINT, then waits for the exit (SIGKILL after `graceMs`). Idempotent. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Options for {@link startDev}. */
export interface StartDevOptions {
  /** Milliseconds to wait for the ready line; default 60 000 (it bundles every function with esbuild first). */
  readyTimeoutMs?: number;
  /** Extra environment for the dev process (on top of a minimal PATH/HOME). */
  env?: Record<string, string>;
  /** Extra arguments after `dev <target> --port 0 --no-watch`. */
  args?: string[];
}

const running = new Set<ChildProcess>();
// If the test process dies without running its hooks, take the servers down with it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `sluice dev <target> --port 0 --no-watch` with a controlled environment and resolves once it
 * serves. Rejects (after killing it) if it exits or stays silent past the timeout, with its output.
 *
 * @example
 * const dev = await startDev(path.join(REPO_ROOT, 'examples/streaming-function-url'));
 */
export function startDev(target: string, options: StartDevOptions = {}): Promise<DevServer> {
  const env: Record<string, string> = { NO_COLOR: '1' };
  for (const key of PASSED_ENV) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, options.env);
  const child = spawn(
    process.execPath,
    [CLI, 'dev', target, '--port', '0', '--no-watch', ...(options.args ?? [])],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  let output = '';
  let stdout = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    // 'close' rather than 'exit': by then everything it printed has been read.
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  child.stdout!.on('data', (data: Buffer) => {
    const text = data.toString('utf8').replace(ANSI, '');
    output += text;
    stdout += text;
  });
  child.stderr!.on('data', (data: Buffer) => {
    output += data.toString('utf8').replace(ANSI, '');
  });

  let stopping: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  const stop = (graceMs = 15_000) => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    })();
    return stopping;
  };

  return new Promise<DevServer>((resolve, reject) => {
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    const fail = (why: string) => {
      cleanup();
      void stop(2_000).then(() => reject(new Error(`sluice dev ${why}. Output:\n${output}`)));
    };
    const timer = setTimeout(() => fail(`printed no ready line within ${timeoutMs} ms`), timeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`exited (code ${code}, signal ${signal}) before it was ready`);
    const onData = () => {
      const match = READY.exec(stdout);
      if (!match) return;
      cleanup();
      const baseUrl = match[1]!.replace(/\/+$/, '');
      resolve({
        baseUrl,
        pid: child.pid!,
        output: () => output,
        functionUrl: (name) => `${baseUrl}/lambda-url/${name}/`,
        stop,
      });
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout!.off('data', onData);
    };
    child.once('exit', onExit);
    child.stdout!.on('data', onData);
  });
}

/**
 * Starts `sluice dev` for a whole test file (beforeAll) and always stops it (afterAll, failures included).
 * Returns a getter for the running server.
 *
 * @example
 * const dev = useDevServer('streaming-function-url');
 * it('streams', async () => { await fetch(dev().functionUrl('SendNumbersWithPause')); });
 */
export function useDevServer(example: string, options: StartDevOptions = {}): () => DevServer {
  let server: DevServer | undefined;
  beforeAll(
    async () => {
      server = await startDev(path.join(REPO_ROOT, 'examples', example), options);
    },
    (options.readyTimeoutMs ?? 60_000) + 30_000,
  );
  afterAll(async () => {
    await server?.stop();
  }, 30_000);
  return () => {
    if (!server) throw new Error(`sluice dev for ${example} is not running`);
    return server;
  };
}
