/**
 * What the gzip function sends, kept apart from the handler so a client (or test) can recompute it without
 * loading the function.
 *
 * Through a function URL the event is the URL's payload 2.0 event, not the caller's JSON: the request is its
 * JSON body and query string (`curl -d '{"repeat":50}'` or `?repeat=50`). Invoked directly (`aws lambda
 * invoke --payload '{"repeat":50}'`), the event itself is the request.
 */

/** The parts of a function URL (payload 2.0) or API Gateway event this function reads. */
interface HttpEvent {
  requestContext: unknown;
  body?: string | null;
  isBase64Encoded?: boolean;
  queryStringParameters?: Record<string, string> | null;
}

function isHttpEvent(event: unknown): event is HttpEvent {
  return typeof event === 'object' && event !== null && 'requestContext' in event;
}

/**
 * What the caller asked for: for an HTTP event, its query string parameters overlaid with the fields of its
 * JSON body; for a direct invoke, the event itself.
 *
 * @example
 * readRequest({ repeat: 3 }); // { repeat: 3 }
 * readRequest({ requestContext: {}, body: '{"repeat":3}' }); // { repeat: 3 }
 * readRequest({ requestContext: {}, queryStringParameters: { repeat: '3' } }); // { repeat: '3' }
 */
export function readRequest(event: unknown): Record<string, unknown> {
  if (!isHttpEvent(event)) {
    return typeof event === 'object' && event !== null && !Array.isArray(event)
      ? (event as Record<string, unknown>)
      : {};
  }
  const request: Record<string, unknown> = { ...event.queryStringParameters };
  if (event.body) {
    const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        Object.assign(request, parsed);
    } catch {
      // Not JSON: the query string alone is the request.
    }
  }
  return request;
}

/** The number of JSON lines to send, from the request's `repeat` (default 1000, between 1 and 100 000). */
export function repeatCount(request: Record<string, unknown>): number {
  const requested = Number(request.repeat ?? 1000);
  return Number.isFinite(requested) ? Math.min(Math.max(Math.trunc(requested), 1), 100_000) : 1000;
}

/** Line `i` of the (uncompressed) output. */
export function record(i: number, request: Record<string, unknown>): string {
  return `${JSON.stringify({ i, request })}\n`;
}
