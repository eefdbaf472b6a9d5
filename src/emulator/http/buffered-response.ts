/**
 * How a front reads a function's whole (buffered) result. Pure functions of the bytes the function returned,
 * the content type the runtime declared and whether it streamed them.
 *
 * Function URLs (BUFFERED, http-fronts.md §1.3, recorded against AWS): a JSON object with `statusCode` is a
 * response (`statusCode` may be a string; `headers`; `cookies` → `Set-Cookie`; `body`, serialised to JSON
 * when it is not a string; `isBase64Encoded`); any other JSON value is the body itself (a JSON string is
 * unwrapped, other values re-serialised compactly), and `Content-Type` defaults to `application/json` in both
 * cases. A streaming handler behind a BUFFERED URL is still read whole: with a prelude its status and headers
 * apply; otherwise its bytes are the body under its own content type (the Pulumi "buffered twin" example).
 *
 * REST proxy integrations: the result must be `{statusCode, headers?, multiValueHeaders?, body?,
 * isBase64Encoded?}` with a string body, else API Gateway answers 502 ("Malformed Lambda proxy response").
 */
import { splitPrelude } from '../../protocol/index.js';
import type { HeaderList } from './cors.js';
import { type HeadFront, hasHeader, headFromMetadata, isPreludeContentType } from './response-head.js';

/**
 * A complete HTTP response, or why the result cannot be one.
 *
 * @example
 * const response = functionUrlResponse(payload, 'application/json', false);
 * if (response.ok) { res.writeHead(response.status, …); res.end(response.body); }
 */
export type BufferedHttpResponse =
  | { ok: true; status: number; headers: HeaderList; body: Buffer }
  | { ok: false; reason: string };

function parseJson(payload: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(payload.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

function isJsonContentType(contentType: string | undefined): boolean {
  return contentType === undefined || /^application\/json\b/i.test(contentType.trim());
}

function fromPreludePayload(payload: Buffer, front: HeadFront, keepBody: boolean): BufferedHttpResponse {
  const split = splitPrelude(payload);
  if (split.kind !== 'complete') {
    return {
      ok: false,
      reason: split.kind === 'invalid' ? split.reason : 'the prelude has no delimiter (8 NUL bytes)',
    };
  }
  const head = headFromMetadata(split.metadata, front);
  if (!head.ok) return head;
  return {
    ok: true,
    status: head.status,
    headers: head.headers,
    body: keepBody ? payload.subarray(split.bodyOffset) : Buffer.alloc(0),
  };
}

/**
 * The HTTP response of a BUFFERED function URL for a successful invocation.
 *
 * @example
 * functionUrlResponse(Buffer.from('"hello"'), 'application/json', false);
 * // { ok: true, status: 200, headers: [['Content-Type', 'application/json']], body: <hello> }
 */
export function functionUrlResponse(
  payload: Buffer,
  contentType: string | undefined,
  streamed: boolean,
): BufferedHttpResponse {
  if (streamed && isPreludeContentType(contentType)) {
    // An empty stream under the prelude type: AWS answers 200 without the function's headers (#97).
    if (payload.byteLength === 0) return { ok: true, status: 200, headers: [], body: payload };
    return fromPreludePayload(payload, 'url', true);
  }
  if (streamed && !isJsonContentType(contentType)) {
    return { ok: true, status: 200, headers: [['Content-Type', contentType!]], body: payload };
  }
  const parsed = parseJson(payload);
  if (!parsed.ok) {
    if (streamed) {
      return {
        ok: true,
        status: 200,
        headers: [['Content-Type', contentType ?? 'application/json']],
        body: payload,
      };
    }
    return { ok: false, reason: 'the function returned something that is not JSON' };
  }
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('statusCode' in value)) {
    const body = typeof value === 'string' ? value : JSON.stringify(value);
    return {
      ok: true,
      status: 200,
      headers: [['Content-Type', 'application/json']],
      body: Buffer.from(body),
    };
  }
  const result = value as Record<string, unknown>;
  const head = headFromMetadata(
    { statusCode: result.statusCode, headers: result.headers, cookies: result.cookies },
    'url',
  );
  if (!head.ok) return head;
  const headers = head.headers;
  if (!hasHeader(headers, 'content-type')) headers.unshift(['Content-Type', 'application/json']);
  const rawBody = result.body;
  const text =
    rawBody === undefined || rawBody === null
      ? ''
      : typeof rawBody === 'string'
        ? rawBody
        : JSON.stringify(rawBody);
  const body = result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { ok: true, status: head.status, headers, body };
}

/**
 * The HTTP response of a (non-streaming) REST proxy integration for a successful invocation. A function that
 * streamed a prelude answers with its status and headers but no body ("API Gateway returns the HTTP headers
 * and status code but not the response body", response-transfer-mode docs).
 *
 * @example
 * restProxyResponse(Buffer.from('{"statusCode":201,"body":"made"}'), 'application/json', false);
 * // { ok: true, status: 201, headers: [['Content-Type', 'application/json']], body: <made> }
 */
export function restProxyResponse(
  payload: Buffer,
  contentType: string | undefined,
  streamed: boolean,
): BufferedHttpResponse {
  const nul = payload.indexOf(0);
  if (nul !== -1 && (streamed || isPreludeContentType(contentType))) {
    const response = fromPreludePayload(payload, 'rest', false);
    if (response.ok && !hasHeader(response.headers, 'content-type')) {
      response.headers.unshift(['Content-Type', 'application/json']);
    }
    if (response.ok) return response;
  }
  const parsed = parseJson(payload);
  if (!parsed.ok) return { ok: false, reason: 'Malformed Lambda proxy response: not JSON' };
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'Malformed Lambda proxy response: not a JSON object' };
  }
  const result = value as Record<string, unknown>;
  if (result.statusCode === undefined)
    return { ok: false, reason: 'Malformed Lambda proxy response: no statusCode' };
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') {
    return { ok: false, reason: 'Malformed Lambda proxy response: body is not a string' };
  }
  const head = headFromMetadata(
    { statusCode: result.statusCode, headers: result.headers, multiValueHeaders: result.multiValueHeaders },
    'rest',
  );
  if (!head.ok) return { ok: false, reason: `Malformed Lambda proxy response: ${head.reason}` };
  const headers = head.headers.filter(([name]) => name.toLowerCase() !== 'content-length');
  if (!hasHeader(headers, 'content-type')) headers.unshift(['Content-Type', 'application/json']);
  const text = typeof result.body === 'string' ? result.body : '';
  const body = result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { ok: true, status: head.status, headers, body };
}
