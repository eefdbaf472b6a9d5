/**
 * `POST /2021-11-15/functions/{FunctionName}/response-streaming-invocations`: InvokeWithResponseStream
 * (invoke-api.md §1–5, §9). Errors found before the function runs are restJson1 errors; after that the
 * response is 200 and an event stream: one `PayloadChunk` per piece of output as soon as the runtime sends
 * it, then exactly one `InvokeComplete`, which carries any error (function error, crash, timeout, size
 * overflow). The connection is never cut to signal an error: SDKs only see `InvokeComplete.ErrorCode`
 * reliably.
 *
 * Backpressure runs end to end: a slow reader fills the socket, `write()` returns false, the loop stops
 * pulling from the invocation, which pauses the runtime's request. If the caller goes away the function
 * still runs to completion ("streamed responses are not interrupted … when the invoking client connection
 * is broken", AWS docs) and its output is discarded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  DEFAULT_STREAM_CONTENT_TYPE,
  EVENT_STREAM_CONTENT_TYPE,
  InvocationType,
  type InvokeCompleteEvent,
  InvokeHeader,
  LATEST_VERSION,
  UNHANDLED_FUNCTION_ERROR,
} from '../protocol/index.js';
import { type ApiContext, createInvocation, prepareInvocation } from './api-context.js';
import { sendAwsError, tooManyRequests } from './aws-errors.js';
import { TokenBucket } from './bandwidth.js';
import { encodeInvokeComplete, encodePayloadChunk, MAX_PAYLOAD_CHUNK_BYTES } from './event-stream.js';
import type { InvocationResult } from './invocation.js';
import { waitForDrain } from './wait-for-drain.js';

/**
 * The `InvokeComplete` payload for an invocation's result. Exact values on AWS are unconfirmed
 * (invoke-api.md §5.1); we follow its recommendation: an error the function reported has
 * `ErrorCode: "Unhandled"` (as `X-Amz-Function-Error`), an error Lambda detected has its own type
 * (`Sandbox.Timedout`, `Runtime.ExitError`, `Function.ResponseSizeTooLarge`, …); `ErrorDetails` is the
 * error document Invoke would return as its body.
 *
 * @example
 * invokeCompleteFor({ logTail: Buffer.alloc(0) }, false); // {}
 */
export function invokeCompleteFor(result: InvocationResult, logTail: boolean): InvokeCompleteEvent {
  const event: InvokeCompleteEvent = {};
  if (result.error) {
    event.ErrorCode = result.error.source === 'function' ? UNHANDLED_FUNCTION_ERROR : result.error.errorType;
    event.ErrorDetails = result.error.payload.toString('utf8');
  }
  if (logTail) event.LogResult = result.logTail.toString('base64');
  return event;
}

/**
 * Serves one InvokeWithResponseStream request.
 *
 * @example
 * server.on('request', (req, res) => handleResponseStream(context, req, res, 'hello', randomUUID()));
 */
export async function handleResponseStream(
  context: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  label: string,
  requestId: string,
): Promise<void> {
  const prepared = await prepareInvocation(context, req, res, { api: 'response-stream', label }, requestId);
  if (!prepared) return;
  const { headers } = prepared;
  if (headers.invocationType === InvocationType.dryRun) {
    res.writeHead(204, {
      [InvokeHeader.requestId]: requestId,
      [InvokeHeader.executedVersion]: LATEST_VERSION,
    });
    res.end();
    return;
  }
  const lease = prepared.entry.pool.tryAcquire();
  if (!lease) {
    sendAwsError(res, requestId, tooManyRequests());
    return;
  }
  const invocation = createInvocation(prepared, requestId, context.limits.streamedResponseBytes);
  void lease.run(invocation);

  let headSent = false;
  const sendHead = () => {
    if (headSent) return;
    headSent = true;
    const contentType =
      context.responseStreamContentType === 'eventstream'
        ? EVENT_STREAM_CONTENT_TYPE
        : (invocation.responseContentType ?? DEFAULT_STREAM_CONTENT_TYPE);
    res.writeHead(200, {
      'Content-Type': contentType,
      [InvokeHeader.executedVersion]: LATEST_VERSION,
      [InvokeHeader.requestId]: requestId,
    });
    res.flushHeaders();
  };
  // With the event-stream content type the head can go at once; the SDK resolves on the first frame anyway.
  if (context.responseStreamContentType === 'eventstream') sendHead();

  const bucket = context.bandwidth ? new TokenBucket(context.bandwidth) : undefined;
  for await (const chunk of invocation.body) {
    if (res.destroyed) continue; // The caller left: drain so the function runs to completion.
    sendHead();
    const output = chunk as Buffer;
    for (let offset = 0; offset < output.byteLength && !res.destroyed; offset += MAX_PAYLOAD_CHUNK_BYTES) {
      const piece = output.subarray(offset, offset + MAX_PAYLOAD_CHUNK_BYTES);
      // Lambda shapes the function's bytes, not the framing around them.
      if (bucket) await bucket.take(piece.byteLength);
      if (!res.write(encodePayloadChunk(piece))) await waitForDrain(res);
    }
  }
  const result = await invocation.result;
  if (res.destroyed) return;
  sendHead();
  res.end(encodeInvokeComplete(invokeCompleteFor(result, headers.logTail)));
}
