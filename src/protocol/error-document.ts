/**
 * The error document a runtime reports to Lambda, in the body of `/error` and `/init/error` and, base64
 * encoded, in the `Lambda-Runtime-Function-Error-Body` trailer of a failed streaming response.
 * Shape and conversion follow the official Node runtime client (runtime-api.md §1.4, §3.3).
 */
import { RuntimeHeader } from './runtime-api.js';

/**
 * `trace` is what Node runtimes send; AWS's spec names the field `stackTrace`. Readers accept both.
 *
 * @example
 * const doc: ErrorDocument = { errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom'] };
 */
export interface ErrorDocument {
  errorType: string;
  errorMessage: string;
  trace?: string[];
  stackTrace?: string[];
}

function isErrorLike(value: unknown): value is { name: string; message: string; stack: string } {
  if (value instanceof Error) return typeof value.stack === 'string';
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.message === 'string' && typeof v.stack === 'string';
}

// DEL cannot travel in an HTTP header value; the Node client escapes it the same way.
const escapeDel = (text: string): string => text.replace(/\x7F/g, '%7F');

/**
 * Converts anything thrown into the document Lambda expects: `errorType` is the error's `name`, `trace` its
 * stack split into lines; values that are not errors give `{errorType: typeof value, errorMessage: String(value)}`.
 *
 * @example
 * toErrorDocument(new RangeError('boom')); // { errorType: 'RangeError', errorMessage: 'boom', trace: ['RangeError: boom', '    at …'] }
 */
export function toErrorDocument(thrown: unknown): ErrorDocument {
  if (isErrorLike(thrown)) {
    return {
      errorType: escapeDel(thrown.name),
      errorMessage: escapeDel(thrown.message),
      trace: escapeDel(thrown.stack).split('\n'),
    };
  }
  let message: string;
  try {
    message = String(thrown);
  } catch {
    message = Object.prototype.toString.call(thrown);
  }
  return { errorType: typeof thrown, errorMessage: message, trace: [] };
}

/**
 * Encodes the value of the `Lambda-Runtime-Function-Error-Body` trailer: standard, padded base64 of the
 * document's JSON.
 *
 * @example
 * encodeErrorBody({ errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom'] });
 * // 'eyJlcnJvclR5cGUiOiJFcnJvciIsImVycm9yTWVzc2FnZSI6ImJvb20iLCJ0cmFjZSI6WyJFcnJvcjogYm9vbSJdfQ=='
 */
export function encodeErrorBody(document: ErrorDocument): string {
  return Buffer.from(JSON.stringify(document), 'utf8').toString('base64');
}

/**
 * Decodes an error document from JSON text, tolerating what real runtimes send: `trace` or `stackTrace`,
 * missing fields, extra fields (`errorCause`). Returns undefined when the text is not a JSON object.
 *
 * @example
 * parseErrorDocument('{"errorMessage":"x"}'); // { errorType: 'Unknown', errorMessage: 'x' }
 */
export function parseErrorDocument(text: string): ErrorDocument | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const v = parsed as Record<string, unknown>;
  const document: ErrorDocument = {
    errorType: typeof v.errorType === 'string' ? v.errorType : 'Unknown',
    errorMessage: typeof v.errorMessage === 'string' ? v.errorMessage : '',
  };
  const lines = (value: unknown): string[] | undefined =>
    Array.isArray(value) ? value.map((line) => String(line)) : undefined;
  const trace = lines(v.trace);
  const stackTrace = lines(v.stackTrace);
  if (trace) document.trace = trace;
  if (stackTrace) document.stackTrace = stackTrace;
  return document;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes the `Lambda-Runtime-Function-Error-Body` trailer. As RAPID does, a value that is not standard
 * base64 (Swift sends the literal `Requires base64`) yields undefined: keep the type, drop the details.
 *
 * @example
 * decodeErrorBody(encodeErrorBody(doc)); // deep-equals doc
 */
export function decodeErrorBody(value: string): ErrorDocument | undefined {
  const trimmed = value.trim();
  if (!BASE64.test(trimmed)) return undefined;
  return parseErrorDocument(Buffer.from(trimmed, 'base64').toString('utf8'));
}

/**
 * The two trailers that end a failed streaming response.
 *
 * @example
 * request.addTrailers(errorTrailers(toErrorDocument(error)));
 */
export function errorTrailers(document: ErrorDocument): Record<string, string> {
  return {
    [RuntimeHeader.errorType]: document.errorType,
    [RuntimeHeader.errorBody]: encodeErrorBody(document),
  };
}

/** Trailer names, as the `Trailer` request header must announce them before the body. */
export const ERROR_TRAILER_NAMES = [RuntimeHeader.errorType, RuntimeHeader.errorBody] as const;

/**
 * Reads the error trailers of a streaming response (names case-insensitive; accepts what Node's
 * `IncomingMessage.trailers` gives). Undefined when there is no error-type trailer.
 *
 * @example
 * const failure = readErrorTrailers(request.trailers);
 * if (failure) console.log(failure.errorType, failure.document?.errorMessage);
 */
export function readErrorTrailers(
  trailers: Record<string, string | string[] | undefined>,
): { errorType: string; document: ErrorDocument | undefined } | undefined {
  const get = (name: string): string | undefined => {
    const lower = name.toLowerCase();
    for (const [key, value] of Object.entries(trailers)) {
      if (key.toLowerCase() === lower) return Array.isArray(value) ? value[0] : value;
    }
    return undefined;
  };
  const errorType = get(RuntimeHeader.errorType);
  if (errorType === undefined) return undefined;
  const body = get(RuntimeHeader.errorBody);
  return { errorType, document: body === undefined ? undefined : decodeErrorBody(body) };
}

const VALID_ERROR_TYPE = /(Runtime|Function)\.[A-Z][a-zA-Z]+/;

/**
 * RAPID's sanitiser for error types reported by runtimes (`fatalerror.GetValidRuntimeOrFunctionErrorType`):
 * kept if it matches `(Runtime|Function)\.[A-Z][a-zA-Z]+` anywhere (the regex is unanchored), otherwise
 * `Function.Unknown` for a `Function.` prefix and `Runtime.Unknown` for anything else.
 *
 * @example
 * sanitizeErrorType('RangeError'); // 'Runtime.Unknown'
 */
export function sanitizeErrorType(errorType: string | undefined): string {
  if (errorType && VALID_ERROR_TYPE.test(errorType)) return errorType;
  if (errorType?.startsWith('Function.')) return 'Function.Unknown';
  return 'Runtime.Unknown';
}
