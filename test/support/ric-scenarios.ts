/**
 * The awslambda-style scenario handlers of test/fixtures/ric-scenarios and a runner that executes one of them
 * under any runtime command against the raw-TCP Runtime API, returning the normalised traffic.
 *
 * scripts/record-ric-fixtures.ts runs them under the official Node runtime client (aws-lambda-ric 3.3.0, see
 * scripts/setup-ric.sh) to produce test/fixtures/ric/*.json; the parity test runs the same scenarios under
 * sluice's bootstrap and compares.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type QueuedInvocation, type RecordedRequest, startRawRuntimeApi } from './raw-runtime-api.js';
import { type Json, type NormalizedTraffic, normalizeTraffic } from './traffic.js';

/** Absolute path of the repository root (no trailing slash). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const SCENARIO_DIR = `${REPO_ROOT}/test/fixtures/ric-scenarios`;
/** aws-lambda-ric's launcher, installed by scripts/setup-ric.sh. */
export const RIC_BIN = `${REPO_ROOT}/test/ric/node_modules/aws-lambda-ric/bin/index.mjs`;
export const RIC_PACKAGE_JSON = `${REPO_ROOT}/test/ric/node_modules/aws-lambda-ric/package.json`;

export interface ScenarioInvocation {
  requestId: string;
  event: Json;
  /** Sent as `Lambda-Runtime-Trace-Id`. */
  traceId?: string;
  /** JSON-encoded into `Lambda-Runtime-Client-Context`. */
  clientContext?: Json;
  /** JSON-encoded into `Lambda-Runtime-Cognito-Identity`. */
  cognitoIdentity?: Json;
}

export interface Scenario {
  name: string;
  /** Relative to test/fixtures/ric-scenarios. */
  taskRoot: string;
  /** The `_HANDLER` value, e.g. `index.plainStream` or `src/app.handler`. */
  handler: string;
  invocations: ScenarioInvocation[];
  /** The code the runtime exits with by itself (init errors: 129), or null when it must keep serving. */
  expectExit: number | null;
}

/** Reads and checks test/fixtures/ric-scenarios/scenarios.json. */
export function loadScenarios(): Scenario[] {
  const file = `${SCENARIO_DIR}/scenarios.json`;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { scenarios?: unknown };
  if (!Array.isArray(parsed.scenarios)) throw new Error(`${file}: no "scenarios" array`);
  const names = new Set<string>();
  return parsed.scenarios.map((raw: unknown, index): Scenario => {
    // A light shape check: the file is hand-edited, and a typo should fail here rather than as a hung runtime.
    const entry = (raw ?? {}) as Partial<Record<keyof Scenario, unknown>>;
    const where = `${file}: scenarios[${index}]`;
    const { name, taskRoot, handler, invocations, expectExit } = entry;
    if (typeof name !== 'string' || !/^[a-z0-9-]+$/.test(name)) throw new Error(`${where}: bad name`);
    if (names.has(name)) throw new Error(`${where}: duplicate name ${name}`);
    names.add(name);
    if (typeof taskRoot !== 'string' || !existsSync(`${SCENARIO_DIR}/${taskRoot}`)) {
      throw new Error(`${where}: taskRoot ${String(taskRoot)} does not exist`);
    }
    if (typeof handler !== 'string' || handler === '') throw new Error(`${where}: bad handler`);
    if (!Array.isArray(invocations) || invocations.length === 0) {
      throw new Error(`${where}: needs at least one invocation`);
    }
    for (const invocation of invocations as unknown[]) {
      const { requestId } = (invocation ?? {}) as { requestId?: unknown };
      if (typeof requestId !== 'string' || requestId === '') {
        throw new Error(`${where}: invocation without requestId`);
      }
      if (!('event' in (invocation as object))) {
        throw new Error(`${where}: invocation ${requestId} has no event`);
      }
    }
    if (expectExit !== null && typeof expectExit !== 'number') throw new Error(`${where}: bad expectExit`);
    return entry as Scenario;
  });
}

/** Absolute task root of a scenario. */
export function scenarioTaskRoot(scenario: Scenario): string {
  return `${SCENARIO_DIR}/${scenario.taskRoot}`;
}

