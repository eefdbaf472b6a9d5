/**
 * Runs sluice's real bootstrap (`dist/runtime/bootstrap.js`) as a child process against the raw-TCP Runtime
 * API server, with handler files written to a fresh task root.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type QueuedInvocation,
  type RawRuntimeApi,
  type RawRuntimeApiOptions,
  startRawRuntimeApi,
} from './raw-runtime-api.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BOOTSTRAP = path.join(REPO_ROOT, 'dist/runtime/bootstrap.js');

/** Writes `files` (relative path → content) into a new temporary directory and returns it. */
export function writeTaskRoot(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sluice-task-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}

export interface BootstrapRun {
  api: RawRuntimeApi;
  child: ChildProcess;
  taskRoot: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process exits. */
  exited: Promise<number | string>;
  stop(): Promise<void>;
}

const running = new Set<BootstrapRun>();

/** Stops every process started by `runBootstrap` (call from afterEach). */
export async function stopAllBootstraps(): Promise<void> {
  await Promise.all([...running].map((run) => run.stop()));
}

export async function runBootstrap(options: {
  files: Record<string, string>;
  handler: string;
  invocations: QueuedInvocation[];
  env?: Record<string, string>;
  api?: Omit<RawRuntimeApiOptions, 'invocations'>;
  command?: string[];
}): Promise<BootstrapRun> {
  const taskRoot = writeTaskRoot(options.files);
  const api = await startRawRuntimeApi({ ...options.api, invocations: options.invocations });
  const [command, ...args] = options.command ?? [process.execPath, BOOTSTRAP];
  const child = spawn(command!, args, {
    cwd: taskRoot,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_LAMBDA_RUNTIME_API: api.address,
      _HANDLER: options.handler,
      LAMBDA_TASK_ROOT: taskRoot,
      AWS_LAMBDA_FUNCTION_NAME: 'test-fn',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/test-fn',
      AWS_LAMBDA_LOG_STREAM_NAME: 'test-stream',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (data: Buffer) => {
    output += data.toString();
  });
  child.stderr!.on('data', (data: Buffer) => {
    output += data.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const run: BootstrapRun = {
    api,
    child,
    taskRoot,
    output: () => output,
    exited,
    async stop() {
      running.delete(run);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      await api.close();
    },
  };
  running.add(run);
  return run;
}
