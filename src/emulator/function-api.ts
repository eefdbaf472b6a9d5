/**
 * Lambda's read-only function management APIs, for scripts that look functions up before invoking them
 * (examples.md §2.4 finds its functions with `paginateListFunctions` by name prefix) and for tools that read a
 * function's settings (invoke-api.md §9 item 6):
 *
 * - `GET /2015-03-31/functions/` (ListFunctions): `{ Functions, NextMarker }`, paged with `Marker` and
 *   `MaxItems` (1 to 10000, at most 50 returned per page whatever it asks for, as on Lambda);
 * - `GET /2015-03-31/functions/{FunctionName}` (GetFunction): `{ Configuration, Code }`;
 * - `GET /2015-03-31/functions/{FunctionName}/configuration` (GetFunctionConfiguration);
 * - `GET /2021-10-31/functions/{FunctionName}/url` (GetFunctionUrlConfig).
 *
 * Member names are those of the AWS SDK for JavaScript v3 model (`@aws-sdk/client-lambda` `schemas_0.js`:
 * `FunctionConfiguration$`, `FunctionCodeLocation$`, `GetFunctionUrlConfigResponse$`, `Cors$`,
 * `ListFunctionsResponse$`). As on Lambda, ListFunctions leaves out `State` and `LastUpdateStatus`, which only
 * GetFunction and GetFunctionConfiguration return (API reference, ListFunctions). The emulator serves `$LATEST`
 * only: another qualifier is not found, as on a function never published.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { InvokeHeader, LATEST_VERSION } from '../protocol/index.js';
import type { FunctionEntry } from './api-context.js';
import {
  type AwsApiError,
  invalidParameterValue,
  resourceNotFound,
  sendAwsError,
  validationError,
} from './aws-errors.js';
import type { FunctionUrlCorsConfig } from './function-config.js';
import { functionArn, isLatest, resolveInvokeTarget } from './function-name.js';

/**
 * The management operations the emulator serves.
 *
 * @example
 * const operation: ManagementOperation = 'GetFunctionUrlConfig';
 */
export type ManagementOperation =
  | 'ListFunctions'
  | 'GetFunction'
  | 'GetFunctionConfiguration'
  | 'GetFunctionUrlConfig';

/**
 * A management request: the operation, and for the per-function ones the raw (still encoded) `FunctionName`.
 *
 * @example
 * const route: ManagementRoute = { operation: 'GetFunction', label: 'my-function' };
 */
export type ManagementRoute =
  | { operation: 'ListFunctions' }
  | { operation: Exclude<ManagementOperation, 'ListFunctions'>; label: string };

/**
 * What the management APIs need from the emulator.
 *
 * @example
 * const context: ManagementContext = { region, accountId, functions: () => entries, lookup, functionUrl: () => undefined };
 */
export interface ManagementContext {
  region: string;
  accountId: string;
  /** Every function served now. */
  functions(): readonly FunctionEntry[];
  lookup(name: string): FunctionEntry | undefined;
  /** The local address of a function's URL (path style, works with any client), if it has one. */
  functionUrl(name: string): string | undefined;
}

/** Lambda returns at most this many functions per ListFunctions page (API reference, `MaxItems`). */
const LIST_PAGE_LIMIT = 50;
/** `MaxListItems` of the model: 1 to 10000. */
const MAX_ITEMS_RANGE = { min: 1, max: 10_000 } as const;

const LIST_PATH = /^\/2015-03-31\/functions\/?$/;
const FUNCTION_PATH = /^\/2015-03-31\/functions\/([^/]+)\/?$/;
const CONFIGURATION_PATH = /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/;
const URL_CONFIG_PATH = /^\/2021-10-31\/functions\/([^/]+)\/url\/?$/;

/**
 * Recognises the management routes (GET only). The SDK sends ListFunctions to `/2015-03-31/functions`, the API
 * reference writes `/2015-03-31/functions/`: both are served.
 *
 * @example
 * matchManagementPath('GET', '/2015-03-31/functions/f/configuration'); // { operation: 'GetFunctionConfiguration', label: 'f' }
 * matchManagementPath('POST', '/2015-03-31/functions/');               // undefined
 */
