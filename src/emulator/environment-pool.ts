/**
 * The execution environments of one function, managed as Lambda manages them: a warm environment is reused
 * (most recently used first), a new one starts only when all are busy, at most `reservedConcurrency` run at
 * once (beyond it synchronous callers are throttled with TooManyRequestsException and asynchronous ones wait,
 * as Lambda queues them), idle environments are reaped, and broken ones are discarded so the next invocation
 * gets a fresh environment.
 */
import { EmulatorClosedError, EnvironmentLostError } from './errors.js';
import { type EnvironmentSettings, ExecutionEnvironment } from './execution-environment.js';
import { type Invocation, platformError } from './invocation.js';
import { safeLog } from './logger.js';

/** How often a warm environment that died before taking an invocation is replaced before giving up. */
const MAX_ENVIRONMENT_RETRIES = 2;

/**
 * @example
 * const settings: PoolSettings = { ...environmentSettings, idleTimeoutMs: 300_000 };
 */
export interface PoolSettings extends Omit<EnvironmentSettings, 'onDeath' | 'onExit'> {
  /** Idle environments older than this are stopped. */
  idleTimeoutMs: number;
}

/**
 * A reserved unit of concurrency. `run()` executes one invocation on a warm or new environment and gives
 * the capacity back when done. It never rejects: whatever goes wrong settles the invocation with an error.
 *
 * @example
 * const lease = pool.tryAcquire();
 * if (!lease) return throttle();
 * await lease.run(invocation);
 */
export interface Lease {
  run(invocation: Invocation): Promise<void>;
}

/**
 * @example
 * const pool = new EnvironmentPool(settings);
 * const lease = await pool.acquire();
 * await lease.run(invocation);
 * await pool.close();
 */
export class EnvironmentPool {
  readonly #settings: PoolSettings;
  /** Warm environments, least recently used first. */
  readonly #idle: ExecutionEnvironment[] = [];
  /** Every environment whose process may still be running, dead ones included until they exit. */
  readonly #all = new Set<ExecutionEnvironment>();
  readonly #waiters: Array<{ grant: (lease: Lease) => void; refuse: (error: Error) => void }> = [];
  readonly #reaper: NodeJS.Timeout;
  #inUse = 0;
  #closed = false;
  /** Set by `retire()`: environments stop as soon as they finish their invocation. */
  #retired = false;
  /** Resolves `retire()`'s wait once no invocation runs. */
  #onQuiet: (() => void) | undefined;

  constructor(settings: PoolSettings) {
    this.#settings = settings;
    const interval = Math.max(50, Math.min(settings.idleTimeoutMs / 2, 30_000));
    this.#reaper = setInterval(() => this.#reap(), interval);
    this.#reaper.unref();
  }

  /** Invocations running now. */
  get inUse(): number {
    return this.#inUse;
  }

  /** Environments whose runtime process may still be running (busy, warm, or dying). */
  get size(): number {
    return this.#all.size;
  }

  /** Warm environments waiting for work. */
  get idleCount(): number {
    return this.#idle.length;
  }

  /** Reserves capacity, or returns undefined when the reserved concurrency is in use (or the pool is closed). */
  tryAcquire(): Lease | undefined {
    if (this.#closed || this.#inUse >= this.#settings.config.reservedConcurrency) return undefined;
    this.#inUse++;
    return this.#lease();
  }

  /** Waits for capacity (Lambda queues asynchronous invocations instead of throttling them). */
  acquire(): Promise<Lease> {
    if (this.#closed) return Promise.reject(new EmulatorClosedError());
    const lease = this.tryAcquire();
    if (lease) return Promise.resolve(lease);
    return new Promise((grant, refuse) => this.#waiters.push({ grant, refuse }));
  }

  /** Stops every environment (busy ones fail their invocation) and refuses further work. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#reaper);
    for (const waiter of this.#waiters.splice(0)) waiter.refuse(new EmulatorClosedError());
    this.#idle.length = 0;
    await Promise.all([...this.#all].map((environment) => environment.kill()));
    this.#all.clear();
  }

  /**
   * Takes the pool out of service gracefully, when a reload replaced it: idle environments stop now, busy ones
   * finish the invocation they are running (and queued ones are still served), then stop. Resolves once no
   * invocation runs and every runtime process has exited. `close()` still stops whatever is left at once.
   */
  async retire(): Promise<void> {
    this.#retired = true;
    clearInterval(this.#reaper);
    const idle = this.#idle.splice(0);
    await Promise.all(idle.map((environment) => environment.kill()));
    if (this.#inUse > 0) await new Promise<void>((resolve) => (this.#onQuiet = resolve));
    this.#closed = true;
    await Promise.all([...this.#all].map((environment) => environment.kill()));
    this.#all.clear();
  }

  #lease(): Lease {
    let used = false;
    return {
      run: async (invocation) => {
        if (used) throw new Error('a lease runs one invocation');
        used = true;
        try {
          await this.#run(invocation);
        } catch (error) {
          this.#fail(invocation, error);
        } finally {
          this.#release();
        }
      },
    };
  }

  async #run(invocation: Invocation): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const environment = this.#take();
      try {
        await environment.invoke(invocation);
        this.#giveBack(environment);
        return;
      } catch (error) {
        this.#forget(environment);
        void environment.kill();
        if (error instanceof EnvironmentLostError && attempt < MAX_ENVIRONMENT_RETRIES && !this.#closed)
          continue;
        this.#fail(invocation, error);
        return;
      }
    }
  }

  /** An internal failure (not the function's): Lambda's `Sandbox.Failure`, and a line saying what happened. */
  #fail(invocation: Invocation, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    safeLog(this.#settings.logger, {
      functionName: this.#settings.config.name,
      requestId: invocation.requestId,
      source: 'emulator',
      message: `could not run the invocation: ${message}`,
    });
    invocation.settle(
      platformError('Sandbox.Failure', `RequestId: ${invocation.requestId} Error: ${message}`),
    );
  }

  #take(): ExecutionEnvironment {
    // Most recently used first: it is the warmest, and the others age towards reaping.
    for (let environment = this.#idle.pop(); environment; environment = this.#idle.pop()) {
      if (environment.phase === 'idle') return environment;
    }
    const environment = new ExecutionEnvironment({
      ...this.#settings,
      onDeath: (dead) => this.#forget(dead),
      onExit: (exited) => this.#all.delete(exited),
    });
    this.#all.add(environment);
    return environment;
  }

  #giveBack(environment: ExecutionEnvironment): void {
    if (environment.phase !== 'idle') {
      this.#forget(environment);
      return;
    }
    if (this.#closed || this.#retired) {
      void environment.kill();
      return;
    }
    this.#idle.push(environment);
  }

  /** Takes an environment out of service; `close()` still stops it while its process runs. */
  #forget(environment: ExecutionEnvironment): void {
    const index = this.#idle.indexOf(environment);
    if (index !== -1) this.#idle.splice(index, 1);
  }

  #release(): void {
    this.#inUse--;
    const waiter = this.#waiters.shift();
    if (waiter) {
      this.#inUse++;
      waiter.grant(this.#lease());
    } else if (this.#inUse === 0 && this.#onQuiet) {
      this.#onQuiet();
      this.#onQuiet = undefined;
    }
  }

  #reap(): void {
    const cutoff = performance.now() - this.#settings.idleTimeoutMs;
    for (const environment of [...this.#idle]) {
      if (environment.lastUsedAt <= cutoff) {
        this.#forget(environment);
        void environment.kill();
      }
    }
  }
}
