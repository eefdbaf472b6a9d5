/**
 * The response stream an awslambda-style handler writes to: a real `stream.Writable` that behaves as AWS's
 * Node runtime's stream does (runtime-api.md §3.3), so handlers written for the managed runtime run
 * unchanged, and that fixes that runtime's known faults:
 * - a prelude set with `HttpResponseStream.from()` is sent even when the body is empty (RIC #97, #95);
 * - backpressure reaches the handler through `write()`'s return value and `'drain'`.
 */
import { Writable } from 'node:stream';
import { type ErrorDocument, errorTrailers, toErrorDocument } from '../protocol/index.js';
import { InvalidStreamingOperation } from './errors.js';
import type { ResponseSink, RuntimeApiReply } from './runtime-client.js';

type WriteCallback = (error?: Error | null) => void;

/** The hook `HttpResponseStream.from()` installs; AWS's runtime calls it before the first write. */
export type BeforeFirstWriteHook = (write: (chunk: string | Uint8Array) => void) => void;

export interface ResponseStreamOptions {
  /**
   * Bytes the stream holds, beyond what the connection to the Runtime API has accepted, before `write()`
   * returns false (`streamifyResponse`'s `highWaterMark`). Chunks the connection takes at once do not count.
   */
  highWaterMark?: number;
}

/**
 * @example
 * const stream = new ResponseStream(client.openResponseStream(requestId));
 * stream.setContentType('text/plain');
 * stream.write('hello');
 * stream.end();
 */
export class ResponseStream extends Writable {
  /** Set by `HttpResponseStream.from()`; public because AWS's runtime exposes it under this name. */
  _onBeforeFirstWrite: BeforeFirstWriteHook | undefined;
  readonly #sink: ResponseSink;
  #firstWriteDone = false;
  #failure: ErrorDocument | undefined;
  #sinkEnded = false;
  readonly #completion: Promise<RuntimeApiReply>;
  #settle!: (reply: Promise<RuntimeApiReply>) => void;

  constructor(sink: ResponseSink, options: ResponseStreamOptions = {}) {
    super(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark });
    this.#sink = sink;
    this.#completion = new Promise<RuntimeApiReply>((resolve) => {
      this.#settle = resolve as (reply: Promise<RuntimeApiReply>) => void;
    });
    this.#completion.catch(() => {});
    // Errors (a write after end, a broken connection) must not reach the process as an unhandled 'error'
    // event: a broken connection fails the invocation through _destroy; a write after end() only loses data.
    this.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ERR_STREAM_WRITE_AFTER_END') {
        console.warn('The handler wrote to the response stream after end(); that data was dropped.');
      }
    });
  }

  /**
   * Sets the content type of the response. Only before the first write, as on AWS.
   *
   * @example
   * responseStream.setContentType('text/event-stream');
   */
  setContentType(contentType: string): void {
    if (this.#firstWriteDone) throw new InvalidStreamingOperation('Cannot set content-type, too late.');
    this.#sink.contentType = contentType;
  }

  override write(
    chunk: unknown,
    encoding?: BufferEncoding | WriteCallback,
    callback?: WriteCallback,
  ): boolean {
    // AWS's runtime JSON-encodes anything that is not a string or bytes (the DynamoDB example relies on it).
    let data = chunk;
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
      if (data === null || data === undefined) {
        throw new TypeError(
          `The "chunk" argument must be of type string or an instance of Buffer or Uint8Array. Received ${data}`,
        );
      }
      data = JSON.stringify(data);
    }
    this.#beforeFirstWrite();
    return super.write(data, encoding as BufferEncoding, callback);
  }

  override end(chunk?: unknown, encoding?: BufferEncoding | WriteCallback, callback?: WriteCallback): this {
    let cb = callback;
    let enc = encoding;
    let data = chunk;
    if (typeof data === 'function') {
      cb = data as WriteCallback;
      data = undefined;
      enc = undefined;
    } else if (typeof enc === 'function') {
      cb = enc;
      enc = undefined;
    }
    if (data !== undefined && data !== null) this.write(data, enc as BufferEncoding);
    // Unlike AWS's runtime, a prelude set by from() goes out even when nothing was written (RIC #97).
    else if (!this.writableEnded) this.#beforeFirstWrite();
    return super.end(cb);
  }

  #beforeFirstWrite(): void {
    if (this.#firstWriteDone || this.writableEnded) return;
    this.#firstWriteDone = true;
    const hook = this._onBeforeFirstWrite;
    if (typeof hook === 'function') hook((data) => super.write(data));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: WriteCallback): void {
    this.#sink.write(chunk, callback);
  }

  override _final(callback: WriteCallback): void {
    const reply = this.#endSink();
    reply.then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  override _destroy(error: Error | null, callback: WriteCallback): void {
    if (!this.#sinkEnded) {
      // Destroyed before the end: the body is incomplete, so the response must end with error trailers.
      this.#failure ??= toErrorDocument(
        error ?? new InvalidStreamingOperation('The response stream was destroyed before it was ended.'),
      );
      this.#endSink();
    }
    callback(error);
  }

  #endSink(): Promise<RuntimeApiReply> {
    if (!this.#sinkEnded) {
      this.#sinkEnded = true;
      this.#settle(this.#sink.end(this.#failure ? errorTrailers(this.#failure) : undefined));
    }
    return this.#completion;
  }

  /**
   * Fails the response: it ends with the error trailers (runtime-api.md §2.3), whatever was written before.
   * Returns false when it is too late, because the end of the body is already on its way.
   */
  fail(error: ErrorDocument): boolean {
    // Once the handler called end(), the response is complete from its side: an error after that cannot be
    // reported (AWS's runtime cannot either), whether or not earlier writes are still draining. Deciding on
    // writableEnded, not on when the transport got the end, keeps the outcome independent of timing.
    if (this.#sinkEnded || (this.writableEnded && !this.destroyed)) return false;
    this.#failure = error;
    // Bypass end()'s prelude hook: a failed response that never wrote must not start with a prelude.
    if (!this.writableEnded && !this.destroyed) super.end();
    else if (this.destroyed) this.#endSink();
    return true;
  }

  /** Resolves with the Runtime API's reply once the response ended; rejects if the transport failed. */
  get completion(): Promise<RuntimeApiReply> {
    return this.#completion;
  }

  /** True once the body's end (with or without trailers) was handed to the transport. */
  get ended(): boolean {
    return this.#sinkEnded;
  }
}
