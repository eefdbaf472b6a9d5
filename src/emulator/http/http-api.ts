/**
 * API Gateway HTTP APIs with Lambda proxy integrations, served at `http://<apiId>.execute-api.localhost:<port>/<path>`
 * and `http://127.0.0.1:<port>/http-api/<apiId>/<path>` (the prefix is removed before the event is built), with
 * `/<stage>` in front of `<path>` for a named stage and nothing for `$default`. HTTP APIs do not stream
 * (http-fronts.md §2.4): the function is invoked as Invoke does and its whole result becomes the response.
 * Format 2.0 reads it as a BUFFERED function URL does (a string or any JSON is the body, `statusCode`,
 * `headers`, `cookies` → `Set-Cookie`, `isBase64Encoded`, `Content-Type` defaulting to `application/json`);
 * format 1.0 needs a REST proxy response. Errors: no route 404 `{"message":"Not Found"}`; a function error or
 * an unreadable result 500 `{"message":"Internal Server Error"}` (HTTP APIs answer 500 where REST APIs answer
 * 502); 413 and 429 as the other fronts. Requests are not authenticated; CORS configuration is not applied.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvokeHeader } from '../../protocol/index.js';
import { collectInvocation } from '../invocation.js';
import { newTraceId } from '../invoke-request.js';
import { functionUrlResponse, restProxyResponse } from './buffered-response.js';
import type { HeaderList } from './cors.js';
import { apiGatewayRequestId, type FrontContext, frontLog, startFrontInvocation } from './front-context.js';
import {
  HTTP_API_INTERNAL_ERROR,
  HTTP_API_NOT_FOUND,
  HTTP_API_THROTTLED,
  HTTP_API_TOO_LARGE,
  sendFrontError,
} from './front-errors.js';
import { buildHttpApiEvent, buildHttpApiV1Event } from './http-api-event.js';
import { type HttpApi, matchHttpRoute, stageRoutePath } from './http-api-routes.js';
import { declaredLengthExceeds, readRequestBody, snapshotRequest } from './request.js';
import { writeHead } from './response-head.js';

/**
 * The path prefix of HTTP APIs on the emulator's own host.
 *
 * @example
 * const url = `${emulator.url}${HTTP_API_PATH_PREFIX}serverlesshttpapi/items/1`;
 */
export const HTTP_API_PATH_PREFIX = '/http-api/';

/**
 * A request routed to an HTTP API.
 *
 * @example
 * const target: HttpApiTarget = { api, rawPath: '/items/1', rawQuery: '' };
 */
export interface HttpApiTarget {
  /** Undefined when the host or path named an API that does not exist. */
  api: HttpApi | undefined;
  /** The path as the API sees it (stage included), the `/http-api/<id>` prefix removed. */
  rawPath: string;
  rawQuery: string;
}

/** HTTP APIs answer with `apigw-requestid` (their request id), not REST's `x-amz-apigw-id`. */
const REQUEST_ID_HEADER = 'Apigw-Requestid';

/**
 * Serves one HTTP API request.
 *
 * @example
 * await handleHttpApi(context, req, res, { api, rawPath: '/items/1', rawQuery: '' }, randomUUID());
 */
export async function handleHttpApi(
  context: FrontContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: HttpApiTarget,
  requestId: string,
): Promise<void> {
  const apigwId = apiGatewayRequestId();
  const errorHeaders: HeaderList = [[REQUEST_ID_HEADER, apigwId]];
  const api = target.api;
  const routePath = api ? stageRoutePath(api, target.rawPath) : undefined;
  const match =
    api && routePath !== undefined
      ? matchHttpRoute(api, req.method ?? 'GET', routePath)
      : { kind: 'no-route' as const };
  if (!api || match.kind !== 'route') {
    req.resume();
    sendFrontError(res, HTTP_API_NOT_FOUND, requestId, errorHeaders);
    return;
  }
  const { route, pathParameters } = match;
  const entry = context.lookup(route.function);
  const log = frontLog(context, route.function, requestId);
  if (!entry) {
    req.resume();
    log(`route ${route.routeKey} names no function; answering 500.`);
    sendFrontError(res, HTTP_API_INTERNAL_ERROR, requestId, errorHeaders);
    return;
  }
  const limit = context.limits.requestBytes;
  if (declaredLengthExceeds(req, limit)) {
    req.resume();
    log(`the request body is over ${limit} bytes; answering 413.`);
    sendFrontError(res, HTTP_API_TOO_LARGE, requestId, errorHeaders);
    return;
  }
  const read = await readRequestBody(req, limit);
  if (!read.ok) {
    if (read.reason === 'too-large') sendFrontError(res, HTTP_API_TOO_LARGE, requestId, errorHeaders);
    return;
  }
  const traceId = (req.headers['x-amzn-trace-id'] as string | undefined) ?? newTraceId();
  const request = snapshotRequest(req, read.body, target.rawPath, target.rawQuery);
  const v2 = route.payloadFormatVersion === '2.0';
  const common = {
    apiId: api.id,
    stage: api.stage,
    pathParameters,
    requestId: apigwId,
    accountId: context.accountId,
    traceId,
  };
  const event = v2
    ? buildHttpApiEvent(request, { ...common, routeKey: route.routeKey })
    : buildHttpApiV1Event(request, { ...common, resource: route.path });
  // The Lambda request id differs from API Gateway's, as on AWS. HTTP APIs invoke with Invoke: never streamed.
  const invocation = startFrontInvocation(context, entry, res, {
    event,
    requestId,
    invocationRequestId: randomUUID(),
    traceId,
    streaming: false,
    tooLarge: HTTP_API_TOO_LARGE,
    throttled: HTTP_API_THROTTLED,
    errorHeaders,
    log,
  });
  if (!invocation) return;
  const invocationLog = frontLog(context, route.function, invocation.requestId);

  const { output, result } = await collectInvocation(invocation);
  if (res.destroyed) return;
  if (result.error) {
    invocationLog(`the function failed (${result.error.errorType}); answering 500.`);
    sendFrontError(res, HTTP_API_INTERNAL_ERROR, requestId, errorHeaders);
    return;
  }
  // Format 2.0 results are read with the function URL BUFFERED rules (the developer guide's "API Gateway can
  // infer the response format"); format 1.0 results must be proxy responses.
  const readResult = v2 ? functionUrlResponse : restProxyResponse;
  const response = readResult(output, invocation.responseContentType, invocation.responseStreaming);
  if (!response.ok) {
    invocationLog(`the function's result is not an HTTP response: ${response.reason}; answering 500.`);
    sendFrontError(res, HTTP_API_INTERNAL_ERROR, requestId, errorHeaders);
    return;
  }
  writeHead(res, response.status, [
    ...response.headers,
    [REQUEST_ID_HEADER, apigwId],
    [InvokeHeader.traceId, traceId],
    ['Content-Length', String(response.body.byteLength)],
  ]);
  res.end(response.body);
}
