/**
 * Lambda's API errors in restJson1 form, as the AWS SDKs parse them (invoke-api.md §4): a non-2xx status,
 * `Content-Type: application/json`, the error code in `X-Amzn-ErrorType`, and a JSON body with `Type`
 * (`User` for client faults, `Service` for server faults) and the message under `message` or `Message`,
 * whichever key the service model gives that error.
 */
import type { ServerResponse } from 'node:http';
import { InvokeHeader, MAX_SYNC_REQUEST_BYTES } from '../protocol/index.js';

/**
 * One API error response.
 *
 * @example
 * sendAwsError(res, requestId, resourceNotFound('arn:aws:lambda:us-east-1:123456789012:function:nope:$LATEST'));
 */
export interface AwsApiError {
  status: number;
  /** `X-Amzn-ErrorType`, the code the SDKs surface as the error's `name`. */
  type: string;
  message: string;
  /** The body key the model uses for this error's message. */
  messageKey: 'message' | 'Message';
  fault: 'User' | 'Service';
  /** Extra members of the body, e.g. `Reason` of TooManyRequestsException. */
  extra?: Record<string, string>;
}

/**
 * Writes an API error. The SDK resolves the code from `X-Amzn-ErrorType` first, then the body.
 *
 * @example
 * sendAwsError(res, randomUUID(), invalidRequestContent('Could not parse request body into json'));
 */
export function sendAwsError(res: ServerResponse, requestId: string, error: AwsApiError): void {
  const body = JSON.stringify({ Type: error.fault, [error.messageKey]: error.message, ...error.extra });
  res.writeHead(error.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    [InvokeHeader.requestId]: requestId,
    [InvokeHeader.errorType]: error.type,
  });
  res.end(body);
}

/**
 * 404, as recorded against real Lambda: `Function not found: <qualified ARN>`.
 *
 * @example
 * resourceNotFound('arn:aws:lambda:us-east-1:123456789012:function:nope:$LATEST');
 */
export function resourceNotFound(functionArn: string): AwsApiError {
  return {
    status: 404,
    type: 'ResourceNotFoundException',
    message: `Function not found: ${functionArn}`,
    messageKey: 'Message',
    fault: 'User',
  };
}

/**
 * 413 for an invoke payload over the limit. Lambda sends this type (not the modelled RequestTooLargeException)
 * with this message (invoke-api.md §4).
 *
 * @example
 * requestEntityTooLarge(); // "Request must be smaller than 6291456 bytes for the InvokeFunction operation"
 */
export function requestEntityTooLarge(limit: number = MAX_SYNC_REQUEST_BYTES): AwsApiError {
  return {
    status: 413,
    type: 'RequestEntityTooLargeException',
    message: `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
    messageKey: 'Message',
    fault: 'User',
  };
}

/**
 * 429 when the function's reserved concurrency is in use; `Reason` as documented for Invoke.
 *
 * @example
 * tooManyRequests(); // { Type: 'User', message: 'Rate Exceeded.', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' }
 */
export function tooManyRequests(
  reason = 'ReservedFunctionConcurrentInvocationLimitExceeded',
  message = 'Rate Exceeded.',
): AwsApiError {
  return {
    status: 429,
    type: 'TooManyRequestsException',
    message,
    messageKey: 'message',
    fault: 'User',
    extra: { Reason: reason },
  };
}

/**
 * 400 for a payload that is not JSON (Lambda: "Could not parse request body into json: …").
 *
 * @example
 * invalidRequestContent('Could not parse request body into json: Could not parse payload into json: Unexpected token');
 */
export function invalidRequestContent(message: string): AwsApiError {
  return {
    status: 400,
    type: 'InvalidRequestContentException',
    message,
    messageKey: 'message',
    fault: 'User',
  };
}

/**
 * 400 for a parameter Lambda rejects after parsing (e.g. a qualifier conflict).
 *
 * @example
 * invalidParameterValue('The derived qualifier from the function name does not match the specified qualifier.');
 */
export function invalidParameterValue(message: string): AwsApiError {
  return {
    status: 400,
    type: 'InvalidParameterValueException',
    message,
    messageKey: 'message',
    fault: 'User',
  };
}

/**
 * 400 for a request that fails the model's constraints (AWS's generic "1 validation error detected" form).
 *
 * @example
 * validationError('functionName', 'bad name', 'Member must satisfy regular expression pattern: …');
 */
export function validationError(member: string, value: string, constraint: string): AwsApiError {
  return {
    status: 400,
    type: 'ValidationException',
    message: `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
    messageKey: 'message',
    fault: 'User',
  };
}

/**
 * 404 for a path no Lambda operation serves.
 *
 * @example
 * unknownOperation('GET', '/nope');
 */
export function unknownOperation(method: string, path: string): AwsApiError {
  return {
    status: 404,
    type: 'UnknownOperationException',
    message: `sluice's emulator serves Invoke, InvokeWithResponseStream, ListFunctions, GetFunction, GetFunctionConfiguration and GetFunctionUrlConfig; ${method} ${path} is not one of them.`,
    messageKey: 'message',
    fault: 'User',
  };
}

/**
 * 500, Lambda's generic server fault.
 *
 * @example
 * serviceException('The emulator is shutting down.');
 */
export function serviceException(message: string): AwsApiError {
  return { status: 500, type: 'ServiceException', message, messageKey: 'Message', fault: 'Service' };
}