/** The command that runs a scenario under aws-lambda-ric 3.3.0, which takes the handler from argv, not env. */
export function ricCommand(scenario: Scenario): string[] {
  return ['node', RIC_BIN, scenario.handler];
}

/**
 * The function environment every scenario runs with (besides `_HANDLER`, `LAMBDA_TASK_ROOT` and
 * `AWS_LAMBDA_RUNTIME_API`). aws-lambda-ric 4.x requires all five; 3.3.0 copies them into the context.
 */
export const FUNCTION_ENV: Readonly<Record<string, string>> = {
  AWS_LAMBDA_FUNCTION_NAME: 'ric-fixture',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
  AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/ric-fixture',
  AWS_LAMBDA_LOG_STREAM_NAME: 'fixture',
};

export interface ScenarioRunOptions {
  /** Give up (and fail) when the runtime neither served everything nor exited within this time. Default 20 s. */
  timeoutMs?: number;
  /**
   * How long to keep listening after the expected requests arrived, so that extra requests (which would be a
   * difference) are seen too. Default 200 ms.
   */
  settleMs?: number;
}

export interface ScenarioRun {
  /** `served`: every invocation answered and the runtime is waiting on `GET /next`; `exited`: it ended by itself. */
  outcome: 'served' | 'exited';
  /** Exit code when `outcome` is `exited` (null if it died from a signal). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  traffic: NormalizedTraffic;
  requests: RecordedRequest[];
  /** The Runtime API address the runtime was given (`127.0.0.1:port`). */
  address: string;
  stdout: string;
  stderr: string;
}

/** The request ids of a scenario's invocations, in queue order: what `<request-id-N>` numbers. */
export function scenarioRequestIds(scenario: Scenario): string[] {
  return scenario.invocations.map((invocation) => invocation.requestId);
}

/** The literal substitutions that make traffic independent of where the repository is checked out. */
export function scenarioReplacements(
  scenario: Scenario,
  repoRoot: string = REPO_ROOT,
): Array<[string, string]> {
  return [
    [`${repoRoot}/test/fixtures/ric-scenarios/${scenario.taskRoot}`, '<task-root>'],
    [repoRoot, '<repo>'],
  ];
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills runtimes that are still running when this process exits, whatever the reason (no orphans). */
function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const running of live) running.kill('SIGKILL');
  });
}

/** Kills every runtime started by {@link runScenario} that is still running (for signal handlers). */
export function killScenarioProcesses(): void {
  for (const running of live) running.kill('SIGKILL');
}

const OUTPUT_LIMIT = 256 * 1024;

/**
 * Runs one scenario under `command` (e.g. `ricCommand(scenario)`, or `['node', '<abs>/dist/runtime/bootstrap.js']`)
 * with the scenario's task root as working directory, against a fresh raw Runtime API that serves the scenario's
 * invocations, and returns the normalised traffic once the runtime has answered every invocation and asked for
 * the next one, or has exited by itself. The runtime is killed on every path.
 *
 * `command[0] === 'node'` runs the same Node binary as this process. Relative paths in `command` resolve against
 * the task root, so pass absolute ones. The child's environment is minimal (PATH, HOME, TZ=UTC, the scenario's
 * Lambda variables) plus `env`, so that the caller's NODE_OPTIONS or AWS_* variables cannot change the run.
 */
