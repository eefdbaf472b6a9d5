/**
 * `POST /2015-03-31/functions/{FunctionName}/invocations`: Lambda's buffered Invoke (invoke-api.md §6).
 *
 * - `RequestResponse`: 200 with the function's response, or its error document plus
 *   `X-Amz-Function-Error: Unhandled`; `X-Amz-Log-Result` with `X-Amz-Log-Type: Tail`.
 * - `Event`: 202 at once; the invocation runs in the background, waiting for capacity rather than being
 *   throttled, as Lambda's async queue does.
 * - `DryRun`: 204 once the request is valid.
 *
 * Streaming functions are buffered here up to the buffered-response limit, as on Lambda.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvocationType, InvokeHeader, LATEST_VERSION, UNHANDLED_FUNCTION_ERROR } from '../protocol/index.js';
import {
  type ApiContext,
  createInvocation,
  type PreparedInvocation,
  prepareInvocation,
} from './api-context.js';
import { sendAwsError, tooManyRequests } from './aws-errors.js';
import { collectInvocation } from './invocation.js';
import { safeLog } from './logger.js';

/**
 * Serves one Invoke request.
 *
 * @example
 * server.on('request', (req, res) => handleInvoke(context, req, res, 'hello', randomUUID()));
 */
export async function handleInvoke(
  context: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  label: string,
  requestId: string,
): Promise<void> {
  const prepared = await prepareInvocation(context, req, res, { api: 'invoke', label }, requestId);
  if (!prepared) return;
  const { headers } = prepared;
  if (headers.invocationType === InvocationType.dryRun) {
    res.writeHead(204, { [InvokeHeader.requestId]: requestId });
    res.end();
    return;
  }
  if (headers.invocationType === InvocationType.event) {
    res.writeHead(202, {
      [InvokeHeader.requestId]: requestId,
      [InvokeHeader.executedVersion]: LATEST_VERSION,
      'Content-Length': 0,
    });
    res.end();
    context.track(runInBackground(context, prepared, requestId));
    return;
  }
  const lease = prepared.entry.pool.tryAcquire();
  if (!lease) {
    sendAwsError(res, requestId, tooManyRequests());
    return;
  }
  const invocation = createInvocation(prepared, requestId, context.limits.bufferedResponseBytes);
  void lease.run(invocation);
  // Bounded: the Runtime API server stops passing bytes at the buffered-response limit.
  const { output, result } = await collectInvocation(invocation);
  const responseHeaders: Record<string, string | number> = {
    [InvokeHeader.requestId]: requestId,
    [InvokeHeader.executedVersion]: LATEST_VERSION,
  };
  let body: Buffer;
  if (result.error) {
    body = result.error.payload;
    responseHeaders['Content-Type'] = 'application/json';
    responseHeaders[InvokeHeader.functionError] = UNHANDLED_FUNCTION_ERROR;
  } else {
    body = output;
    responseHeaders['Content-Type'] = invocation.responseContentType ?? 'application/json';
  }
  if (headers.logTail) responseHeaders[InvokeHeader.logResult] = result.logTail.toString('base64');
  responseHeaders['Content-Length'] = body.byteLength;
  if (res.destroyed) return;
  res.writeHead(200, responseHeaders);
  res.end(body);
}

async function runInBackground(
  context: ApiContext,
  prepared: PreparedInvocation,
  requestId: string,
): Promise<void> {
  const invocation = createInvocation(prepared, requestId, context.limits.bufferedResponseBytes);
  invocation.body.resume();
  let lease: Awaited<ReturnType<typeof prepared.entry.pool.acquire>>;
  try {
    lease = await prepared.entry.pool.acquire();
  } catch {
    return; // The emulator closed before capacity freed up.
  }
  await lease.run(invocation);
  const { error } = await invocation.result;
  if (error) {
    safeLog(context.logger, {
      functionName: prepared.entry.config.name,
      requestId,
      source: 'emulator',
      message: `asynchronous invocation failed (Lambda would retry it up to twice; the emulator does not): ${error.payload.toString('utf8').slice(0, 500)}`,
    });
  }
}
