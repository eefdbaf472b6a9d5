/**
 * The invoke loop: `GET /next`, call the handler, send its response, repeat. It is written against the
 * `RuntimeClient` interface, so it runs over HTTP in Lambda and over an in-memory client in tests.
 *
 * Beyond AWS's Node runtime (runtime-api.md §3.4, §3.6), it never leaves an invocation hanging: a streaming
 * handler that resolves without ending its stream gets it ended, a non-202 reply is logged, and an unhandled
 * rejection fails the invocation with `Runtime.UnhandledPromiseRejection` before the process exits.
 */
import { RuntimeEnv, RuntimeErrorType, toErrorDocument } from '../protocol/index.js';
import { handlerMode } from './awslambda.js';
import { createContext, type LambdaContext } from './context.js';
import { LambdaRuntimeError, RuntimeErrorCode } from './errors.js';
import { HttpRuntimeClient } from './http-runtime-client.js';
import { logInvokeError, patchConsole, setCurrentRequestId } from './logging.js';
import { ResponseStream } from './response-stream.js';
import type { Invocation, RuntimeApiReply, RuntimeClient } from './runtime-client.js';

// biome-ignore lint/suspicious/noExplicitAny: handlers of every shape (streaming, async, callback) are accepted.
export type AnyHandler = (...args: any[]) => unknown;

export interface LambdaRuntimeOptions {
  /** The Runtime API client; default: HTTP to `AWS_LAMBDA_RUNTIME_API`. */
  client?: RuntimeClient;
  /** Environment to read function settings from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Format console output as AWS's runtime does (default true). */
  patchConsole?: boolean;
  /** Report uncaught errors and unhandled rejections, then exit, as AWS's runtime does (default true). */
  processHooks?: boolean;
  /** Stop after this many invocations (tests); default: run forever. */
  maxInvocations?: number;
}

interface CurrentInvocation {
  requestId: string;
  fail(error: unknown): Promise<void>;
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/** An error value for a rejection or callback error that is not an Error (AWS reports `typeof` as type). */
const nonNull = (error: unknown): unknown => (error === undefined || error === null ? 'handled' : error);

/** Builds the runtime's `Runtime.UnhandledPromiseRejection` error. */
export function unhandledRejectionError(reason: unknown): LambdaRuntimeError {
  const message = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  return new LambdaRuntimeError(
    RuntimeErrorType.unhandledPromiseRejection,
    RuntimeErrorCode.unhandledRejection,
    message,
    { cause: reason },
  );
}

function logReply(requestId: string, reply: RuntimeApiReply): void {
  if (reply.statusCode !== 202) {
    console.error(
      `The Runtime API answered ${reply.statusCode} to the response of invocation ${requestId}: ${reply.body.trim()}`,
    );
  }
}

/**
 * Runs a handler as a Lambda function: any of the three shapes (a `streamingHandler`, an awslambda-style
 * `streamifyResponse` handler, or a buffered `async (event, context) => result`).
 *
 * @example
 * import { LambdaRuntime, streamingHandler } from 'sluice';
 *
 * const handler = streamingHandler(async (event, writer) => {
 *   await writer.writeAndFinish('hello');
 * });
 * await new LambdaRuntime(handler).run();
 */
export class LambdaRuntime {
  readonly #handler: AnyHandler;
  readonly #streaming: boolean;
  readonly #highWaterMark: number | undefined;
  readonly #options: LambdaRuntimeOptions;
  readonly #env: NodeJS.ProcessEnv;
  #client: RuntimeClient | undefined;
  #current: CurrentInvocation | undefined;

  constructor(handler: AnyHandler, options: LambdaRuntimeOptions = {}) {
    const mode = handlerMode(handler);
    this.#handler = handler;
    this.#streaming = mode.streaming;
    this.#highWaterMark = mode.highWaterMark;
    this.#options = options;
    this.#env = options.env ?? process.env;
    this.#client = options.client;
  }

  #clientOrDefault(): RuntimeClient {
    this.#client ??= HttpRuntimeClient.fromEnvironment(this.#env);
    return this.#client;
  }

