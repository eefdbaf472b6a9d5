/**
 * Which function an invoke request names. Lambda accepts, in the `{FunctionName}` path label, a name
 * (`my-function`), a name with a qualifier (`my-function:v1`), a partial ARN
 * (`123456789012:function:my-function`) or a full ARN (`arn:aws:lambda:us-west-2:123456789012:function:my-function`),
 * percent-encoded by the SDKs; the qualifier may also come as `?Qualifier=` (invoke-api.md §1). Pure functions.
 */
import { INVOKE_API_VERSION, LATEST_VERSION, RESPONSE_STREAM_API_VERSION } from '../protocol/index.js';
import { type AwsApiError, invalidParameterValue, validationError } from './aws-errors.js';

/**
 * Which invoke API a path belongs to.
 *
 * @example
 * const api: InvokeApi = 'response-stream';
 */
export type InvokeApi = 'invoke' | 'response-stream';

/**
 * The `FunctionName` pattern of Lambda's API model, anchored.
 *
 * @example
 * validationError('functionName', value, `Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`);
 */
export const FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?';

const FUNCTION_NAME =
  /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:(?<region>[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?(?:(?<account>\d{12}):)?(?:function:)?(?<name>[a-zA-Z0-9\-_.]+)(?::(?<qualifier>\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9\-_]+))?$/;

const QUALIFIER = /^[a-zA-Z0-9$_-]{1,128}$/;

/**
 * The parts of a `FunctionName` value.
 *
 * @example
 * parseFunctionName('arn:aws:lambda:us-east-1:123456789012:function:f:prod');
 * // { name: 'f', qualifier: 'prod', region: 'us-east-1', accountId: '123456789012' }
 */
export interface FunctionNameParts {
  name: string;
  qualifier?: string;
  region?: string;
  accountId?: string;
}

/**
 * Splits a (decoded) `FunctionName` into its parts; undefined if it does not match Lambda's pattern.
 *
 * @example
 * parseFunctionName('123456789012:function:my-function'); // { name: 'my-function', accountId: '123456789012' }
 * parseFunctionName('my-function:$LATEST');              // { name: 'my-function', qualifier: '$LATEST' }
 */
export function parseFunctionName(value: string): FunctionNameParts | undefined {
  if (value.length < 1 || value.length > 256) return undefined;
  const groups = FUNCTION_NAME.exec(value)?.groups;
  if (!groups?.name) return undefined;
  const parts: FunctionNameParts = { name: groups.name };
  if (groups.qualifier) parts.qualifier = groups.qualifier;
  if (groups.region) parts.region = groups.region;
  if (groups.account) parts.accountId = groups.account;
  return parts;
}

/**
 * Recognises the two invoke routes and returns the raw (still encoded) `FunctionName` label.
 *
 * @example
 * matchInvokePath('/2021-11-15/functions/f/response-streaming-invocations'); // { api: 'response-stream', label: 'f' }
 */
export function matchInvokePath(pathname: string): { api: InvokeApi; label: string } | undefined {
  const match = /^\/(\d{4}-\d{2}-\d{2})\/functions\/([^/]+)\/([a-z-]+)\/?$/.exec(pathname);
  if (!match) return undefined;
  const [, version, label, operation] = match as unknown as [string, string, string, string];
  if (version === INVOKE_API_VERSION && operation === 'invocations') return { api: 'invoke', label };
  if (version === RESPONSE_STREAM_API_VERSION && operation === 'response-streaming-invocations') {
    return { api: 'response-stream', label };
  }
  return undefined;
}

/**
 * The function and qualifier an invoke targets.
 *
 * @example
 * const target: InvokeTarget = { name: 'f', qualifier: '$LATEST' };
 */
export interface InvokeTarget {
  name: string;
  /** As given (ARN suffix or `?Qualifier=`); undefined for an unqualified invoke. */
  qualifier?: string;
}

/**
 * Resolves the target of an invoke from the path label and the `Qualifier` query parameter, with Lambda's
 * errors: ValidationException for a malformed name or qualifier, InvalidParameterValueException when the
 * name's qualifier and `?Qualifier=` disagree.
 *
 * @example
 * resolveInvokeTarget('arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af', '%24LATEST');
 * // { ok: true, target: { name: 'f', qualifier: '$LATEST' } }
 */
export function resolveInvokeTarget(
  encodedLabel: string,
  queryQualifier: string | null | undefined,
): { ok: true; target: InvokeTarget } | { ok: false; error: AwsApiError } {
  let label: string;
  try {
    label = decodeURIComponent(encodedLabel);
  } catch {
    label = encodedLabel;
  }
  const parts = parseFunctionName(label);
  if (!parts) {
    return {
      ok: false,
      error: validationError(
        'functionName',
        label,
        `Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`,
      ),
    };
  }
  const fromQuery = queryQualifier ? queryQualifier : undefined;
  if (fromQuery !== undefined && !QUALIFIER.test(fromQuery)) {
    return {
      ok: false,
      error: validationError(
        'qualifier',
        fromQuery,
        'Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)',
      ),
    };
  }
  if (parts.qualifier !== undefined && fromQuery !== undefined && parts.qualifier !== fromQuery) {
    return {
      ok: false,
      error: invalidParameterValue(
        'The derived qualifier from the function name does not match the specified qualifier.',
      ),
    };
  }
  const qualifier = parts.qualifier ?? fromQuery;
  return {
    ok: true,
    target: qualifier === undefined ? { name: parts.name } : { name: parts.name, qualifier },
  };
}

/**
 * Whether a qualifier names the only version the emulator runs: unqualified or `$LATEST`.
 *
 * @example
 * isLatest(undefined); // true
 * isLatest('prod');    // false
 */
export function isLatest(qualifier: string | undefined): boolean {
  return qualifier === undefined || qualifier === LATEST_VERSION;
}

/**
 * The ARN of a function, with `:qualifier` when given.
 *
 * @example
 * functionArn('us-east-1', '123456789012', 'f', '$LATEST'); // 'arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST'
 */
export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${region}:${accountId}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}