export function matchManagementPath(method: string, pathname: string): ManagementRoute | undefined {
  if (method !== 'GET') return undefined;
  if (LIST_PATH.test(pathname)) return { operation: 'ListFunctions' };
  const routes = [
    [FUNCTION_PATH, 'GetFunction'],
    [CONFIGURATION_PATH, 'GetFunctionConfiguration'],
    [URL_CONFIG_PATH, 'GetFunctionUrlConfig'],
  ] as const;
  for (const [pattern, operation] of routes) {
    const label = pattern.exec(pathname)?.[1];
    if (label !== undefined) return { operation, label };
  }
  return undefined;
}

/**
 * A time in Lambda's `LastModified` format: ISO 8601 with milliseconds and a `+0000` offset.
 *
 * @example
 * lambdaTimestamp(new Date(Date.UTC(2025, 0, 31, 9, 15, 2, 123))); // '2025-01-31T09:15:02.123+0000'
 */
export function lambdaTimestamp(date: Date): string {
  return date.toISOString().replace(/Z$/, '+0000');
}

/**
 * A ListFunctions marker: opaque to clients (as Lambda's are), it names the last function of the previous page,
 * so that paging survives functions appearing or disappearing on a reload.
 *
 * @example
 * decodeMarker(encodeMarker('my-function')); // 'my-function'
 */
export function encodeMarker(lastName: string): string {
  return Buffer.from(lastName, 'utf8').toString('base64url');
}

/**
 * The function name a marker carries; undefined when it is not one of ours.
 *
 * @example
 * decodeMarker('bm9wZSBub3BlIQ'); // undefined ('nope nope!' is not a function name)
 */
export function decodeMarker(marker: string): string | undefined {
  const name = Buffer.from(marker, 'base64url').toString('utf8');
  return /^[a-zA-Z0-9_-]{1,64}$/.test(name) && encodeMarker(name) === marker ? name : undefined;
}

/**
 * Serves one management request. Synchronous: nothing here waits for a function.
 *
 * @example
 * const route = matchManagementPath(req.method!, pathname);
 * if (route) handleManagement(context, req, res, route, randomUUID());
 */
export function handleManagement(
  context: ManagementContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: ManagementRoute,
  requestId: string,
): void {
  req.resume();
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  if (route.operation === 'ListFunctions') {
    const listed = listFunctions(context, query);
    if ('error' in listed) sendAwsError(res, requestId, listed.error);
    else sendJson(res, requestId, listed.body);
    return;
  }
  const target = resolveInvokeTarget(route.label, query.get('Qualifier'));
  if (!target.ok) {
    sendAwsError(res, requestId, target.error);
    return;
  }
  const { name, qualifier } = target.target;
  const entry = context.lookup(name);
  const arn = functionArn(context.region, context.accountId, name, qualifier);
  if (route.operation === 'GetFunctionUrlConfig') {
    const url = entry && isLatest(qualifier) ? context.functionUrl(name) : undefined;
    if (!entry?.config.url || url === undefined) {
      // What Lambda answers both for an unknown function and for a function without a URL.
      sendAwsError(res, requestId, {
        ...resourceNotFound(arn),
        message: 'The resource you requested does not exist.',
      });
      return;
    }
    sendJson(res, requestId, urlConfiguration(entry, url, arn));
    return;
  }
  if (!entry || !isLatest(qualifier)) {
    sendAwsError(res, requestId, resourceNotFound(arn));
    return;
  }
  const configuration = functionConfiguration(entry, arn, true);
  if (route.operation === 'GetFunctionConfiguration') {
    sendJson(res, requestId, configuration);
    return;
  }
  sendJson(res, requestId, {
    Configuration: configuration,
    // Lambda gives a presigned S3 URL of the deployment package; locally the code is a directory on disk.
    Code: { RepositoryType: 'S3', Location: pathToFileURL(entry.code.taskRoot).href },
  });
}

