/**
 * What the HTTP fronts need from an incoming request, captured once: the method, the raw (still encoded) path
 * and query as the client sent them, the raw header list (names in the client's case, duplicates kept, as Node's
 * `req.rawHeaders` gives them), the body, and the connection's addresses. The event builders are pure functions
 * of this snapshot, so they are unit-tested without sockets.
 */
import type { IncomingMessage } from 'node:http';

/**
 * One request as the fronts see it.
 *
 * @example
 * const request: HttpRequestSnapshot = {
 *   method: 'POST', rawPath: '/hello', rawQuery: 'a=1', rawHeaders: ['Host', 'fn.lambda-url.localhost:9000'],
 *   body: Buffer.from('{}'), sourceIp: '127.0.0.1', protocol: 'HTTP/1.1', localPort: 9000, receivedAt: Date.now(),
 * };
 */
export interface HttpRequestSnapshot {
  method: string;
  /** The path as sent (percent-encoding kept), after any routing prefix was removed; at least `/`. */
  rawPath: string;
  /** The query as sent, without the leading `?`; empty when there is none. */
  rawQuery: string;
  /** `[name, value, name, value, …]`, as Node's `req.rawHeaders`. */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  /** `HTTP/1.1`. */
  protocol: string;
  /** The port the request arrived on (`x-forwarded-port`). */
  localPort: number;
  /** Epoch milliseconds when the request arrived. */
  receivedAt: number;
}

/**
 * Splits a request target into its raw path and raw query (neither decoded).
 *
 * @example
 * splitTarget('/a%20b?x=1&y'); // { path: '/a%20b', query: 'x=1&y' }
 */
export function splitTarget(target: string): { path: string; query: string } {
  const index = target.indexOf('?');
  const path = index === -1 ? target : target.slice(0, index);
  const query = index === -1 ? '' : target.slice(index + 1);
  return { path: path === '' ? '/' : path, query };
}

/**
 * Captures a request whose body has been read.
 *
 * @example
 * const snapshot = snapshotRequest(req, body, '/hello', 'a=1');
 */
export function snapshotRequest(
  req: IncomingMessage,
  body: Buffer,
  rawPath: string,
  rawQuery: string,
): HttpRequestSnapshot {
  return {
    method: req.method ?? 'GET',
    rawPath,
    rawQuery,
    rawHeaders: req.rawHeaders,
    body,
    sourceIp: normalizeIp(req.socket.remoteAddress ?? '127.0.0.1'),
    protocol: `HTTP/${req.httpVersion}`,
    localPort: req.socket.localPort ?? 0,
    receivedAt: Date.now(),
  };
}

function normalizeIp(address: string): string {
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

/**
 * The header values of a raw header list, grouped by lower-cased name, in arrival order.
 *
 * @example
 * headerValues(['A', '1', 'a', '2', 'B', '3']); // Map { 'a' => ['1', '2'], 'b' => ['3'] }
 */
export function headerValues(rawHeaders: readonly string[]): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const list = values.get(name);
    if (list) list.push(rawHeaders[i + 1]!);
    else values.set(name, [rawHeaders[i + 1]!]);
  }
  return values;
}

/**
 * The first value of a header, by case-insensitive name.
 *
 * @example
 * firstHeader(['Content-Type', 'text/plain'], 'content-type'); // 'text/plain'
 */
export function firstHeader(rawHeaders: readonly string[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === wanted) return rawHeaders[i + 1];
  }
  return undefined;
}

/**
 * Decodes a percent-encoded component, keeping it as sent when it is malformed.
 *
 * @example
 * decodeComponent('a%20b'); // 'a b'
 * decodeComponent('100%');  // '100%'
 */
export function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Parses a raw query into decoded keys and their values in order. `+` is kept literally (RFC 3986 decoding, as
 * the canonical SigV4 query is built); a key without `=` has the empty value.
 *
 * @example
 * parseQuery('a=1&b=%2Fx&a=2&flag'); // Map { 'a' => ['1', '2'], 'b' => ['/x'], 'flag' => [''] }
 */
export function parseQuery(rawQuery: string): Map<string, string[]> {
  const parameters = new Map<string, string[]>();
  if (rawQuery === '') return parameters;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const index = pair.indexOf('=');
    const key = decodeComponent(index === -1 ? pair : pair.slice(0, index));
    const value = index === -1 ? '' : decodeComponent(pair.slice(index + 1));
    const list = parameters.get(key);
    if (list) list.push(value);
    else parameters.set(key, [value]);
  }
  return parameters;
}

/**
 * Whether a request body of this content type reaches the function as text. Not documented by AWS; AWS's own
 * summary is "if the request Content-Type is not application/json or text/*, the body is base64-encoded", and
 * captures show `application/x-www-form-urlencoded` (curl `-d`) arriving base64-encoded, which the public
 * examples rely on (examples.md §2.6–2.7). So: `text/*` and any JSON or XML media type are text; everything
 * else, including a missing content type, is base64.
 *
 * @example
 * isTextContentType('application/json; charset=utf-8'); // true
 * isTextContentType('application/x-www-form-urlencoded'); // false
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const media = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return media.startsWith('text/') || media.includes('json') || media.includes('xml');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The request time as API Gateway and function URLs write it: `dd/MMM/yyyy:HH:mm:ss +0000` (UTC).
 *
 * @example
 * formatRequestTime(Date.UTC(2023, 3, 18, 17, 1, 46)); // '18/Apr/2023:17:01:46 +0000'
 */
export function formatRequestTime(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/**
 * Result of reading a request body under a size limit.
 *
 * @example
 * const read: BodyRead = { ok: false, reason: 'too-large' };
 */
export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Reads the whole body, up to `limit` bytes. Beyond the limit it stops keeping bytes but goes on draining the
 * request, so the client finishes sending and reads the 413 instead of a reset connection.
 *
 * @example
 * const read = await readRequestBody(req, 6 * 1024 * 1024);
 * if (!read.ok) return sendTooLarge(res);
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.byteLength;
      if (size > limit) {
        chunks.length = 0;
        finish({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, body: Buffer.concat(chunks) }));
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    req.on('close', () => finish({ ok: false, reason: 'aborted' }));
  });
}

/**
 * Whether the declared `Content-Length` already exceeds `limit`.
 *
 * @example
 * if (declaredLengthExceeds(req, 6291456)) return sendTooLarge(res);
 */
export function declaredLengthExceeds(req: IncomingMessage, limit: number): boolean {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) && declared > limit;
}
