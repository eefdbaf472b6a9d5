/**
 * `pipeline(source, zlib.createGzip(), responseStream)`, as in the response-streaming launch blog: the
 * event as JSON, repeated, compressed on the fly. Like the blog's function it sends the gzip bytes as
 * `application/octet-stream` without `Content-Encoding` (function URLs strip that header and decompress,
 * aws-lambda-nodejs-runtime-interface-client#96), so the client gunzips: `curl ... | gunzip`.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { streamifyResponse } from 'sluice';

/** The number of JSON lines to send, from the event's `repeat` (default 1000, at most 100 000). */
export function repeatCount(event: unknown): number {
  const requested = Number((event as { repeat?: unknown } | null)?.repeat ?? 1000);
  return Number.isFinite(requested) ? Math.min(Math.max(Math.trunc(requested), 1), 100_000) : 1000;
}

// A named export other than `handler`, as in the blog (Handler: gzip.gzip).
export const gzip = streamifyResponse(async (event: unknown, responseStream) => {
  const repeat = repeatCount(event);
  async function* records() {
    for (let i = 0; i < repeat; i++) yield `${JSON.stringify({ i, event })}\n`;
  }
  await pipeline(Readable.from(records()), createGzip(), responseStream);
});