function listFunctions(
  context: ManagementContext,
  query: URLSearchParams,
): { body: Record<string, unknown> } | { error: AwsApiError } {
  const functionVersion = query.get('FunctionVersion');
  if (functionVersion !== null && functionVersion !== 'ALL') {
    return {
      error: validationError('functionVersion', functionVersion, 'Member must satisfy enum value set: [ALL]'),
    };
  }
  let pageSize = LIST_PAGE_LIMIT;
  const maxItems = query.get('MaxItems');
  if (maxItems !== null) {
    const value = Number(maxItems);
    if (!/^-?\d+$/.test(maxItems) || value < MAX_ITEMS_RANGE.min) {
      return {
        error: validationError(
          'maxItems',
          maxItems,
          `Member must have value greater than or equal to ${MAX_ITEMS_RANGE.min}`,
        ),
      };
    }
    if (value > MAX_ITEMS_RANGE.max) {
      return {
        error: validationError(
          'maxItems',
          maxItems,
          `Member must have value less than or equal to ${MAX_ITEMS_RANGE.max}`,
        ),
      };
    }
    pageSize = Math.min(value, LIST_PAGE_LIMIT);
  }
  const marker = query.get('Marker');
  let after: string | undefined;
  if (marker !== null && marker !== '') {
    after = decodeMarker(marker);
    if (after === undefined) return { error: invalidParameterValue(`Invalid marker: ${marker}`) };
  }
  // MasterRegion filters for Lambda@Edge replicas, and no local function is one.
  const all = query.get('MasterRegion')
    ? []
    : [...context.functions()].sort((a, b) =>
        a.config.name < b.config.name ? -1 : a.config.name > b.config.name ? 1 : 0,
      );
  const rest = after === undefined ? all : all.filter((entry) => entry.config.name > after);
  const page = rest.slice(0, pageSize);
  const body: Record<string, unknown> = {
    Functions: page.map((entry) =>
      functionConfiguration(entry, functionArn(context.region, context.accountId, entry.config.name), false),
    ),
  };
  const last = page.at(-1);
  if (rest.length > page.length && last) body.NextMarker = encodeMarker(last.config.name);
  return { body };
}

/**
 * A function's `FunctionConfiguration`. `full` adds the members only GetFunction and GetFunctionConfiguration
 * return. `FunctionArn` is qualified when the caller qualified the name, as in an invocation's context.
 */
function functionConfiguration(entry: FunctionEntry, arn: string, full: boolean): Record<string, unknown> {
  const { config } = entry;
  const configuration: Record<string, unknown> = {
    FunctionName: config.name,
    FunctionArn: arn,
    Runtime: config.runtimeName,
    Handler: entry.code.handler,
    // No deployment package is built to measure locally.
    CodeSize: 0,
    Description: config.description,
    // An integer in the model; fractional timeouts (for tests) are rounded up.
    Timeout: Math.ceil(config.timeout),
    MemorySize: config.memorySize,
    LastModified: entry.lastModified,
    Version: LATEST_VERSION,
    TracingConfig: { Mode: 'PassThrough' },
    PackageType: 'Zip',
    Architectures: [config.architecture],
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${config.name}` },
  };
  // Lambda leaves Environment out for a function without variables.
  if (Object.keys(config.environment).length > 0) {
    configuration.Environment = { Variables: { ...config.environment } };
  }
  if (full) {
    configuration.State = 'Active';
    configuration.LastUpdateStatus = 'Successful';
  }
  return configuration;
}

function urlConfiguration(entry: FunctionEntry, url: string, arn: string): Record<string, unknown> {
  const { config } = entry;
  const settings = config.url!;
  const body: Record<string, unknown> = {
    FunctionUrl: url,
    FunctionArn: arn,
    AuthType: settings.authType,
    // The URL exists as long as the function does.
    CreationTime: entry.lastModified,
    LastModifiedTime: entry.lastModified,
    InvokeMode: settings.invokeMode,
  };
  if (settings.cors) body.Cors = corsConfiguration(settings.cors);
  return body;
}

function corsConfiguration(cors: FunctionUrlCorsConfig): Record<string, unknown> {
  const result: Record<string, unknown> = { AllowCredentials: cors.allowCredentials };
  const lists = [
    ['AllowHeaders', cors.allowHeaders],
    ['AllowMethods', cors.allowMethods],
    ['AllowOrigins', cors.allowOrigins],
    ['ExposeHeaders', cors.exposeHeaders],
  ] as const;
  for (const [key, list] of lists) if (list.length > 0) result[key] = [...list];
  if (cors.maxAge !== undefined) result.MaxAge = cors.maxAge;
  return result;
}

function sendJson(res: ServerResponse, requestId: string, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    [InvokeHeader.requestId]: requestId,
  });
  res.end(text);
}
