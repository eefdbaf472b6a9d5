/**
 * Streams an invocation's output to an HTTP client as the runtime writes it, with nothing buffered on the way:
 * each chunk is written to the socket when it arrives (chunked transfer encoding), and when the client reads
 * slowly `write()` returns false, the loop stops pulling from the invocation, and that pauses the runtime's
 * request (backpressure end to end).
 *
 * - `url` (RESPONSE_STREAM function URL): under the prelude content type the prelude is read first, across any
 *   chunk boundaries, and becomes the status, headers and cookies; otherwise the head is 200 with the stream's
 *   content type (AWS, http-fronts.md §1.4). A prelude without its delimiter, or one that is not valid, is 502.
 * - `rest` (API Gateway STREAM integration): a prelude is required, whatever the content type, and must end
 *   within the first 16 KB, else 500 ("API Gateway invokes your Lambda function and return a 500 error
 *   response").
 * - `raw` (the Swift-style local `/invoke` endpoint): 200 and the bytes as they are, prelude included.
 *
 * A function error or timeout before the head is answered by the front (502 as AWS; 500 for `raw`). After the
 * head there is no status left to change: the connection is cut without the terminating chunk, so HTTP
 * clients see a truncated body (curl: "transfer closed with outstanding read data remaining"), and the error
 * is logged. A client that disconnects does not stop the function: Lambda's streamed responses "are not
 * interrupted … when the invoking client connection is broken"; its output is drained and dropped until it
 * finishes or reaches its deadline.
 */
import type { ServerResponse } from 'node:http';
import { DEFAULT_STREAM_CONTENT_TYPE, MAX_PRELUDE_SCAN_BYTES } from '../../protocol/index.js';
import { type BandwidthOptions, TokenBucket } from '../bandwidth.js';
import type { Invocation, InvocationResult } from '../invocation.js';
import { waitForDrain } from '../wait-for-drain.js';
import type { HeaderList } from './cors.js';
import { PreludeReader } from './prelude-reader.js';
import { headFromMetadata, isPreludeContentType, writeHead } from './response-head.js';

/**
 * Which front streams.
 *
 * @example
 * const front: StreamFront = 'url';
 */
export type StreamFront = 'url' | 'rest' | 'raw';

/**
 * Why a response failed before its head: the front decides the status.
 *
 * @example
 * const failure: StreamFailure = { kind: 'invalid-prelude', reason: 'prelude is not valid JSON' };
 */
export type StreamFailure =
  | { kind: 'function-error'; result: InvocationResult }
  | { kind: 'invalid-prelude'; reason: string };

/**
 * @example
 * await streamResponse({ res, invocation, front: 'url', baseHeaders, midStreamError: 'abort', log, failBeforeHead });
 */
export interface StreamResponseOptions {
  res: ServerResponse;
  invocation: Invocation;
  front: StreamFront;
  /** Headers every successful head carries (`x-amzn-RequestId`, `X-Amzn-Trace-Id`). */
  baseHeaders: HeaderList;
  /** Last change to the head's headers (the URL's CORS headers). */
  decorate?: (headers: HeaderList) => HeaderList;
  bandwidth?: BandwidthOptions | undefined;
  /** After the head: `abort` cuts the connection (default), `end` ends the body cleanly. */
  midStreamError: 'abort' | 'end';
  log: (message: string) => void;
  /** Answers a failure before the head was sent. */
  failBeforeHead: (failure: StreamFailure) => void;
}

