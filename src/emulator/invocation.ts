/**
 * One invocation's result channel between the runtime side (the Runtime API server writes the function's
 * response bytes as they arrive) and the caller side (the Invoke or InvokeWithResponseStream handler reads
 * them). The body is a byte stream with backpressure: when the caller reads slowly, `write()` returns false
 * and the runtime's request is paused until the caller wants more, so nothing is buffered without bound.
 * The result (error, log tail) settles exactly once.
 */
import { Readable } from 'node:stream';
import { LogTail } from './log-tail.js';

/**
 * How many response bytes the caller side buffers before the runtime's request is paused.
 *
 * @example
 * new Readable({ highWaterMark: INVOCATION_BODY_HIGH_WATER_MARK, read() {} });
 */
export const INVOCATION_BODY_HIGH_WATER_MARK = 64 * 1024;

/**
 * A failed invocation as the caller sees it: Invoke answers 200 with `X-Amz-Function-Error: Unhandled` and
 * `payload` as the body; InvokeWithResponseStream ends with an `InvokeComplete` carrying it.
 *
 * @example
 * const timeout: InvocationError = {
 *   errorType: 'Sandbox.Timedout',
 *   payload: Buffer.from('{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: 1 Error: Task timed out after 3.00 seconds"}'),
 *   source: 'platform',
 * };
 */
export interface InvocationError {
  /** The error's type, e.g. `Error` (from the function), `Sandbox.Timedout`, `Runtime.ExitError`. */
  errorType: string;
  /** The error document, JSON text (what the runtime sent, verbatim, or what the emulator made). */
  payload: Buffer;
  /** `function`: reported by the runtime (`/error`, trailers, `/init/error`); `platform`: detected by the emulator. */
  source: 'function' | 'platform';
}

/**
 * @example
 * const { error, logTail } = await invocation.result;
 */
export interface InvocationResult {
  error?: InvocationError;
  /** The last 4 KB of the execution log (empty unless the caller asked for the tail). */
  logTail: Buffer;
}

/**
 * What the caller side knows when it creates an invocation.
 *
 * @example
 * new Invocation({ requestId: randomUUID(), payload: Buffer.from('{}'), invokedFunctionArn, traceId, responseLimit: 6291556, logTail: false });
 */
export interface InvocationInit {
  requestId: string;
  payload: Buffer;
  invokedFunctionArn: string;
  traceId: string;
  /** JSON text of the client context (decoded from `X-Amz-Client-Context`). */
  clientContext?: string;
  tenantId?: string;
  /** Largest response the caller accepts: 6 MiB + 100 bytes for Invoke, 200 MiB for a stream. */
  responseLimit: number;
  /** `X-Amz-Log-Type: Tail`. */
  logTail: boolean;
}

/**
 * Builds the JSON error document Lambda returns for an error it detects itself. Key order follows the
 * payloads recorded from real Lambda (invoke-api.md §6): `errorType` first for timeouts,
 * `errorMessage` first for `Function.ResponseSizeTooLarge` (RAPID's Go struct order).
 *
 * @example
 * platformError('Sandbox.Timedout', 'RequestId: 1 Error: Task timed out after 3.00 seconds');
 */
export function platformError(
  errorType: string,
  errorMessage: string,
  messageFirst = false,
): InvocationError {
  const document = messageFirst ? { errorMessage, errorType } : { errorType, errorMessage };
  return { errorType, payload: Buffer.from(JSON.stringify(document)), source: 'platform' };
}

/**
 * @example
 * const invocation = new Invocation(init);
 * pool.run(invocation);
 * for await (const chunk of invocation.body) res.write(chunk);
 * const { error } = await invocation.result;
 */
export class Invocation {
  readonly requestId: string;
  readonly payload: Buffer;
  readonly invokedFunctionArn: string;
  readonly traceId: string;
  readonly clientContext: string | undefined;
  readonly tenantId: string | undefined;
  readonly responseLimit: number;
  readonly wantsLogTail: boolean;
  /**
   * The execution log of this invocation (START…REPORT and the function's output), kept only when the caller
   * wants its tail (`wantsLogTail`).
   */
  readonly log = new LogTail();
  /** Settles once, after the body has ended. */
  readonly result: Promise<InvocationResult>;
  /** Epoch milliseconds of the deadline, set when the runtime receives the invocation. */
  deadlineMs: number | undefined;
  /** `Content-Type` of the runtime's response, once it started. */
  responseContentType: string | undefined;
  /** Whether the runtime streams (`Lambda-Runtime-Function-Response-Mode: streaming`). */
  responseStreaming = false;
  /** Response bytes passed to the caller side. */
  bytesWritten = 0;

