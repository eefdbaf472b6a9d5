/**
 * The error responses of the HTTP fronts, with the status codes and bodies AWS sends (http-fronts.md §1.3,
 * §1.5, §1.6, §2.3). Function URLs answer with Lambda's `{"Message": …}` bodies and `x-amzn-ErrorType`;
 * REST APIs with API Gateway's `{"message": …}`; HTTP APIs with their own `{"message": …}` texts and no
 * `x-amzn-ErrorType`.
 */
import type { ServerResponse } from 'node:http';
import { InvokeHeader, MAX_SYNC_REQUEST_BYTES } from '../../protocol/index.js';
import type { HeaderList } from './cors.js';

/**
 * One error response.
 *
 * @example
 * sendFrontError(res, FUNCTION_URL_FORBIDDEN, requestId);
 */
export interface FrontError {
  status: number;
  /** `x-amzn-ErrorType`, when AWS sends one. */
  type?: string;
  contentType: string;
  body: string;
}

/**
 * 403 for a request an `AWS_IAM` URL refuses (unsigned, wrongly signed, expired), recorded against AWS.
 *
 * @example
 * sendFrontError(res, FUNCTION_URL_FORBIDDEN, requestId);
 */
export const FUNCTION_URL_FORBIDDEN: Readonly<FrontError> = Object.freeze({
  status: 403,
  type: 'AccessDeniedException',
  contentType: 'application/json',
  body: JSON.stringify({
    Message:
      'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html',
  }),
});

/**
 * 403 for a URL that does not exist (no such function, or a function without a URL), recorded against AWS.
 *
 * @example
 * sendFrontError(res, FUNCTION_URL_NOT_FOUND, requestId);
 */
export const FUNCTION_URL_NOT_FOUND: Readonly<FrontError> = Object.freeze({
  status: 403,
  type: 'AccessDeniedException',
  contentType: 'application/json',
  body: JSON.stringify({ Message: null }),
});

/**
 * 502 for a function error or timeout before the response head, or a result the URL cannot read.
 *
 * @example
 * sendFrontError(res, FUNCTION_URL_BAD_GATEWAY, requestId);
 */
export const FUNCTION_URL_BAD_GATEWAY: Readonly<FrontError> = Object.freeze({
  status: 502,
  contentType: 'text/plain; charset=utf-8',
  body: 'Internal Server Error',
});

/**
 * 413 for a request body over the invoke payload limit (`Request must be smaller than 6291456 bytes …`).
 *
 * @example
 * sendFrontError(res, functionUrlTooLarge(6291456), requestId);
 */
