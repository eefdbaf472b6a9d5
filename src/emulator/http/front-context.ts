/**
 * What the HTTP fronts need from the emulator, and the pieces they share: finding a function by the name a
 * host or path gave, creating an invocation, and logging on behalf of a function.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ApiContext, FunctionEntry } from '../api-context.js';
import { functionArn } from '../function-name.js';
import { Invocation } from '../invocation.js';
import { safeLog } from '../logger.js';
import type { HeaderList } from './cors.js';
import type { SigV4Credentials } from './credentials.js';
import { type FrontError, sendFrontError } from './front-errors.js';
import type { FrontRouting } from './fronts.js';
import type { IamAuthorizer } from './url-event.js';

/**
 * The emulator as the fronts see it.
 *
 * @example
 * const context: FrontContext = { ...apiContext, credentials, clockSkewMs: 300_000, apis, invokeEndpoint: '/invoke', defaultFunction: 'stream', midStreamError: 'abort', functionNames: ['stream'] };
 */
export interface FrontContext extends ApiContext, FrontRouting {
  /** Key pairs an `AWS_IAM` function URL accepts. */
  credentials: readonly SigV4Credentials[];
  /** How far a signature's `x-amz-date` may be from now. */
  clockSkewMs: number;
  /** The function the local invoke endpoint runs. */
  defaultFunction: string | undefined;
  /** After a streamed head: cut the connection (`abort`) or end the body (`end`) when the function fails. */
  midStreamError: 'abort' | 'end';
  /** Every function's name, for case-insensitive host lookups. */
  functionNames: readonly string[];
}

/**
 * Finds a function by the name a host label or path segment gave: exactly, else case-insensitively (host
 * names reach the server lower-cased from browsers).
 *
 * @example
 * findFunction(context, 'mystream'); // the entry of 'MyStream'
 */
export function findFunction(context: FrontContext, name: string): FunctionEntry | undefined {
  const exact = context.lookup(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  const matches = context.functionNames.filter((candidate) => candidate.toLowerCase() === lower);
  return matches.length === 1 ? context.lookup(matches[0]!) : undefined;
}

/**
 * A new invocation of a function with an event the front built.
 *
 * @example
 * const invocation = frontInvocation(context, entry, { requestId, payload, traceId, responseLimit: context.limits.streamedResponseBytes });
 */
export function frontInvocation(
  context: FrontContext,
  entry: FunctionEntry,
  init: { requestId: string; payload: Buffer; traceId: string; responseLimit: number },
): Invocation {
  return new Invocation({
    requestId: init.requestId,
    payload: init.payload,
    invokedFunctionArn: functionArn(context.region, context.accountId, entry.config.name),
    traceId: init.traceId,
    responseLimit: init.responseLimit,
    logTail: false,
  });
}

/**
 * Starts an invocation the way every front does before the function runs: the event must fit the invoke
 * limit (else `tooLarge`) and the function must have a free concurrency slot (else `throttled`); refusals are
 * answered and logged here. Returns the running invocation, or undefined when refused.
 *
 * @example
 * const invocation = startFrontInvocation(context, entry, res, { event, requestId, traceId, streaming: true, tooLarge, throttled, log });
 * if (!invocation) return;
 */
export function startFrontInvocation(
  context: FrontContext,
  entry: FunctionEntry,
  res: ServerResponse,
  options: {
    event: unknown;
    /** The id error responses carry (the front's own: API Gateway's differs from Lambda's). */
    requestId: string;
    /** Lambda's request id; default `requestId`. */
    invocationRequestId?: string;
    traceId: string;
    /** Streamed responses may reach 200 MB; buffered ones 6 MB. */
    streaming: boolean;
    tooLarge: FrontError;
    throttled: FrontError;
    errorHeaders?: HeaderList;
    log: (message: string) => void;
  },
): Invocation | undefined {
  const { requestId, log } = options;
  const payload = Buffer.from(JSON.stringify(options.event));
  const limit = context.limits.requestBytes;
  if (payload.byteLength > limit) {
    // Binary bodies are base64-encoded in the event, so the limit is reached before 6 MB of raw body.
    log(`the event (${payload.byteLength} bytes) is over the ${limit}-byte invoke limit; answering 413.`);
    sendFrontError(res, options.tooLarge, requestId, options.errorHeaders);
    return undefined;
  }
  const lease = entry.pool.tryAcquire();
  if (!lease) {
    log(
      `the function's reserved concurrency (${entry.config.reservedConcurrency}) is in use; answering 429.`,
    );
    sendFrontError(res, options.throttled, requestId, options.errorHeaders);
    return undefined;
  }
  const invocation = frontInvocation(context, entry, {
    requestId: options.invocationRequestId ?? requestId,
    payload,
    traceId: options.traceId,
    responseLimit: options.streaming
      ? context.limits.streamedResponseBytes
      : context.limits.bufferedResponseBytes,
  });
  void lease.run(invocation);
  return invocation;
}

/**
 * The `authorizer.iam` of a caller who signed with these credentials. IAM user ids are `AIDA` and 17
 * characters; the emulator derives a stable one from the access key.
 *
 * @example
 * iamAuthorizer({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: '…' }, '123456789012').userArn;
 * // 'arn:aws:iam::123456789012:user/sluice'
 */
export function iamAuthorizer(credentials: SigV4Credentials, accountId: string): IamAuthorizer {
  const id = `AIDA${createHash('sha256').update(credentials.accessKeyId).digest('hex').toUpperCase().slice(0, 17)}`;
  return {
    accessKey: credentials.accessKeyId,
    accountId,
    callerId: id,
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: credentials.userArn ?? `arn:aws:iam::${accountId}:user/sluice`,
    userId: id,
  };
}

/**
 * A logger bound to one function and request.
 *
 * @example
 * const log = frontLog(context, 'stream', requestId);
 * log('the client disconnected');
 */
export function frontLog(context: FrontContext, functionName: string, requestId: string | undefined) {
  return (message: string): void =>
    safeLog(context.logger, { functionName, requestId, source: 'emulator', message });
}

/**
 * An API Gateway request id (`x-amz-apigw-id` and `extendedRequestId` of REST APIs, `apigw-requestid` and
 * `requestContext.requestId` of HTTP APIs): a short base64 id ending in `=`, such as `LV7fzho-PHcEJPw=`.
 *
 * @example
 * apiGatewayRequestId(); // 'Fa2bVGx3oAMEbLw='
 */
export function apiGatewayRequestId(): string {
  return `${randomBytes(10).toString('base64').replace(/[+/=]/g, 'A').slice(0, 14)}=`;
}
