/**
 * API Gateway REST APIs with Lambda proxy integrations, served at `http://127.0.0.1:<port>/<stage>/<path>`
 * and `http://<apiId>.execute-api.localhost:<port>/<stage>/<path>`. A streaming route
 * (`responseTransferMode: STREAM`) invokes the function as InvokeWithResponseStream does and takes the status
 * and headers from its prelude, which must arrive within the first 16 KB (else 500); the body then streams as
 * it is written. A buffered route behaves as a proxy integration: the function's
 * `{statusCode, headers, multiValueHeaders, body, isBase64Encoded}` becomes the response, and an error or a
 * malformed result is 502. Unknown paths and methods get API Gateway's 403 "Missing Authentication Token".
 * Requests are not authenticated (IAM-authorised APIs would need SigV4 for `execute-api`; signatures are
 * accepted and ignored).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvokeHeader } from '../../protocol/index.js';
import { collectInvocation } from '../invocation.js';
import { newTraceId } from '../invoke-request.js';
import { restProxyResponse } from './buffered-response.js';
import type { HeaderList } from './cors.js';
import { apiGatewayRequestId, type FrontContext, frontLog, startFrontInvocation } from './front-context.js';
import {
  REST_BAD_GATEWAY,
  REST_INTERNAL_ERROR,
  REST_MISSING_TOKEN,
  REST_THROTTLED,
  REST_TOO_LARGE,
  sendFrontError,
} from './front-errors.js';
import { declaredLengthExceeds, readRequestBody, snapshotRequest } from './request.js';
import { writeHead } from './response-head.js';
import { buildRestApiEvent } from './rest-event.js';
import { matchRestRoute, type RestApi } from './rest-routes.js';
import { streamResponse } from './stream-response.js';

/**
 * A request routed to a REST API.
 *
 * @example
 * const target: RestApiTarget = { api, rawPath: '/stream', rawQuery: '' };
 */
export interface RestApiTarget {
  /** Undefined when the host named an API that does not exist, or the stage is wrong. */
  api: RestApi | undefined;
  /** The path below the stage. */
  rawPath: string;
  rawQuery: string;
}

/**
 * Serves one REST API request.
 *
 * @example
 * await handleRestApi(context, req, res, { api, rawPath: '/stream', rawQuery: '' }, randomUUID());
 */
export async function handleRestApi(
  context: FrontContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: RestApiTarget,
  requestId: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  const match = target.api
    ? matchRestRoute(target.api, method, target.rawPath)
    : { kind: 'no-route' as const };
  if (!target.api || match.kind !== 'route') {
    req.resume();
    sendFrontError(res, REST_MISSING_TOKEN, requestId);
    return;
  }
  const api = target.api;
  const { route, pathParameters } = match;
  const entry = context.lookup(route.function);
  const log = frontLog(context, route.function, requestId);
  if (!entry) {
    req.resume();
    log(`route ${route.method} ${route.path} names no function; answering 502.`);
    sendFrontError(res, REST_BAD_GATEWAY, requestId);
    return;
  }
  const limit = context.limits.requestBytes;
  if (declaredLengthExceeds(req, limit)) {
    req.resume();
    log(`the request body is over ${limit} bytes; answering 413.`);
    sendFrontError(res, REST_TOO_LARGE, requestId);
    return;
  }
  const read = await readRequestBody(req, limit);
  if (!read.ok) {
    if (read.reason === 'too-large') sendFrontError(res, REST_TOO_LARGE, requestId);
    return;
  }
  const traceId = (req.headers['x-amzn-trace-id'] as string | undefined) ?? newTraceId();
  const apigwId = apiGatewayRequestId();
  const event = buildRestApiEvent(snapshotRequest(req, read.body, target.rawPath, target.rawQuery), {
    apiId: api.id,
    stage: api.stage,
    resource: route.path,
    resourceId: route.resourceId,
    pathParameters,
    requestId,
    extendedRequestId: apigwId,
    accountId: context.accountId,
    traceId,
    binaryMediaTypes: api.binaryMediaTypes,
  });
  // The Lambda request id differs from API Gateway's, as on AWS.
  const invocation = startFrontInvocation(context, entry, res, {
    event,
    requestId,
    invocationRequestId: randomUUID(),
    traceId,
    streaming: route.streaming,
    tooLarge: REST_TOO_LARGE,
    throttled: REST_THROTTLED,
    log,
  });
  if (!invocation) return;
  const invocationLog = frontLog(context, route.function, invocation.requestId);
  const baseHeaders: HeaderList = [
    [InvokeHeader.requestId, requestId],
    ['x-amz-apigw-id', apigwId],
    [InvokeHeader.traceId, traceId],
  ];

  if (route.streaming) {
    await streamResponse({
      res,
      invocation,
      front: 'rest',
      baseHeaders,
      bandwidth: context.bandwidth,
      midStreamError: context.midStreamError,
      log: invocationLog,
      failBeforeHead: (failure) =>
        sendFrontError(
          res,
          failure.kind === 'invalid-prelude' ? REST_INTERNAL_ERROR : REST_BAD_GATEWAY,
          requestId,
        ),
    });
    return;
  }

  const { output, result } = await collectInvocation(invocation);
  if (res.destroyed) return;
  if (result.error) {
    invocationLog(`the function failed (${result.error.errorType}); answering 502.`);
    sendFrontError(res, REST_BAD_GATEWAY, requestId);
    return;
  }
  const response = restProxyResponse(output, invocation.responseContentType, invocation.responseStreaming);
  if (!response.ok) {
    invocationLog(`${response.reason}; answering 502.`);
    sendFrontError(res, REST_BAD_GATEWAY, requestId);
    return;
  }
  writeHead(res, response.status, [
    ...response.headers,
    ...baseHeaders,
    ['Content-Length', String(response.body.byteLength)],
  ]);
  res.end(response.body);
}