export function functionUrlTooLarge(limit: number = MAX_SYNC_REQUEST_BYTES): FrontError {
  return {
    status: 413,
    type: 'RequestEntityTooLargeException',
    contentType: 'application/json',
    body: JSON.stringify({
      Message: `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
    }),
  };
}

/**
 * 429 when the function's reserved concurrency is in use.
 *
 * @example
 * sendFrontError(res, FUNCTION_URL_THROTTLED, requestId);
 */
export const FUNCTION_URL_THROTTLED: Readonly<FrontError> = Object.freeze({
  status: 429,
  type: 'TooManyRequestsException',
  contentType: 'application/json',
  body: JSON.stringify({ Message: 'Rate Exceeded.' }),
});

/**
 * API Gateway's answer for a path or method no route serves.
 *
 * @example
 * sendFrontError(res, REST_MISSING_TOKEN, requestId);
 */
export const REST_MISSING_TOKEN: Readonly<FrontError> = Object.freeze({
  status: 403,
  type: 'MissingAuthenticationTokenException',
  contentType: 'application/json',
  body: JSON.stringify({ message: 'Missing Authentication Token' }),
});

/**
 * API Gateway's 502 for a Lambda error or a malformed proxy response.
 *
 * @example
 * sendFrontError(res, REST_BAD_GATEWAY, requestId);
 */
export const REST_BAD_GATEWAY: Readonly<FrontError> = Object.freeze({
  status: 502,
  type: 'InternalServerErrorException',
  contentType: 'application/json',
  body: JSON.stringify({ message: 'Internal server error' }),
});

/**
 * API Gateway's 500 for a streamed response without valid metadata and delimiter within the first 16 KB.
 *
 * @example
 * sendFrontError(res, REST_INTERNAL_ERROR, requestId);
 */
export const REST_INTERNAL_ERROR: Readonly<FrontError> = Object.freeze({
  status: 500,
  type: 'InternalServerErrorException',
  contentType: 'application/json',
  body: JSON.stringify({ message: 'Internal server error' }),
});

/**
 * API Gateway's 413 for a request body over the payload limit.
 *
 * @example
 * sendFrontError(res, REST_TOO_LARGE, requestId);
 */
export const REST_TOO_LARGE: Readonly<FrontError> = Object.freeze({
  status: 413,
  type: 'RequestTooLongException',
  contentType: 'application/json',
  body: JSON.stringify({ message: 'Request Too Long' }),
});

/**
 * API Gateway's 429 when the integration is throttled.
 *
 * @example
 * sendFrontError(res, REST_THROTTLED, requestId);
 */
export const REST_THROTTLED: Readonly<FrontError> = Object.freeze({
  status: 429,
  type: 'TooManyRequestsException',
  contentType: 'application/json',
  body: JSON.stringify({ message: 'Too Many Requests' }),
});

/**
 * An HTTP API's answer when no route (and no `$default` route) matches, or the stage is not the API's: "If no
 * routes match a request, API Gateway returns `{"message":"Not Found"}`" (API Gateway developer guide,
 * "Routing API requests").
 *
 * @example
 * sendFrontError(res, HTTP_API_NOT_FOUND, requestId);
 */
export const HTTP_API_NOT_FOUND: Readonly<FrontError> = Object.freeze({
  status: 404,
  contentType: 'application/json',
  body: JSON.stringify({ message: 'Not Found' }),
});

/**
 * An HTTP API's answer when the Lambda integration fails: a function error or timeout, or a result the payload
 * format cannot read. HTTP APIs answer 500 with this body (REST APIs answer 502 `Internal server error`, function
 * URLs 502 `Internal Server Error` in plain text); http-fronts.md does not record it, so this follows API
 * Gateway's documented HTTP API error body.
 *
 * @example
 * sendFrontError(res, HTTP_API_INTERNAL_ERROR, requestId);
 */
export const HTTP_API_INTERNAL_ERROR: Readonly<FrontError> = Object.freeze({
  status: 500,
  contentType: 'application/json',
  body: JSON.stringify({ message: 'Internal Server Error' }),
});

/**
 * An HTTP API's 413 for a request (or the event it makes) over the invoke payload limit.
 *
 * @example
 * sendFrontError(res, HTTP_API_TOO_LARGE, requestId);
 */
export const HTTP_API_TOO_LARGE: Readonly<FrontError> = Object.freeze({
  status: 413,
  contentType: 'application/json',
  body: JSON.stringify({ message: 'Request Entity Too Large' }),
});

/**
 * An HTTP API's 429 when the function's reserved concurrency is in use.
 *
 * @example
 * sendFrontError(res, HTTP_API_THROTTLED, requestId);
 */
export const HTTP_API_THROTTLED: Readonly<FrontError> = Object.freeze({
  status: 429,
  contentType: 'application/json',
  body: JSON.stringify({ message: 'Too Many Requests' }),
});

/**
 * Sends an error response with `x-amzn-RequestId` (and any extra headers, e.g. CORS); does nothing when the
 * head was already sent or the client is gone.
 *
 * @example
 * sendFrontError(res, FUNCTION_URL_FORBIDDEN, requestId, [['Access-Control-Allow-Origin', '*']]);
 */
export function sendFrontError(
  res: ServerResponse,
  error: FrontError,
  requestId: string,
  extra: HeaderList = [],
): void {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(error.body);
  res.setHeader('Content-Type', error.contentType);
  res.setHeader('Content-Length', body.byteLength);
  res.setHeader(InvokeHeader.requestId, requestId);
  if (error.type) res.setHeader(InvokeHeader.errorType, error.type);
  for (const [name, value] of extra) res.appendHeader(name, value);
  res.writeHead(error.status);
  res.end(body);
}