  /** Serves invocations until `maxInvocations` is reached or the Runtime API fails. */
  async run(): Promise<void> {
    const client = this.#clientOrDefault();
    if (this.#options.patchConsole ?? true) patchConsole(this.#env);
    const uninstall = (this.#options.processHooks ?? true) ? this.#installProcessHooks() : () => {};
    try {
      for (let served = 0; served < (this.#options.maxInvocations ?? Number.POSITIVE_INFINITY); served++) {
        const invocation = await client.next();
        await this.invoke(invocation);
      }
    } finally {
      uninstall();
    }
  }

  /** Handles one invocation and sends its response or error. */
  async invoke(invocation: Invocation): Promise<void> {
    const client = this.#clientOrDefault();
    setCurrentRequestId(invocation.requestId, invocation.tenantId);
    // The X-Ray header travels to the SDKs through this variable (Runtime API docs).
    if (invocation.traceId) this.#env[RuntimeEnv.traceId] = invocation.traceId;
    else delete this.#env[RuntimeEnv.traceId];
    try {
      if (this.#streaming) await this.#invokeStreaming(client, invocation);
      else await this.#invokeBuffered(client, invocation);
    } finally {
      this.#current = undefined;
      setCurrentRequestId(undefined);
    }
  }

  #prepare(invocation: Invocation): { event: unknown; context: LambdaContext; dispose: () => void } {
    const event: unknown = JSON.parse(Buffer.from(invocation.payload).toString('utf8'));
    const { context, dispose } = createContext(invocation, this.#env);
    return { event, context, dispose };
  }

  async #invokeStreaming(client: RuntimeClient, invocation: Invocation): Promise<void> {
    const { requestId } = invocation;
    const stream = new ResponseStream(
      client.openResponseStream(requestId),
      this.#highWaterMark === undefined ? {} : { highWaterMark: this.#highWaterMark },
    );
    const fail = (error: unknown) => {
      logInvokeError('Invoke Error', error, this.#env);
      if (!stream.fail(toErrorDocument(error))) {
        console.error(
          `The response of invocation ${requestId} was already complete when the handler failed; Lambda cannot report this error to the caller.`,
        );
      }
    };
    this.#current = {
      requestId,
      fail: async (error) => {
        fail(error);
        await stream.completion.catch(() => {});
      },
    };
    let dispose = () => {};
    try {
      const prepared = this.#prepare(invocation);
      dispose = prepared.dispose;
      const result = this.#handler(prepared.event, stream, prepared.context);
      if (!isPromiseLike(result)) {
        throw new LambdaRuntimeError(
          RuntimeErrorType.malformedStreamingHandler,
          RuntimeErrorCode.malformedStreamingHandler,
          'Streaming does not support non-async handlers.',
        );
      }
      const drained = whenEventLoopDrains();
      const outcome = await Promise.race([
        Promise.resolve(result).then((value) => ({ value })),
        drained.promise.then(() => undefined),
      ]).finally(drained.cancel);
      if (outcome === undefined) {
        // Nothing is left that could settle the handler's promise, so the process would exit mid-invocation.
        console.warn(
          'The handler’s promise can never settle: the event loop is empty. sluice ended the response stream.',
        );
      } else if (outcome.value !== undefined) {
        console.warn('Streaming handlers ignore return values.');
      }
      await endIfLeftOpen(stream);
    } catch (error) {
      fail(nonNull(error));
    } finally {
      dispose();
    }
    try {
      logReply(requestId, await stream.completion);
    } catch (error) {
      console.error(`Could not deliver the response of invocation ${requestId}: ${(error as Error).message}`);
    }
  }

  async #invokeBuffered(client: RuntimeClient, invocation: Invocation): Promise<void> {
    const { requestId } = invocation;
    let reported = false;
    const fail = async (error: unknown) => {
      if (reported) return;
      reported = true;
      logInvokeError('Invoke Error', error, this.#env);
      logReply(requestId, await client.postError(requestId, toErrorDocument(error)));
    };
    this.#current = { requestId, fail };
    let body: string;
    let dispose = () => {};
    try {
      const prepared = this.#prepare(invocation);
      dispose = prepared.dispose;
      const result = await callBufferedHandler(this.#handler, prepared.event, prepared.context);
      body = serializeResult(result);
    } catch (error) {
      await fail(nonNull(error));
      return;
    } finally {
      dispose();
    }
    if (reported) return;
    reported = true;
    logReply(requestId, await client.postResponse(requestId, body));
  }

  #installProcessHooks(): () => void {
    const fatal = (error: unknown, exitCode: number, label: string) => {
      const current = this.#current;
      const report = current ? current.fail(error) : Promise.resolve(logInvokeError(label, error, this.#env));
      report.catch(() => {}).finally(() => process.exit(exitCode));
    };
    // Exit codes as AWS's Node runtime: 128 for an unhandled rejection, 129 for an uncaught exception.
    const onRejection = (reason: unknown) =>
      fatal(unhandledRejectionError(reason), 128, 'Unhandled Promise Rejection');
    const onException = (error: Error) => fatal(error, 129, 'Uncaught Exception');
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
    return () => {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    };
  }
}

/**
 * Ends a response stream the handler left open. If a `pipe()` still feeds it, waits for the pipe to end it.
 * AWS's Node runtime would wait until the function times out instead (RIC, runtime-api.md §3.4 #5).
 */
async function endIfLeftOpen(stream: ResponseStream): Promise<void> {
  if (stream.writableEnded || stream.destroyed) return;
  // Writes queued in this turn of the event loop may still be followed by end().
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (stream.writableEnded || stream.destroyed) return;
  if (stream.listenerCount('unpipe') > 0) {
    await new Promise<void>((resolve) => {
      stream.once('finish', resolve);
      stream.once('close', resolve);
    });
    return;
  }
  console.warn(
    'The handler resolved without ending its response stream; sluice ended it. On AWS’s managed Node.js runtime this invocation would hang until it times out: call responseStream.end() or use pipeline().',
  );
  stream.end();
}

/** JSON text of a buffered result, as AWS's runtime sends it (`undefined` becomes `null`). */
function serializeResult(result: unknown): string {
  try {
    return JSON.stringify(result === undefined ? null : result);
  } catch (error) {
    throw new Error(`Unable to stringify response body: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Calls a buffered handler in any of the forms AWS's runtime supports: a promise, the `callback(error,
 * result)` argument, or `context.done/succeed/fail`. A handler that returns no promise and never calls back
 * completes with `null` once the event loop is empty, as on AWS.
 */
function callBufferedHandler(handler: AnyHandler, event: unknown, context: LambdaContext): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    // The event loop is empty and the handler has not answered: it never will. AWS's runtime answers null
    // then (its beforeExit listener); without this the process would exit mid-invocation.
    const drained = whenEventLoopDrains();
    drained.promise.then(() => {
      if (settled) return;
      console.warn(
        'The handler finished without a result (no resolved promise, no callback) and nothing is pending: responding null, as AWS’s Node.js runtime does.',
      );
      callback(null, null);
    });
    const callback = (error?: unknown, result?: unknown) => {
      if (settled) return;
      settled = true;
      drained.cancel();
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    const legacy = Object.assign(context, {
      done: callback,
      succeed: (result: unknown) => callback(null, result),
      fail: (error: unknown) => callback(nonNull(error)),
    });
    let returned: unknown;
    try {
      returned = handler(event, legacy, callback);
    } catch (error) {
      callback(nonNull(error));
      return;
    }
    if (isPromiseLike(returned)) {
      returned.then(
        (result) => callback(null, result),
        (error: unknown) => callback(nonNull(error)),
      );
    }
  });
}

/**
 * Resolves when Node finds its event loop empty ('beforeExit'), i.e. when no pending work could still settle
 * a handler's promise. `cancel()` removes the listener.
 */
function whenEventLoopDrains(): { promise: Promise<void>; cancel: () => void } {
  let onBeforeExit = () => {};
  const promise = new Promise<void>((resolve) => {
    onBeforeExit = () => resolve();
    process.once('beforeExit', onBeforeExit);
  });
  return { promise, cancel: () => process.off('beforeExit', onBeforeExit) };
}
