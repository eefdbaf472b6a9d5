/**
 * One execution environment: a runtime child process plus its own Runtime API server, as a Lambda sandbox.
 * Lifecycle as on Lambda: the runtime starts (init) on the first invocation, then serves one invocation at a
 * time until it is reaped, crashes, times out or breaks the protocol; a broken environment is discarded
 * (`phase === 'dead'`) and never reused.
 *
 * The child runs with the variables Lambda sets, in its own process group, so that a timeout or `kill()`
 * takes the runtime and everything it started down with one SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { LATEST_VERSION, RuntimeEnv } from '../protocol/index.js';
import { killProcessGroup, trackProcessGroup, untrackProcessGroup } from './child-processes.js';
import type { BuiltCode } from './code-builder.js';
import { EnvironmentLostError } from './errors.js';
import type { FunctionConfig } from './function-config.js';
import { type Invocation, type InvocationError, platformError } from './invocation.js';
import { type EmulatorLogger, type LogEntry, lineSplitter, safeLog } from './logger.js';
import { RuntimeApiServer, type RuntimeApiServerEvents } from './runtime-api-server.js';

/**
 * Lambda's init phase limit: 10 seconds, after which init is retried within the invoke's own timeout.
 *
 * @example
 * setTimeout(onInitTimeout, INIT_TIMEOUT_MS + timeoutMs);
 */
export const INIT_TIMEOUT_MS = 10_000;

/**
 * How long output may trail the end of a response and still count for it. A runtime writes its logs before
 * it posts the response, but the emulator reads the pipe and the socket on separate events.
 *
 * @example
 * setTimeout(writeReport, LOG_SETTLE_MS);
 */
export const LOG_SETTLE_MS = 20;

/**
 * How long a runtime that reported an init error or broke its response gets to exit on its own.
 *
 * @example
 * setTimeout(() => void environment.kill(), EXIT_GRACE_MS);
 */
export const EXIT_GRACE_MS = 500;

/**
 * Everything an environment needs to start.
 *
 * @example
 * new ExecutionEnvironment({ config, code, region: 'us-east-1', accountId: '123456789012', logger, runtimeCommand, bufferedResponseLimit: 6291556 });
 */
export interface EnvironmentSettings {
  config: FunctionConfig;
  code: BuiltCode;
  region: string;
  accountId: string;
  logger: EmulatorLogger;
  /** argv of the runtime when the function names none (sluice's own). */
  runtimeCommand: readonly string[];
  /** `LAMBDA_RUNTIME_DIR` when `runtimeCommand` runs the function: the directory of sluice's runtime. */
  runtimeDir?: string;
  /** Largest buffered response a runtime may post (Lambda: 6 MiB + 100 bytes). */
  bufferedResponseLimit: number;
  /** Called once when the environment dies (crash, timeout, kill): it must not be reused. */
  onDeath?: (environment: ExecutionEnvironment) => void;
  /** Called once its runtime process has exited (after death, possibly much later than `onDeath`). */
  onExit?: (environment: ExecutionEnvironment) => void;
}

/**
 * `new` (not started), `idle` (warm), `busy` (serving), `dead` (discarded).
 *
 * @example
 * if (environment.phase === 'idle') reuse(environment);
 */
export type EnvironmentPhase = 'new' | 'idle' | 'busy' | 'dead';

interface Active {
  invocation: Invocation;
  resolve: () => void;
  reject: (error: Error) => void;
  createdAt: number;
  delivered: boolean;
  deliveredAt: number;
  outcome: boolean;
  responseSent: boolean;
  timer: NodeJS.Timeout | undefined;
}

let environmentCounter = 0;

const SIGNAL_NAMES: Record<string, string> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGINT: 'interrupt',
  SIGHUP: 'hangup',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception',
  SIGPIPE: 'broken pipe',
  SIGTRAP: 'trace/breakpoint trap',
};