function errorSummary(result: InvocationResult): string {
  const text = result.error?.payload.toString('utf8') ?? '';
  return `${result.error?.errorType}: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}

/**
 * Streams one invocation's output to `res`. Resolves once the invocation has settled and the response is
 * complete, cut, or abandoned by the client.
 *
 * @example
 * void lease.run(invocation);
 * await streamResponse({ res, invocation, front: 'raw', baseHeaders: [], midStreamError: 'abort', log, failBeforeHead });
 */
export async function streamResponse(options: StreamResponseOptions): Promise<void> {
  const { res, invocation, front, log } = options;
  const bucket = options.bandwidth ? new TokenBucket(options.bandwidth) : undefined;
  let state: 'waiting' | 'prelude' | 'body' | 'failed' = 'waiting';
  let reader: PreludeReader | undefined;
  /** A `Content-Length` the function declared (REST only): the body must be exactly that long. */
  let declaredLength: number | undefined;
  let sent = 0;
  let clientGone = false;
  res.on('close', () => {
    if (res.writableFinished || clientGone) return;
    clientGone = true;
    if (!invocation.settled) {
      log(
        'the client disconnected mid-response; the function keeps running to completion or its deadline (as on Lambda) and its output is discarded.',
      );
    }
  });

  const sendHead = (status: number, headers: HeaderList) => {
    const all = [...headers, ...options.baseHeaders];
    writeHead(res, status, options.decorate ? options.decorate(all) : all);
  };
  const failure = (reason: string) => {
    state = 'failed';
    log(`${reason}; answering ${front === 'rest' ? 500 : 502}.`);
    options.failBeforeHead({ kind: 'invalid-prelude', reason });
  };
  /** Feeds the prelude reader; once the prelude is complete, sends the head and returns the body bytes after it. */
  const onPreludeChunk = (chunk: Buffer): Buffer | undefined => {
    const step = reader!.push(chunk);
    if (step.kind === 'incomplete') return undefined;
    if (step.kind === 'invalid') {
      failure(`the function's prelude is not valid: ${step.reason}`);
      return undefined;
    }
    const head = headFromMetadata(step.metadata, front === 'rest' ? 'rest' : 'url');
    if (!head.ok) {
      failure(`the function's prelude is not usable: ${head.reason}`);
      return undefined;
    }
    const length = head.headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1];
    if (length !== undefined) {
      if (!/^\d+$/.test(length.trim())) {
        failure(`the function's prelude declares Content-Length ${JSON.stringify(length)}`);
        return undefined;
      }
      declaredLength = Number(length);
    }
    sendHead(head.status, head.headers);
    state = 'body';
    return step.body;
  };
  /** At the first byte (or at the end of an empty stream): a head now, or a prelude to read first. */
  const startHead = (chunk: Buffer | undefined): Buffer | undefined => {
    const contentType = invocation.responseContentType;
    const prelude = front === 'rest' || (front === 'url' && isPreludeContentType(contentType));
    if (!prelude) {
      const type = contentType ?? (front === 'raw' ? undefined : DEFAULT_STREAM_CONTENT_TYPE);
      sendHead(200, type === undefined ? [] : [['Content-Type', type]]);
      state = 'body';
      return chunk;
    }
    reader = new PreludeReader(MAX_PRELUDE_SCAN_BYTES);
    state = 'prelude';
    return chunk ? onPreludeChunk(chunk) : undefined;
  };

  const writeBody = async (chunk: Buffer) => {
    if (chunk.byteLength === 0 || res.destroyed) return;
    let piece = chunk;
    if (declaredLength !== undefined && sent + piece.byteLength > declaredLength) {
      log(
        `the function wrote more than the ${declaredLength} bytes its Content-Length declared; the response is cut.`,
      );
      piece = piece.subarray(0, declaredLength - sent);
      if (piece.byteLength > 0) res.write(piece);
      state = 'failed';
      res.destroy();
      return;
    }
    // Lambda shapes the function's bytes (6 MiB burst, then 2 MiB/s) when bandwidth shaping is on.
    if (bucket) await bucket.take(piece.byteLength);
    sent += piece.byteLength;
    if (!res.write(piece)) await waitForDrain(res);
  };

  for await (const chunk of invocation.body) {
    // Once the client is gone or the response failed, keep draining so the function runs to its end.
    if (clientGone || res.destroyed || state === 'failed') continue;
    try {
      // Body bytes come back only once the head is sent.
      const body =
        state === 'waiting'
          ? startHead(chunk as Buffer)
          : state === 'prelude'
            ? onPreludeChunk(chunk as Buffer)
            : (chunk as Buffer);
      if (body) await writeBody(body);
    } catch (error) {
      log(`could not write the response: ${String(error)}`);
      state = 'failed';
      if (!res.headersSent) options.failBeforeHead({ kind: 'invalid-prelude', reason: String(error) });
      else res.destroy();
    }
  }

  const result = await invocation.result;
  if (clientGone || res.destroyed || state === 'failed') {
    if (result.error && clientGone) log(`the invocation ended with ${errorSummary(result)}`);
    return;
  }
  if (result.error) {
    if (!res.headersSent) {
      log(`the function failed before the response head (${errorSummary(result)})`);
      options.failBeforeHead({ kind: 'function-error', result });
      return;
    }
    log(
      `the function failed after the response head was sent (${errorSummary(result)}); ${options.midStreamError === 'abort' ? 'the connection is cut without the terminating chunk so the client sees a truncated body' : 'the body is ended'}.`,
    );
    if (options.midStreamError === 'abort') res.destroy();
    else res.end();
    return;
  }
  if (state === 'waiting') {
    // The function wrote nothing at all.
    if (front === 'rest') return failure('the function streamed nothing: no prelude and delimiter');
    if (front === 'url' && isPreludeContentType(invocation.responseContentType)) {
      // AWS: an empty stream under the prelude type answers 200 without the function's headers (#97).
      sendHead(200, []);
    } else startHead(undefined);
  } else if (state === 'prelude') {
    return failure(
      `the function's stream ended before its prelude did (no 8-NUL delimiter after ${reader?.pendingBytes ?? 0} bytes)`,
    );
  }
  if (declaredLength !== undefined && sent !== declaredLength) {
    log(
      `the function wrote ${sent} of the ${declaredLength} bytes its Content-Length declared; the response is cut.`,
    );
    res.destroy();
    return;
  }
  res.end();
}
