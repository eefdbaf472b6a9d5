/**
 * From what a function declares (a streaming prelude, or a buffered result's `statusCode`, `headers`,
 * `multiValueHeaders`, `cookies`) to the HTTP response head a front sends: status validation, the merge rule
 * of API Gateway (`multiValueHeaders` wins over `headers` for the same name), cookies as `Set-Cookie`, and the
 * remapping of headers that describe the connection rather than the content: a function URL answers in
 * chunks, so a function's `Content-Length` becomes `x-amzn-remapped-content-length` (as Lambda does,
 * cargo-lambda#862, boto3#3843), and the other hop-by-hop headers likewise.
 */
import { type ServerResponse, validateHeaderName, validateHeaderValue } from 'node:http';
import { type HttpResponseMetadata, PRELUDE_CONTENT_TYPE } from '../../protocol/index.js';
import type { HeaderList } from './cors.js';

/**
 * Headers a front never takes from the function as they are: they describe the connection, which the front
 * owns. Function URLs rename them `x-amzn-remapped-<name>`.
 *
 * @example
 * HOP_BY_HOP_HEADERS.has('content-length'); // true
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'content-length',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Whether a runtime's response content type announces a prelude (parameters ignored).
 *
 * @example
 * isPreludeContentType('application/vnd.awslambda.http-integration-response'); // true
 */
export function isPreludeContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase() === PRELUDE_CONTENT_TYPE;
}

/**
 * A response head, or why the function's metadata cannot be one.
 *
 * @example
 * const head = headFromMetadata({ statusCode: 201, cookies: ['a=1'] }, 'url');
 * if (head.ok) res.writeHead(head.status);
 */
export type ResponseHead = { ok: true; status: number; headers: HeaderList } | { ok: false; reason: string };

/**
 * A status code as a function may give it: an integer from 100 to 599, or its decimal string (function URLs
 * accept `"statusCode": "418"`, http-fronts.md §1.3).
 *
 * @example
 * parseStatusCode('418'); // 418
 * parseStatusCode(42);    // undefined
 */
export function parseStatusCode(value: unknown): number | undefined {
  const status = typeof value === 'string' && /^\d{3}$/.test(value.trim()) ? Number(value) : value;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599
    ? status
    : undefined;
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Which front the head is for: function URLs remap every hop-by-hop header; API Gateway keeps a declared
 * `Content-Length` ("the output expects the headers to contain either Transfer-Encoding: chunked or
 * Content-length", API Gateway docs) and drops the others.
 *
 * @example
 * const front: HeadFront = 'rest';
 */
export type HeadFront = 'url' | 'rest';

/**
 * Turns a prelude or a result's metadata into a response head. `statusCode` defaults to 200. Header values
 * may be strings, numbers or booleans; anything else, an invalid header name or value, or an invalid status
 * makes the metadata unusable (the front answers 502 or 500).
 *
 * @example
 * headFromMetadata({ statusCode: 200, headers: { 'Content-Length': '5' } }, 'url');
 * // { ok: true, status: 200, headers: [['x-amzn-remapped-content-length', '5']] }
 */
export function headFromMetadata(
  metadata: HttpResponseMetadata | Record<string, unknown>,
  front: HeadFront,
): ResponseHead {
  const meta = metadata as Record<string, unknown>;
  const status =
    meta.statusCode === undefined || meta.statusCode === null ? 200 : parseStatusCode(meta.statusCode);
  if (status === undefined)
    return { ok: false, reason: `statusCode ${JSON.stringify(meta.statusCode)} is not an HTTP status` };

  const merged = new Map<string, { name: string; values: string[] }>();
  const single = meta.headers;
  if (single !== undefined && single !== null) {
    if (typeof single !== 'object' || Array.isArray(single))
      return { ok: false, reason: 'headers is not an object' };
    for (const [name, raw] of Object.entries(single)) {
      const value = headerText(raw);
      if (value === undefined) return { ok: false, reason: `header ${name} is not a string` };
      merged.set(name.toLowerCase(), { name, values: [value] });
    }
  }
  const multi = meta.multiValueHeaders;
  if (multi !== undefined && multi !== null) {
    if (typeof multi !== 'object' || Array.isArray(multi)) {
      return { ok: false, reason: 'multiValueHeaders is not an object' };
    }
    for (const [name, raw] of Object.entries(multi)) {
      if (!Array.isArray(raw)) return { ok: false, reason: `multiValueHeaders.${name} is not an array` };
      const values = raw.map(headerText);
      if (values.some((value) => value === undefined)) {
        return { ok: false, reason: `multiValueHeaders.${name} holds a value that is not a string` };
      }
      // API Gateway: "If the same key-value pair is specified in both, only the values from multiValueHeaders
      // will appear in the merged list."
      merged.set(name.toLowerCase(), { name, values: values as string[] });
    }
  }
  const headers: HeaderList = [];
  for (const { name, values } of merged.values()) {
    const lower = name.toLowerCase();
    let outName = name;
    if (HOP_BY_HOP_HEADERS.has(lower)) {
      if (front === 'url') outName = `x-amzn-remapped-${lower}`;
      else if (lower !== 'content-length') continue;
    }
    for (const value of values) headers.push([outName, value]);
  }
  const cookies = meta.cookies;
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies) || cookies.some((cookie) => typeof cookie !== 'string')) {
      return { ok: false, reason: 'cookies is not an array of strings' };
    }
    for (const cookie of cookies as string[]) headers.push(['Set-Cookie', cookie]);
  }
  for (const [name, value] of headers) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch {
      return { ok: false, reason: `header ${JSON.stringify(name)} has an invalid name or value` };
    }
  }
  return { ok: true, status, headers };
}

/**
 * Whether a header list has a header (case-insensitive).
 *
 * @example
 * hasHeader([['Content-Type', 'text/plain']], 'content-type'); // true
 */
export function hasHeader(headers: HeaderList, name: string): boolean {
  const wanted = name.toLowerCase();
  return headers.some(([candidate]) => candidate.toLowerCase() === wanted);
}

/**
 * Writes the response head: repeated names become repeated header lines (several `Set-Cookie`), the first
 * spelling of a name is kept, and the head is flushed at once so the client sees status and headers before the
 * first body byte.
 *
 * @example
 * writeHead(res, 200, [['Content-Type', 'text/plain'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']]);
 */
export function writeHead(res: ServerResponse, status: number, headers: HeaderList): void {
  const grouped = new Map<string, { name: string; values: string[] }>();
  for (const [name, value] of headers) {
    const entry = grouped.get(name.toLowerCase());
    if (entry) entry.values.push(value);
    else grouped.set(name.toLowerCase(), { name, values: [value] });
  }
  for (const { name, values } of grouped.values())
    res.setHeader(name, values.length === 1 ? values[0]! : values);
  res.writeHead(status);
  res.flushHeaders();
}