  #body: Readable | undefined;
  /** Set by `collect()`: the bytes go to this list instead of a stream. */
  #collected: { chunks: Buffer[]; resolve: (output: Buffer) => void } | undefined;
  #collecting: Promise<Buffer> | undefined;
  #resume: (() => void) | undefined;
  #bodyEnded = false;
  #settled = false;
  #resolve!: (result: InvocationResult) => void;

  constructor(init: InvocationInit) {
    this.requestId = init.requestId;
    this.payload = init.payload;
    this.invokedFunctionArn = init.invokedFunctionArn;
    this.traceId = init.traceId;
    this.clientContext = init.clientContext;
    this.tenantId = init.tenantId;
    this.responseLimit = init.responseLimit;
    this.wantsLogTail = init.logTail;
    this.result = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /**
   * The function's response bytes, in order, as the runtime sends them. Created on first use: callers that
   * answer once the function is done use `collect()` and never need a stream.
   */
  get body(): Readable {
    this.#body ??= new Readable({
      highWaterMark: INVOCATION_BODY_HIGH_WATER_MARK,
      read: () => {
        const resume = this.#resume;
        this.#resume = undefined;
        resume?.();
      },
    });
    return this.#body;
  }

  get bodyEnded(): boolean {
    return this.#bodyEnded;
  }

  get settled(): boolean {
    return this.#settled;
  }

  /**
   * Passes response bytes to the caller side. Returns false when the caller's buffer is full: stop reading
   * from the runtime and wait for the callback given to `onResume`. Bytes after the body ended are dropped.
   */
  write(chunk: Buffer): boolean {
    if (this.#bodyEnded) return true;
    this.bytesWritten += chunk.byteLength;
    if (this.#collected) {
      this.#collected.chunks.push(chunk);
      return true;
    }
    return this.body.push(chunk);
  }

  /** Registers the callback that resumes the producer once the caller wants more (called at most once). */
  onResume(resume: () => void): void {
    this.#resume = resume;
  }

  /** Ends the body (idempotent). */
  endBody(): void {
    if (this.#bodyEnded) return;
    this.#bodyEnded = true;
    this.#resume = undefined;
    const collected = this.#collected;
    if (collected) {
      const { chunks } = collected;
      collected.resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      return;
    }
    this.body.push(null);
  }

  /**
   * The whole body, once it ended. Without a stream when called before any byte was written (the usual case,
   * right after the invocation is dispatched): the bytes are kept in a list, which the response limit bounds,
   * and the promise resolves as soon as the body ends. A Readable per invocation, its flowing machinery and its
   * `end` tick were a measurable share of each Invoke.
   */
  collect(): Promise<Buffer> {
    this.#collecting ??= this.#body
      ? new Promise((resolve, reject) => {
          const chunks: Buffer[] = [];
          const body = this.#body!;
          if (body.readableEnded) {
            resolve(Buffer.alloc(0));
            return;
          }
          body.on('data', (chunk: Buffer) => chunks.push(chunk));
          body.once('end', () => resolve(Buffer.concat(chunks)));
          body.once('error', reject);
        })
      : new Promise((resolve) => {
          this.#collected = { chunks: [], resolve };
        });
    return this.#collecting;
  }

  /** Ends the body and settles the result (idempotent: the first outcome wins). */
  settle(error?: InvocationError): void {
    this.endBody();
    if (this.#settled) return;
    this.#settled = true;
    const result: InvocationResult = { logTail: this.wantsLogTail ? this.log.toBuffer() : Buffer.alloc(0) };
    if (error) result.error = error;
    this.#resolve(result);
  }
}

/**
 * The whole output of an invocation and its result, for callers that answer once the function is done
 * (Invoke, BUFFERED function URLs, non-streaming routes). The output is bounded by the invocation's response
 * limit.
 *
 * @example
 * const { output, result } = await collectInvocation(invocation);
 */
export async function collectInvocation(
  invocation: Invocation,
): Promise<{ output: Buffer; result: InvocationResult }> {
  const output = await invocation.collect();
  return { output, result: await invocation.result };
}
