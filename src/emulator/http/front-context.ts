/**
 * What the HTTP fronts need from the emulator, and the pieces they share: finding a function by the name a
 * host or path gave, creating an invocation, and logging on behalf of a function.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiContext, FunctionEntry } from '../api-context.js';
import { functionArn } from '../function-name.js';
import { Invocation } from '../invocation.js';
import { safeLog } from '../logger.js';
import type { SigV4Credentials } from './credentials.js';
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
