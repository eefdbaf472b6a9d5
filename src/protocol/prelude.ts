/**
 * The HTTP-integration prelude: how a streaming function sets the HTTP status, headers and cookies that a
 * function URL or an API Gateway REST API sends ahead of the body. The body of the runtime's streaming POST
 * is `UTF-8 JSON || 8 × 0x00 || body bytes`, under the content type below (runtime-api.md §2.2).
 */

/** Content type of a streaming response that starts with a prelude. */
export const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

/** Length of the delimiter between prelude and body: eight NUL bytes. */
export const PRELUDE_DELIMITER_LENGTH = 8;

/** API Gateway requires the delimiter within the first 16 KB of the stream (response-transfer-mode docs). */
export const MAX_PRELUDE_SCAN_BYTES = 16 * 1024;

/**
 * Status, headers and cookies of an HTTP response, as a streaming function declares them. Function URLs
 * and API Gateway read `statusCode`, `headers`, `multiValueHeaders` and `cookies`.
 *
 * @example
 * const metadata: HttpResponseMetadata = { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, cookies: ['a=1'] };
 */
export interface HttpResponseMetadata {
  statusCode?: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
}

/**
 * Encodes a prelude: the JSON text of `metadata` (key order kept, as the Node runtime's `JSON.stringify`
 * does) followed by the 8-byte NUL delimiter. JSON text never contains a raw NUL, so the delimiter is
 * unambiguous.
 *
 * @example
 * const bytes = encodePrelude({ statusCode: 201 }); // '{"statusCode":201}' + 8 × 0x00
 */
export function encodePrelude(metadata: HttpResponseMetadata): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(metadata));
  const bytes = new Uint8Array(json.length + PRELUDE_DELIMITER_LENGTH);
  bytes.set(json, 0);
  return bytes;
}

/** Result of looking for a prelude at the start of a stream. */
export type PreludeSplit =
  | { kind: 'complete'; metadata: HttpResponseMetadata; bodyOffset: number }
  | { kind: 'incomplete' }
  | { kind: 'invalid'; reason: string };

/**
 * Looks for a complete prelude at the start of `data` (the bytes of a stream received so far).
 * `incomplete` means more bytes are needed; callers decide how long to wait (API Gateway: 16 KB).
 *
 * @example
 * const split = splitPrelude(received);
 * if (split.kind === 'complete') sendHead(split.metadata, received.subarray(split.bodyOffset));
 */
export function splitPrelude(data: Uint8Array): PreludeSplit {
  const start = data.indexOf(0);
  if (start < 0) return { kind: 'incomplete' };
  const end = start + PRELUDE_DELIMITER_LENGTH;
  for (let i = start + 1; i < Math.min(end, data.length); i++) {
    if (data[i] !== 0) return { kind: 'invalid', reason: 'prelude delimiter is not 8 NUL bytes' };
  }
  if (data.length < end) return { kind: 'incomplete' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(0, start)));
  } catch (error) {
    return { kind: 'invalid', reason: `prelude is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { kind: 'invalid', reason: 'prelude is not a JSON object' };
  }
  return { kind: 'complete', metadata: parsed as HttpResponseMetadata, bodyOffset: end };
}