export async function runScenario(
  scenario: Scenario,
  command: readonly string[],
  env: Readonly<Record<string, string>> = {},
  options: ScenarioRunOptions = {},
): Promise<ScenarioRun> {
  const [program, ...args] = command;
  if (!program) throw new Error('runScenario: empty command');
  const taskRoot = scenarioTaskRoot(scenario);
  const api = await startRawRuntimeApi({ invocations: scenario.invocations.map(toQueued) });
  let child: ChildProcess | undefined;
  try {
    child = spawn(program === 'node' ? process.execPath : program, args, {
      cwd: taskRoot,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        TZ: 'UTC',
        AWS_LAMBDA_RUNTIME_API: api.address,
        _HANDLER: scenario.handler,
        LAMBDA_TASK_ROOT: taskRoot,
        ...FUNCTION_ENV,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackChild(child);
    const output = { stdout: '', stderr: '' };
    const append = (key: 'stdout' | 'stderr') => (data: Buffer) => {
      if (output[key].length < OUTPUT_LIMIT) output[key] += data.toString('utf8');
    };
    child.stdout?.on('data', append('stdout'));
    child.stderr?.on('data', append('stderr'));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child?.once('exit', (code, signal) => resolve({ code, signal }));
      child?.once('error', reject); // e.g. ENOENT for the program
    });
    exited.catch(() => {}); // a late 'error' (after the race was decided) must not become an unhandled rejection

    // Served = one GET /next per invocation plus the one it now blocks on. A runtime only asks for the next
    // invocation after finishing the previous one, so counting GETs suffices. Polled rather than api.waitFor(),
    // whose timer cannot be cancelled and would hold this process open after an exit won the race.
    const wanted = scenario.invocations.length + 1;
    const served = poll(() => api.requests.filter(isNext).length >= wanted);
    const timeoutMs = options.timeoutMs ?? 20_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const first = await Promise.race([
      served.promise.then(() => 'served' as const),
      exited.then(() => 'exited' as const),
      timedOut,
    ]).finally(() => {
      served.cancel();
      clearTimeout(timer);
    });
    if (first === 'timeout') {
      throw new Error(
        `scenario ${scenario.name}: neither served ${scenario.invocations.length} invocation(s) nor exited within ${timeoutMs} ms\n${describe(api.requests)}\n--- stderr ---\n${output.stderr}\n--- stdout ---\n${output.stdout}`,
      );
    }
    let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
    if (first === 'exited') {
      exit = await exited;
      // The exit can be observed before the last bytes the runtime sent have been read from its sockets.
      await delay(options.settleMs ?? 200);
    } else {
      await delay(options.settleMs ?? 200);
      if (child.exitCode !== null || child.signalCode !== null) {
        exit = { code: child.exitCode, signal: child.signalCode };
      }
    }
    const outcome = first === 'exited' || exit.code !== null || exit.signal !== null ? 'exited' : 'served';
    const requests = [...api.requests];
    return {
      outcome,
      exitCode: exit.code,
      signal: exit.signal,
      traffic: normalizeTraffic(requests, {
        requestIds: scenarioRequestIds(scenario),
        replacements: scenarioReplacements(scenario),
      }),
      requests,
      address: api.address,
      stdout: output.stdout,
      stderr: output.stderr,
    };
  } finally {
    // pid is undefined when the spawn itself failed: there is nothing to kill or wait for.
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }
    await api.close();
  }
}

function toQueued(invocation: ScenarioInvocation): QueuedInvocation {
  return {
    requestId: invocation.requestId,
    event: JSON.stringify(invocation.event),
    // An hour ahead, so getRemainingTimeInMillis() stays positive however slow the machine; the deadline is a
    // reply header, so it never reaches what is recorded.
    deadlineMs: Date.now() + 3_600_000,
    ...(invocation.traceId === undefined ? {} : { traceId: invocation.traceId }),
    ...(invocation.clientContext === undefined
      ? {}
      : { clientContext: JSON.stringify(invocation.clientContext) }),
    ...(invocation.cognitoIdentity === undefined
      ? {}
      : { cognitoIdentity: JSON.stringify(invocation.cognitoIdentity) }),
  };
}

function isNext(request: RecordedRequest): boolean {
  return request.method === 'GET' && request.path.endsWith('/runtime/invocation/next');
}

function describe(requests: readonly RecordedRequest[]): string {
  if (requests.length === 0) return 'no requests arrived';
  return `requests so far:\n${requests.map((r) => `  #${r.connection} ${r.method} ${r.path}`).join('\n')}`;
}

/** Resolves once `condition` holds, checking every 10 ms until cancelled. */
function poll(condition: () => boolean): { promise: Promise<void>; cancel: () => void } {
  let interval: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    interval = setInterval(() => {
      if (!condition()) return;
      clearInterval(interval);
      resolve();
    }, 10);
  });
  return { promise, cancel: () => clearInterval(interval) };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
