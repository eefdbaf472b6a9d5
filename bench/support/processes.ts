/**
 * Child processes of a benchmark run, read through /proc (Linux): peak resident memory and children. Every
 * process started here is killed when the run ends or is interrupted, so a benchmark leaves nothing behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const MIB = 1024 * 1024;
const started = new Set<ChildProcess>();

function killAll(): void {
  for (const child of started) child.kill('SIGKILL');
}
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * Peak resident set size (`VmHWM`) of a live process, in MiB: the most memory it ever held at once.
 *
 * @example
 * peakRssMiB(process.pid); // 48.2
 */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`/proc/${pid}/status has no VmHWM line`);
  return (Number(match[1]) * 1024) / MIB;
}

/**
 * Pids of the direct children of `pid`, from every thread's `children` list.
 *
 * @example
 * childPids(emulatorPid); // [41234] (the runtime of the one warm environment)
 */
export function childPids(pid: number): number[] {
  const children = new Set<number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const list = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    for (const child of list.split(/\s+/)) if (child) children.add(Number(child));
  }
  return [...children];
}

/** A server started as a child process that prints one JSON line when it is ready. */
export interface ServerProcess<Ready> {
  child: ChildProcess;
  pid: number;
  ready: Ready;
  stop(): Promise<void>;
}

/**
 * Starts `node <script> <argument>` and waits for its first stdout line, parsed as JSON. The server must exit
 * when its stdin closes, so it dies with the benchmark even if this process is killed outright.
 *
 * @example
 * const floor = await startServerProcess<{ url: string }>('bench/support/floor-server.mjs', '{}');
 */
export async function startServerProcess<Ready>(
  script: string,
  argument: string,
): Promise<ServerProcess<Ready>> {
  const child = spawn(process.execPath, [script, argument], { stdio: ['pipe', 'pipe', 'inherit'] });
  started.add(child);
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line as string),
    exited.then(([code]) => {
      throw new Error(`${script} exited with ${code} before it was ready`);
    }),
  ]);
  lines.close();
  child.stdout!.resume();
  return {
    child,
    pid: child.pid!,
    ready: JSON.parse(first) as Ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin!.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      started.delete(child);
    },
  };
}
