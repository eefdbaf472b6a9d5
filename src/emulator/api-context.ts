/**
 * What both invoke APIs need from the emulator, the checks they share before a function runs, and the
 * invocation they then create. Checks run in the order Lambda applies them: the name and headers (400), the
 * declared payload size (413), the function (404), the payload itself (413, then 400 if it is not JSON).
 * Whatever fails is answered with Lambda's API error before any response byte.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvocationType } from '../protocol/index.js';
import { requestEntityTooLarge, resourceNotFound, sendAwsError } from './aws-errors.js';
import type { BandwidthOptions } from './bandwidth.js';
import type { BuiltCode } from './code-builder.js';
import type { EnvironmentPool } from './environment-pool.js';
import type { FunctionConfig } from './function-config.js';
import { functionArn, type InvokeApi, isLatest, resolveInvokeTarget } from './function-name.js';
import { Invocation } from './invocation.js';
import {
  checkJsonPayload,
  declaredTooLarge,
  type InvokeHeaders,
  parseInvokeHeaders,
  readPayload,
} from './invoke-request.js';
import type { EmulatorLimits } from './limits.js';
import type { EmulatorLogger } from './logger.js';

/**
 * A function the emulator serves.
 *
 * @example
 * const entry: FunctionEntry = { config, code, pool, lastModified: '2025-01-31T09:15:02.123+0000' };
 */
export interface FunctionEntry {
  config: FunctionConfig;
  /** The task root and `_HANDLER` it runs with. */
  code: BuiltCode;
  pool: EnvironmentPool;
  /** When this definition began to serve (start or reload), in Lambda's `LastModified` format. */
  lastModified: string;
}

/**
 * The emulator, as the API handlers see it.
 *
 * @example
 * await handleInvoke(context, req, res, { api: 'invoke', label: 'hello' }, requestId);
 */
export interface ApiContext {
  region: string;
  accountId: string;
  limits: EmulatorLimits;
  logger: EmulatorLogger;
  bandwidth: BandwidthOptions | undefined;
  /** `eventstream`: `application/vnd.amazon.eventstream`; `function`: the function's own content type. */
  responseStreamContentType: 'eventstream' | 'function';
  lookup(name: string): FunctionEntry | undefined;
  /** Keeps a background (`Event`) invocation alive until `close()`. */
  track(task: Promise<unknown>): void;
}

/**
 * A request that passed every check: ready to run.
 *
 * @example
 * const prepared = await prepareInvocation(context, req, res, route, requestId);
 * if (!prepared) return; // an error was sent
 */
export interface PreparedInvocation {
  entry: FunctionEntry;
  headers: InvokeHeaders;
  payload: Buffer;
  /** The ARN the runtime sees as `invokedFunctionArn`: qualified when the caller qualified it. */
  invokedFunctionArn: string;
}

/**
 * Runs the shared checks; on failure sends the error and returns undefined.
 *
 * @example
 * const prepared = await prepareInvocation(context, req, res, { api: 'invoke', label }, requestId);
 */
export async function prepareInvocation(
  context: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: { api: InvokeApi; label: string },
  requestId: string,
): Promise<PreparedInvocation | undefined> {
  const url = req.url ?? '/';
  // Most invokes carry no query string; parsing a URL for nothing was a measurable share of each invoke.
  const queryQualifier = url.includes('?')
    ? new URL(url, 'http://localhost').searchParams.get('Qualifier')
    : null;
  const target = resolveInvokeTarget(route.label, queryQualifier);
  if (!target.ok) {
    sendAwsError(res, requestId, target.error);
    return undefined;
  }
  const parsed = parseInvokeHeaders(req, route.api);
  if (!parsed.ok) {
    sendAwsError(res, requestId, parsed.error);
    return undefined;
  }
  const headers = parsed.headers;
  const limit =
    headers.invocationType === InvocationType.event
      ? context.limits.asyncRequestBytes
      : context.limits.requestBytes;
  if (declaredTooLarge(req, limit)) {
    sendAwsError(res, requestId, requestEntityTooLarge(limit));
    return undefined;
  }
  const { name, qualifier } = target.target;
  const entry = context.lookup(name);
  // The emulator runs $LATEST only; versions and aliases are not found, as on a function never published.
  if (!entry || !isLatest(qualifier)) {
    sendAwsError(
      res,
      requestId,
      resourceNotFound(functionArn(context.region, context.accountId, name, qualifier ?? '$LATEST')),
    );
    return undefined;
  }
  const body = await readPayload(req, limit);
  if (!body.ok) {
    sendAwsError(res, requestId, body.error);
    return undefined;
  }
  const invalid = checkJsonPayload(body.payload);
  if (invalid) {
    sendAwsError(res, requestId, invalid);
    return undefined;
  }
  return {
    entry,
    headers,
    payload: body.payload,
    invokedFunctionArn: functionArn(context.region, context.accountId, name, qualifier),
  };
}

/**
 * Creates the invocation for a prepared request.
 *
 * @example
 * const invocation = createInvocation(prepared, requestId, context.limits.streamedResponseBytes);
 */
export function createInvocation(
  prepared: PreparedInvocation,
  requestId: string,
  responseLimit: number,
): Invocation {
  const { headers } = prepared;
  return new Invocation({
    requestId,
    payload: prepared.payload,
    invokedFunctionArn: prepared.invokedFunctionArn,
    traceId: headers.traceId,
    ...(headers.clientContext === undefined ? {} : { clientContext: headers.clientContext }),
    ...(headers.tenantId === undefined ? {} : { tenantId: headers.tenantId }),
    responseLimit,
    logTail: headers.logTail,
  });
}
