/**
 * Lambda function URLs, served locally at `http://<FunctionName>.lambda-url.localhost:<port>/…` and
 * `http://127.0.0.1:<port>/lambda-url/<FunctionName>/…`. Checks run in this order: the URL exists (403
 * `{"Message":null}` otherwise, as for an unknown url-id), a CORS preflight is answered by the front, the body
 * fits the invoke payload limit (413), `AWS_IAM` requests carry a valid SigV4 signature for service `lambda`
 * (403), the event fits the limit too (binary bodies grow by a third in base64), and the function has capacity
 * (429). Then the function runs with the payload 2.0 event: RESPONSE_STREAM streams its output as it is
 * written, BUFFERED answers once it has finished.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvokeHeader } from '../../protocol/index.js';
import { collectInvocation } from '../invocation.js';
import { newTraceId } from '../invoke-request.js';
import { functionUrlResponse } from './buffered-response.js';
import { applyCors, type HeaderList, isPreflight, preflightHeaders } from './cors.js';
import {
  type FrontContext,
  findFunction,
  frontLog,
  iamAuthorizer,
  startFrontInvocation,
} from './front-context.js';
import {
  FUNCTION_URL_BAD_GATEWAY,
  FUNCTION_URL_FORBIDDEN,
  FUNCTION_URL_NOT_FOUND,
  FUNCTION_URL_THROTTLED,
  functionUrlTooLarge,
  sendFrontError,
} from './front-errors.js';
import { declaredLengthExceeds, readRequestBody, snapshotRequest } from './request.js';
import { writeHead } from './response-head.js';
import { verifySigV4 } from './sigv4-verifier.js';
import { streamResponse } from './stream-response.js';
import { buildFunctionUrlEvent, type IamAuthorizer } from './url-event.js';

/**
 * The request a function URL serves, as routing found it.
 *
 * @example
 * const target: FunctionUrlTarget = { functionName: 'stream', rawPath: '/', rawQuery: '', signedPath: '/lambda-url/stream/' };
 */
export interface FunctionUrlTarget {
  functionName: string;
  /** The path the function sees (`rawPath`), the `/lambda-url/<name>` prefix removed. */
  rawPath: string;
  rawQuery: string;
  /** The path as sent, which a SigV4 signature covers. */
  signedPath: string;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Serves one function URL request.
 *
 * @example
 * await handleFunctionUrl(context, req, res, { functionName: 'stream', rawPath: '/', rawQuery: '', signedPath: '/' }, randomUUID());
 */
export async function handleFunctionUrl(
  context: FrontContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: FunctionUrlTarget,
  requestId: string,
): Promise<void> {
  const entry = findFunction(context, target.functionName);
  const url = entry?.config.url;
  if (!entry || !url) {
    frontLog(
      context,
      target.functionName,
      requestId,
    )(
      `no function URL named ${JSON.stringify(target.functionName)}: ${entry ? 'the function has no url configuration' : 'no such function'}; answering 403 as AWS does for an unknown URL.`,
    );
    req.resume();
    sendFrontError(res, FUNCTION_URL_NOT_FOUND, requestId);
    return;
  }
  const name = entry.config.name;
  const log = frontLog(context, name, requestId);
  const origin = header(req, 'origin');
  const cors = url.cors;
  const errorHeaders: HeaderList = cors ? applyCors(cors, origin, []) : [];

  if (cors && isPreflight(req.method ?? 'GET', req.headers)) {
    req.resume();
    const headers = preflightHeaders(
      cors,
      origin,
      header(req, 'access-control-request-method'),
      header(req, 'access-control-request-headers'),
    );
    writeHead(res, 200, [...headers, [InvokeHeader.requestId, requestId], ['Content-Length', '0']]);
    res.end();
    return;
  }

  const limit = context.limits.requestBytes;
  if (declaredLengthExceeds(req, limit)) {
    log(`the request body is over ${limit} bytes; answering 413.`);
    req.resume();
    sendFrontError(res, functionUrlTooLarge(limit), requestId, errorHeaders);
    return;
  }
  const read = await readRequestBody(req, limit);
  if (!read.ok) {
    if (read.reason === 'too-large') {
      log(`the request body is over ${limit} bytes; answering 413.`);
      sendFrontError(res, functionUrlTooLarge(limit), requestId, errorHeaders);
    }
    return;
  }
  const body = read.body;

  let iam: IamAuthorizer | undefined;
  if (url.authType === 'AWS_IAM') {
    const verification = await verifySigV4(
      {
        method: req.method ?? 'GET',
        rawPath: target.signedPath,
        rawQuery: target.rawQuery,
        rawHeaders: req.rawHeaders,
        body,
      },
      {
        credentials: context.credentials,
        service: 'lambda',
        region: context.region,
        clockSkewMs: context.clockSkewMs,
      },
    );
    if (!verification.ok) {
      log(`AWS_IAM: request refused with 403 (${verification.reason}): ${verification.message}`);
      sendFrontError(res, FUNCTION_URL_FORBIDDEN, requestId, errorHeaders);
      return;
    }
    iam = iamAuthorizer(verification.credentials, context.accountId);
  }

  const traceId = header(req, InvokeHeader.traceId.toLowerCase()) ?? newTraceId();
  const event = buildFunctionUrlEvent(snapshotRequest(req, body, target.rawPath, target.rawQuery), {
    requestId,
    apiId: target.functionName,
    domainName: `${target.functionName}.lambda-url.localhost`,
    traceId,
    accountId: iam ? iam.accountId : 'anonymous',
    ...(iam ? { iam } : {}),
  });
  const streaming = url.invokeMode === 'RESPONSE_STREAM';
  const invocation = startFrontInvocation(context, entry, res, {
    event,
    requestId,
    traceId,
    streaming,
    tooLarge: functionUrlTooLarge(limit),
    throttled: FUNCTION_URL_THROTTLED,
    errorHeaders,
    log,
  });
  if (!invocation) return;
  const baseHeaders: HeaderList = [
    [InvokeHeader.requestId, requestId],
    [InvokeHeader.traceId, traceId],
  ];
  const decorate = cors ? (headers: HeaderList) => applyCors(cors, origin, headers) : undefined;

  if (streaming) {
    await streamResponse({
      res,
      invocation,
      front: 'url',
      baseHeaders,
      ...(decorate ? { decorate } : {}),
      bandwidth: context.bandwidth,
      midStreamError: context.midStreamError,
      log,
      failBeforeHead: () => sendFrontError(res, FUNCTION_URL_BAD_GATEWAY, requestId, errorHeaders),
    });
    return;
  }

  // BUFFERED: Lambda invokes with Invoke and answers once the payload is complete (bounded by the 6 MB limit).
  const { output, result } = await collectInvocation(invocation);
  if (res.destroyed) return;
  if (result.error) {
    log(`the function failed (${result.error.errorType}); answering 502.`);
    sendFrontError(res, FUNCTION_URL_BAD_GATEWAY, requestId, errorHeaders);
    return;
  }
  const response = functionUrlResponse(output, invocation.responseContentType, invocation.responseStreaming);
  if (!response.ok) {
    log(`the function's result is not an HTTP response: ${response.reason}; answering 502.`);
    sendFrontError(res, FUNCTION_URL_BAD_GATEWAY, requestId, errorHeaders);
    return;
  }
  const headers: HeaderList = [
    ...response.headers,
    ...baseHeaders,
    ['Content-Length', String(response.body.byteLength)],
  ];
  writeHead(res, response.status, decorate ? decorate(headers) : headers);
  res.end(response.body);
}
