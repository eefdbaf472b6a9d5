/**
 * The Swift-runtime-style writer (`LambdaResponseStreamWriter`): `writeStatusAndHeaders`, `write`,
 * `finish`, `writeAndFinish`, as an explicit state machine whose illegal moves throw typed errors
 * (runtime-api.md §5.1). It drives any Node-style response stream, sluice's or AWS's managed runtime's, so
 * a `streamingHandler` runs unchanged on both.
 *
 *   idle ──writeStatusAndHeaders──▶ headers ──write──▶ streaming ──finish──▶ finished
 *     └──────────────write──────────────────────────────▲        writeAndFinish ──▲
 */
import { Writable } from 'node:stream';
import { SluiceError } from '../protocol/errors.js';
import { encodePrelude, type HttpResponseMetadata, PRELUDE_CONTENT_TYPE } from '../protocol/index.js';
import type { LambdaResponseStream } from './awslambda.js';
import { RuntimeErrorCode, WriterStateError } from './errors.js';

/**
 * Status, headers and cookies of a streamed HTTP response (function URL or API Gateway).
 *
 * @example
 * await writer.writeStatusAndHeaders({ statusCode: 200, headers: { 'Content-Type': 'text/plain' } });
 */
export interface StatusAndHeaders extends HttpResponseMetadata {
  statusCode: number;
}

/**
 * The writer a `streamingHandler` receives. Illegal calls throw synchronously (so they surface even when
 * the promise is not awaited) with a `WriterStateError` whose `code` names the mistake.
 *
 * @example
 * export const handler = streamingHandler(async (event, writer) => {
 *   await writer.writeStatusAndHeaders({ statusCode: 200, headers: { 'Content-Type': 'text/plain' } });
 *   for (let i = 1; i <= 3; i++) await writer.write(`${i}\n`);
 *   await writer.finish();
 * });
 */
export interface LambdaResponseStreamWriter {
  /** Sends the HTTP prelude. Only before the first body byte, and only once. */
  writeStatusAndHeaders(response: StatusAndHeaders): Promise<void>;
  /** Writes a chunk; resolves when more may be written (backpressure). */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Ends the response; resolves once it is delivered. */
  finish(): Promise<void>;
  /** Writes a last chunk and ends the response. */
  writeAndFinish(chunk: string | Uint8Array): Promise<void>;
  /** True once `finish` or `writeAndFinish` was called. */
  readonly finished: boolean;
  /**
   * A Node Writable over this writer, for `pipeline(source, zlib.createGzip(), writer.stream)`. Ending it
   * finishes the response.
   */
  readonly stream: Writable;
}

type WriterState = 'idle' | 'headers' | 'streaming' | 'finished';

function checkChunk(chunk: unknown): asserts chunk is string | Uint8Array {
  if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
    throw new SluiceError(
      RuntimeErrorCode.invalidChunk,
      `write() takes a string or a Uint8Array; got ${chunk === null ? 'null' : typeof chunk}`,
    );
  }
}

/** Writes to a Node-style stream, resolving when it may take more and rejecting when it fails. */
function writeTo(stream: LambdaResponseStream, chunk: string | Uint8Array): Promise<void> {
  if (stream.destroyed) return Promise.reject(new Error('The response stream was destroyed.'));
  return new Promise((resolve, reject) => {
    let done = false;
    const settle = (error?: Error | null) => {
      if (done) return;
      done = true;
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(new Error('The response stream closed before the write completed.'));
    stream.on('error', onError);
    stream.on('close', onClose);
    if (stream.write(chunk)) settle();
    else stream.on('drain', onDrain);
  });
}

/** Ends a Node-style stream and resolves once it finished. */
function endStream(stream: LambdaResponseStream): Promise<void> {
  if (stream.writableFinished) return Promise.resolve();
  // A destroyed stream emits nothing more ('close' already fired): end() would leave the promise pending.
  if (stream.destroyed) {
    return Promise.reject(
      stream.errored ?? new Error('The response stream was destroyed before it finished.'),
    );
  }
  return new Promise((resolve, reject) => {
    const settle = (error?: Error | null) => {
      stream.off('finish', onFinish);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onFinish = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () =>
      settle(stream.writableFinished ? null : new Error('The response stream closed before it finished.'));
    stream.on('finish', onFinish);
    stream.on('error', onError);
    stream.on('close', onClose);
    stream.end();
  });
}

/**
 * @example
 * const writer = new ResponseStreamWriter(responseStream);
 * await writer.writeAndFinish('done');
 */
export class ResponseStreamWriter implements LambdaResponseStreamWriter {
  #state: WriterState = 'idle';
  #finishedBy: 'finish' | 'writeAndFinish' | undefined;
  #adapter: Writable | undefined;

  constructor(private readonly responseStream: LambdaResponseStream) {}

  get finished(): boolean {
    return this.#state === 'finished';
  }

  #assertOpen(action: string): void {
    if (this.#state === 'finished') {
      throw new WriterStateError(
        action === 'finish' ? RuntimeErrorCode.finishAfterFinish : RuntimeErrorCode.writeAfterFinish,
        `Cannot ${action}: the response was already finished by ${this.#finishedBy}().`,
      );
    }
  }

  writeStatusAndHeaders(response: StatusAndHeaders): Promise<void> {
    this.#assertOpen('writeStatusAndHeaders');
    if (this.#state === 'headers') {
      throw new WriterStateError(
        RuntimeErrorCode.headersAlreadySent,
        'writeStatusAndHeaders() was already called for this response.',
      );
    }
    if (this.#state === 'streaming') {
      throw new WriterStateError(
        RuntimeErrorCode.headersAfterWrite,
        'writeStatusAndHeaders() must come before the first write(): the body has started.',
      );
    }
    const { statusCode } = response;
    if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
      throw new SluiceError(
        RuntimeErrorCode.invalidStatusCode,
        `statusCode must be an integer from 100 to 599; got ${String(statusCode)}`,
      );
    }
    this.responseStream.setContentType(PRELUDE_CONTENT_TYPE);
    this.#state = 'headers';
    // Sent at once, not on the first body write, so an empty body still carries its status (RIC #97).
    return writeTo(this.responseStream, encodePrelude(response));
  }

  write(chunk: string | Uint8Array): Promise<void> {
    this.#assertOpen('write');
    checkChunk(chunk);
    this.#state = 'streaming';
    return writeTo(this.responseStream, chunk);
  }

  finish(): Promise<void> {
    this.#assertOpen('finish');
    this.#state = 'finished';
    this.#finishedBy = 'finish';
    return endStream(this.responseStream);
  }

  writeAndFinish(chunk: string | Uint8Array): Promise<void> {
    this.#assertOpen('finish');
    checkChunk(chunk);
    this.#state = 'finished';
    this.#finishedBy = 'writeAndFinish';
    // The last chunk needs no backpressure wait: end() flushes it, and the stream ends in the same tick.
    this.responseStream.write(chunk);
    return endStream(this.responseStream);
  }

  get stream(): Writable {
    this.#adapter ??= new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        try {
          this.write(chunk).then(() => callback(), callback);
        } catch (error) {
          callback(error as Error);
        }
      },
      final: (callback) => {
        try {
          this.finish().then(() => callback(), callback);
        } catch (error) {
          callback(error as Error);
        }
      },
    });
    return this.#adapter;
  }
}