/**
 * Go's `ExitError` text, which Lambda puts in `Runtime.ExitError` messages: `exit status 1`, `signal: killed`.
 *
 * @example
 * exitDescription(1, null);          // 'exit status 1'
 * exitDescription(null, 'SIGKILL');  // 'signal: killed'
 */
export function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal: ${SIGNAL_NAMES[signal] ?? signal}`;
  return `exit status ${code ?? 0}`;
}

/**
 * The runtime's peak resident set (`VmHWM` of `/proc/<pid>/status`), which REPORT gives as `Max Memory Used`.
 * The file is opened once and re-read from offset 0 (procfs renders it afresh on every read): one synchronous
 * pread of 10–20 µs, where an asynchronous `readFile` cost about 110 µs of the event loop per invocation (open,
 * fstat, read and close, each a thread-pool round trip). The peak only grows, so a reading taken after an
 * invocation ended already covers all of it: REPORTs that come within one settling delay of each other share
 * one reading instead of reading the file once per invocation. Not on Linux, or once the process is gone:
 * undefined, and REPORT leaves the field out.
 *
 * @example
 * const memory = new PeakMemory(child.pid);
 * memory.readMb(performance.now() - 20); // 52
 * memory.close();
 */
class PeakMemory {
  readonly #pid: number | undefined;
  #fd: number | undefined;
  #closed = false;
  #buffer: Buffer | undefined;
  /** The last reading and when it was taken (`performance.now()`). */
  #last: { mb: number | undefined; at: number } | undefined;

  constructor(pid: number | undefined) {
    this.#pid = pid;
  }

  /** The peak in MB, as of a reading taken at `notBefore` or later (`performance.now()` time). */
  readMb(notBefore: number): number | undefined {
    if (this.#closed || this.#pid === undefined || process.platform !== 'linux') return undefined;
    if (this.#last && this.#last.at >= notBefore) return this.#last.mb;
    const at = performance.now();
    let mb: number | undefined;
    try {
      this.#fd ??= openSync(`/proc/${this.#pid}/status`, 'r');
      this.#buffer ??= Buffer.allocUnsafe(PROC_STATUS_BYTES);
      const length = readSync(this.#fd, this.#buffer, 0, this.#buffer.byteLength, 0);
      const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(this.#buffer.toString('latin1', 0, length))?.[1]);
      mb = Number.isFinite(kb) ? Math.ceil(kb / 1024) : undefined;
    } catch {
      mb = undefined;
    }
    this.#last = { mb, at };
    return mb;
  }

  /** Closes the file; later reads answer undefined (the pid may be reused once the process is reaped). */
  close(): void {
    this.#closed = true;
    if (this.#fd === undefined) return;
    try {
      closeSync(this.#fd);
    } catch {
      // Already closed: nothing to release.
    }
    this.#fd = undefined;
  }
}

/** Room for `/proc/<pid>/status` (about 1.5 KB; `VmHWM` is in its first kilobyte). */
const PROC_STATUS_BYTES = 4096;

function logStreamName(): string {
  const now = new Date();
  const date = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCDate()).padStart(2, '0')}`;
  return `${date}/[${LATEST_VERSION}]${randomBytes(16).toString('hex')}`;
}

/**
 * @example
 * const env = new ExecutionEnvironment(settings);
 * pool.add(env);
 * await env.invoke(invocation); // resolves when the environment can take the next invocation
 * await env.kill();
 */
export class ExecutionEnvironment {
  readonly id: string;
  readonly #settings: EnvironmentSettings;
  #phase: EnvironmentPhase = 'new';
  #server: RuntimeApiServer | undefined;
  #child: ChildProcess | undefined;
  #memory: PeakMemory | undefined;
  #exited: Promise<void> = Promise.resolve();
  #stdioClosed: Promise<void> = Promise.resolve();
  #active: Active | undefined;
  #initialized = false;
  #spawnedAt = 0;
  #initDurationMs: number | undefined;
  #initError: InvocationError | undefined;
  #lastRequestId: string | undefined;
  /** The invocation whose END and REPORT are pending: late output still belongs to its log tail. */
  #settling: Invocation | undefined;
  #killing = false;
  #deathNotified = false;
  /** Deadline of the last invocation while its runtime has not yet asked for the next one. */
  #lingering: NodeJS.Timeout | undefined;
  /** END/REPORT lines not yet written (they wait for trailing output). */
  readonly #reports = new Set<Promise<void>>();
  /** `performance.now()` when the environment last finished an invocation. */
  lastUsedAt = performance.now();

  constructor(settings: EnvironmentSettings) {
    this.#settings = settings;
    this.id = `${settings.config.name}-${++environmentCounter}`;
  }

  get phase(): EnvironmentPhase {
    return this.#phase;
  }

  /** Process id of the runtime, once started. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /**
   * Runs one invocation: starts the runtime on first use, hands the invocation to it and settles it with the
   * runtime's response, or with Lambda's error when the runtime fails (init error, crash, timeout, protocol
   * violation). Resolves when the environment is idle again or dead. Rejects only with
   * `EnvironmentLostError`, when a warm environment died before the runtime took the invocation (the caller
   * may retry on a fresh environment; the function never saw it).
   */
  async invoke(invocation: Invocation): Promise<void> {
    if (this.#phase === 'busy') throw new Error(`environment ${this.id} is busy`);
    if (this.#phase === 'dead') throw new EnvironmentLostError(`environment ${this.id} is gone`);
    const starting = this.#phase === 'new';
    this.#phase = 'busy';
    if (starting) await this.#start();
    return new Promise<void>((resolve, reject) => {
      const active: Active = {
        invocation,
        resolve,
        reject,
        createdAt: performance.now(),
        delivered: false,
        deliveredAt: 0,
        outcome: false,
        responseSent: false,
        timer: undefined,
      };
      this.#active = active;
      const timeoutMs = this.#settings.config.timeout * 1000;
      if (this.#phase === 'dead' || !this.#server) {
        this.#failActive(active, this.#deathError(active, null, null, undefined));
        return;
      }
      this.#server.dispatch(invocation, timeoutMs);
      // A warm runtime waiting in GET /next took the invocation within dispatch(), and its deadline timer runs
      // (onDelivered); arming one here would only be cleared at once, on every warm invocation.
      if (active.delivered || active.outcome) return;
      // Until the runtime takes the invocation: Lambda's init limit plus the function's timeout (init is
      // retried within the invoke phase on Lambda), or the timeout alone for a warm runtime.
      active.timer = setTimeout(
        () => this.#timeout(active),
        (this.#initialized ? 0 : INIT_TIMEOUT_MS) + timeoutMs,
      );
    });
  }

  /** Kills the runtime's process group and closes the Runtime API server. Resolves once the process exited. */
  async kill(): Promise<void> {
    this.#killing = true;
    clearTimeout(this.#lingering);
    this.#markDead();
    const pid = this.#child?.pid;
    if (pid !== undefined) killProcessGroup(pid);
    await this.#exited;
    // Let the pipes deliver the runtime's last output (bounded: a stray holder of the pipe cannot stall us).
    await Promise.race([this.#stdioClosed, sleep(1000)]);
    await this.#server?.close();
    await Promise.all([...this.#reports]);
  }

  #log(source: LogEntry['source'], message: string, requestId = this.#currentRequestId()): void {
    safeLog(this.#settings.logger, { functionName: this.#settings.config.name, requestId, source, message });
  }

  /** A line of the function's own log: shown, and kept for the invocation's log tail. */
  #functionLog(
    source: 'stdout' | 'stderr' | 'platform',
    line: string,
    invocation = this.#active?.invocation ?? this.#settling,
  ): void {
    // Only the tail is ever read, and only when the caller asked for it (`X-Amz-Log-Type: Tail`).
    if (invocation?.wantsLogTail) invocation.log.append(`${line}\n`);
    this.#log(source, line, invocation?.requestId ?? this.#lastRequestId);
  }

  #currentRequestId(): string | undefined {
    return this.#active?.invocation.requestId ?? this.#lastRequestId;
  }

  #environmentVariables(address: string): NodeJS.ProcessEnv {
    const { config, code, region } = this.#settings;
    const credentials = 'SLUICELOCALEMULATOR';
    const platform: NodeJS.ProcessEnv = {};
    // Lambda sets AWS_EXECUTION_ENV for managed runtimes only (`AWS_Lambda_nodejs20.x`); custom runtimes
    // (`provided.*`) run without it.
    if (!config.runtimeName.startsWith('provided')) {
      platform.AWS_EXECUTION_ENV = `AWS_Lambda_${config.runtimeName}`;
    }
    // On Lambda, LAMBDA_RUNTIME_DIR is /var/runtime, where the managed runtime lives. Locally the only such
    // directory is sluice's own runtime's; a function with its own runtime command (a `bootstrap`, or
    // aws-lambda-ric) gets none rather than a guess, since code that reads the variable looks for the
    // runtime's files there.
    if (config.runtime === undefined && this.#settings.runtimeDir !== undefined) {
      platform.LAMBDA_RUNTIME_DIR = this.#settings.runtimeDir;
    }
    return {
      // Only what Lambda sets, plus PATH so that `node` and friends resolve; not the emulator's environment.
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      [RuntimeEnv.runtimeApi]: address,
      [RuntimeEnv.handler]: code.handler,
      [RuntimeEnv.taskRoot]: code.taskRoot,
      [RuntimeEnv.functionName]: config.name,
      [RuntimeEnv.functionVersion]: LATEST_VERSION,
      [RuntimeEnv.functionMemorySize]: String(config.memorySize),
      [RuntimeEnv.logGroupName]: `/aws/lambda/${config.name}`,
      [RuntimeEnv.logStreamName]: logStreamName(),
      [RuntimeEnv.region]: region,
      AWS_DEFAULT_REGION: region,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      ...platform,
      // Set by Lambda for every function, traced or not ("Lambda sets this value to LOG_ERROR by default", AWS
      // Lambda developer guide, Using AWS X-Ray): the X-Ray SDK logs instead of throwing without a segment.
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
      // Placeholder credentials: SDK clients in the function construct, and fail on use unless pointed at a
      // local endpoint.
      AWS_ACCESS_KEY_ID: credentials,
      AWS_SECRET_ACCESS_KEY: credentials,
      AWS_SESSION_TOKEN: credentials,
      ...config.environment,
    };
  }

  async #start(): Promise<void> {
    const { config, code } = this.#settings;
    this.#server = await RuntimeApiServer.listen(this.#serverEvents(), {
      bufferedResponseLimit: this.#settings.bufferedResponseLimit,
    });
    if (this.#killing) {
      // close() arrived while the server was starting: nothing to spawn.
      await this.#server.close();
      return;
    }
    const [command, ...args] = config.runtime ?? this.#settings.runtimeCommand;
    this.#spawnedAt = performance.now();
    const child = spawn(command!, args, {
      cwd: code.taskRoot,
      env: this.#environmentVariables(this.#server.address),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#stdioClosed = new Promise<void>((resolve) => {
      child.once('close', () => resolve());
      child.once('error', () => {
        if (child.pid === undefined) resolve();
      });
    });
    const pid = child.pid;
    if (pid !== undefined) trackProcessGroup(pid);
    const memory = new PeakMemory(pid);
    this.#memory = memory;
    this.#exited = new Promise<void>((resolve) => {
      let done = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
        if (done) return;
        done = true;
        memory.close();
        if (pid !== undefined) {
          // Grandchildren may outlive the leader; the group goes with it.
          killProcessGroup(pid);
          untrackProcessGroup(pid);
        }
        this.#onExit(code, signal, error);
        this.#settings.onExit?.(this);
        resolve();
      };
      child.once('exit', (code, signal) => finish(code, signal));
      // 'error' without a pid: the command could not be started at all.
      child.once('error', (error) => {
        if (child.pid === undefined) finish(null, null, error);
      });
    });
    for (const [stream, source] of [
      [child.stdout, 'stdout'],
      [child.stderr, 'stderr'],
    ] as const) {
      const split = lineSplitter((line) => this.#functionLog(source, line));
      stream?.on('data', split.push);
      stream?.on('end', split.flush);
      stream?.on('error', () => {});
    }
  }

  #serverEvents(): RuntimeApiServerEvents {
    return {
      onReady: (first) => {
        if (first) {
          this.#initialized = true;
          this.#initDurationMs = performance.now() - this.#spawnedAt;
        }
        clearTimeout(this.#lingering);
        this.#lingering = undefined;
      },
      onDelivered: (invocation) => {
        const active = this.#active;
        if (!active || active.invocation !== invocation) return;
        active.delivered = true;
        active.deliveredAt = performance.now();
        this.#lastRequestId = invocation.requestId;
        clearTimeout(active.timer);
        active.timer = setTimeout(
          () => this.#timeout(active),
          Math.max(0, (invocation.deadlineMs ?? 0) - Date.now()),
        );
        this.#functionLog('platform', `START RequestId: ${invocation.requestId} Version: ${LATEST_VERSION}`);
      },
      onOutcome: (invocation, error) => {
        const active = this.#active;
        if (!active || active.invocation !== invocation) return;
        this.#settle(active, error);
        // An invocation failed before reaching the runtime leaves the runtime free for the next one.
        if (active.responseSent || !active.delivered) this.#finish(active);
      },
      onResponseSent: (invocation) => {
        const active = this.#active;
        if (!active || active.invocation !== invocation) return;
        active.responseSent = true;
        if (active.outcome) this.#finish(active);
      },
      onTruncated: (invocation) => {
        const active = this.#active;
        if (!active || active.invocation !== invocation || active.outcome) return;
        // Usually the runtime died; its exit (Runtime.ExitError) explains it better than the cut connection.
        setTimeout(() => {
          if (this.#active !== active || active.outcome) return;
          this.#log(
            'emulator',
            `the runtime closed its response connection for ${invocation.requestId} before the end of the response (no terminating chunk). The environment is discarded.`,
          );
          this.#settle(
            active,
            platformError(
              'Runtime.TruncatedResponse',
              `RequestId: ${invocation.requestId} Error: the runtime closed the response connection before the response was complete`,
            ),
            'error',
          );
          this.#finish(active);
          void this.kill();
        }, EXIT_GRACE_MS).unref();
      },
      onInitError: (error) => {
        this.#initError = error;
        this.#log(
          'emulator',
          `the runtime reported an init error (${error.errorType}) and the environment is discarded; the next invocation starts a fresh one. ${summary(error)}`,
        );
        this.#markDead();
        const active = this.#active;
        if (active) {
          this.#settle(active, error, 'error');
          this.#finish(active);
        }
        // "Runtime should exit after reporting the error" (Runtime API spec); make sure it does.
        setTimeout(() => void this.kill(), EXIT_GRACE_MS).unref();
      },
      onProtocolError: (message, fatal) => {
        this.#log('emulator', `protocol error: ${message}`);
        if (!fatal) return;
        this.#markDead();
        const active = this.#active;
        if (active?.outcome) this.#finish(active);
        setTimeout(() => void this.kill(), EXIT_GRACE_MS).unref();
      },
    };
  }

  #markDead(): void {
    if (this.#phase !== 'dead') this.#phase = 'dead';
    if (!this.#deathNotified) {
      this.#deathNotified = true;
      this.#settings.onDeath?.(this);
    }
  }

  #deathError(
    active: Active,
    code: number | null,
    signal: NodeJS.Signals | null,
    spawnError: Error | undefined,
  ): InvocationError {
    const requestId = active.invocation.requestId;
    if (this.#initError) return this.#initError;
    if (spawnError) {
      const command = (this.#settings.config.runtime ?? this.#settings.runtimeCommand)[0];
      const reason =
        (spawnError as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'no such file or directory'
          : spawnError.message;
      // What Lambda reports when it cannot execute `bootstrap`.
      return platformError(
        'Runtime.InvalidEntrypoint',
        `RequestId: ${requestId} Error: fork/exec ${command}: ${reason}`,
      );
    }
    if (code === null && signal === null) {
      return platformError(
        'Runtime.ExitError',
        `RequestId: ${requestId} Error: Runtime exited without providing a reason`,
      );
    }
    return platformError(
      'Runtime.ExitError',
      code === 0 && !signal
        ? `RequestId: ${requestId} Error: Runtime exited without providing a reason`
        : `RequestId: ${requestId} Error: Runtime exited with error: ${exitDescription(code, signal)}`,
    );
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null, spawnError: Error | undefined): void {
    const killedByUs = this.#killing;
    this.#markDead();
    void this.#server?.close();
    const active = this.#active;
    if (active && !active.outcome) {
      if (!active.delivered && this.#initialized && !killedByUs && !spawnError) {
        // A warm runtime died between invocations; the function never saw this one.
        this.#server?.withdraw(active.invocation);
        this.#log(
          'emulator',
          `the warm runtime exited (${exitDescription(code, signal)}) while idle; retrying on a fresh environment.`,
        );
        clearTimeout(active.timer);
        this.#active = undefined;
        active.reject(new EnvironmentLostError(`environment ${this.id} exited before taking the invocation`));
        return;
      }
      const error = this.#deathError(active, code, signal, spawnError);
      if (error.source === 'platform') {
        const document = JSON.parse(error.payload.toString('utf8')) as { errorMessage: string };
        this.#functionLog('platform', document.errorMessage);
        this.#functionLog('platform', error.errorType);
      }
      this.#log('emulator', explainDeath(error, this.#initialized, spawnError));
      this.#settle(active, error, 'error');
      this.#finish(active);
    } else if (active) {
      this.#finish(active);
    } else if (!killedByUs && !this.#initError) {
      this.#log(
        'emulator',
        `the runtime exited (${exitDescription(code, signal)}) between invocations; the next invocation starts a fresh environment.`,
      );
    }
  }

  #timeout(active: Active): void {
    if (this.#active !== active) return;
    const { invocation } = active;
    const seconds = this.#settings.config.timeout.toFixed(2);
    if (!active.outcome) {
      this.#functionLog(
        'platform',
        `${new Date().toISOString()} ${invocation.requestId} Task timed out after ${seconds} seconds`,
      );
      this.#log(
        'emulator',
        `invocation ${invocation.requestId} timed out after ${seconds} s${active.delivered ? '' : ' before the runtime asked for it (is it stuck in init, or not calling GET /next?)'}; the environment is discarded. Raise the function's timeout if it needs longer.`,
      );
      this.#settle(
        active,
        platformError(
          'Sandbox.Timedout',
          `RequestId: ${invocation.requestId} Error: Task timed out after ${seconds} seconds`,
        ),
        'timeout',
      );
    }
    this.#server?.withdraw(invocation);
    this.#server?.abortResponse();
    this.#finish(active);
    void this.kill();
  }

  /** Settles the invocation's result once, and writes END and REPORT to its log as Lambda does. */
  #settle(active: Active, error: InvocationError | undefined, status?: 'timeout' | 'error'): void {
    if (active.outcome) return;
    active.outcome = true;
    const { invocation } = active;
    invocation.endBody();
    const endedAt = performance.now();
    const durationMs = endedAt - (active.delivered ? active.deliveredAt : active.createdAt);
    const initDurationMs = this.#initDurationMs;
    this.#initDurationMs = undefined;
    const report = () => {
      const used = this.#phase === 'dead' ? undefined : this.#memory?.readMb(endedAt);
      const { memorySize } = this.#settings.config;
      let line = `REPORT RequestId: ${invocation.requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${memorySize} MB\t`;
      if (used !== undefined) line += `Max Memory Used: ${Math.min(used, memorySize)} MB\t`;
      if (initDurationMs !== undefined) line += `Init Duration: ${initDurationMs.toFixed(2)} ms\t`;
      if (status === 'timeout') line += 'Status: timeout';
      else if (status === 'error' && error) line += `Status: error\tError Type: ${error.errorType}`;
      this.#functionLog('platform', `END RequestId: ${invocation.requestId}`, invocation);
      this.#functionLog('platform', line.trimEnd(), invocation);
      invocation.settle(error);
    };
    if (!invocation.wantsLogTail) invocation.settle(error);
    // Output written just before the response may still be in the pipe, and may be read after the invocation
    // stopped being the active one (the socket and the pipe are separate events): until END it still counts.
    this.#settling = invocation;
    // A plain timer rather than `timers/promises`: this runs for every invocation.
    const pending = new Promise<void>((resolve) => {
      setTimeout(() => {
        try {
          report();
        } finally {
          if (this.#settling === invocation) this.#settling = undefined;
          this.#reports.delete(pending);
          resolve();
        }
      }, LOG_SETTLE_MS);
    });
    this.#reports.add(pending);
  }

  #finish(active: Active): void {
    if (this.#active !== active) return;
    clearTimeout(active.timer);
    this.#active = undefined;
    this.lastUsedAt = performance.now();
    if (this.#phase === 'busy') {
      this.#phase = 'idle';
      this.#watchReturn(active.invocation);
    }
    active.resolve();
  }

  /**
   * After its response, a runtime may keep working (e.g. AWS's Node runtime waits for an empty event loop
   * before it asks for the next invocation). On Lambda that time still belongs to the invocation and counts
   * against its timeout. The environment is offered for reuse at once, since the runtime is usually back in
   * `GET /next` within a millisecond; if it is not back by the deadline, it is timed out and discarded, and an
   * invocation already handed to it (never seen by the runtime) is retried elsewhere.
   */
  #watchReturn(invocation: Invocation): void {
    if (this.#server?.state === 'Ready' || invocation.deadlineMs === undefined) return;
    clearTimeout(this.#lingering);
    this.#lingering = setTimeout(
      () => {
        this.#lingering = undefined;
        if (this.#phase === 'dead' || this.#server?.state === 'Ready') return;
        const seconds = this.#settings.config.timeout.toFixed(2);
        this.#log(
          'platform',
          `${new Date().toISOString()} ${invocation.requestId} Task timed out after ${seconds} seconds`,
          invocation.requestId,
        );
        this.#log(
          'emulator',
          `the runtime answered invocation ${invocation.requestId} but did not ask for the next one (GET /next) before its deadline; the environment is discarded. Work left running after the response (timers, open handles) keeps a Node runtime from returning.`,
          invocation.requestId,
        );
        this.#markDead();
        const active = this.#active;
        if (active && !active.delivered && !active.outcome) {
          this.#server?.withdraw(active.invocation);
          clearTimeout(active.timer);
          this.#active = undefined;
          active.reject(
            new EnvironmentLostError(`environment ${this.id} timed out before taking the invocation`),
          );
        }
        void this.kill();
      },
      Math.max(0, invocation.deadlineMs - Date.now()),
    );
  }

  #failActive(active: Active, error: InvocationError): void {
    this.#settle(active, error, 'error');
    this.#finish(active);
  }
}

function summary(error: InvocationError): string {
  const text = error.payload.toString('utf8');
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

function explainDeath(error: InvocationError, initialized: boolean, spawnError: Error | undefined): string {
  if (spawnError) {
    return `the runtime command could not be started (${spawnError.message}). Check the function's runtime command and that it is executable.`;
  }
  const phase = initialized ? 'while serving the invocation' : 'during init, before asking for an invocation';
  return `the runtime exited ${phase}: ${error.errorType}: ${summary(error)}. The environment is discarded; the next invocation starts a fresh one. Its output above shows why it exited.`;
}
