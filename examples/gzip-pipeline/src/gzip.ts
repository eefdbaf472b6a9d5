/**
 * `pipeline(source, zlib.createGzip(), responseStream)`, as in the response-streaming launch blog: JSON lines
 * compressed on the fly. Like the blog's function it sends the gzip bytes as `application/octet-stream`
 * without `Content-Encoding` (function URLs strip that header and decompress,
 * aws-lambda-nodejs-runtime-interface-client#96), so the client gunzips: `curl ... | gunzip`.
 *
 * Through a function URL the event is the URL's payload 2.0 event, not the caller's JSON: the request is its
 * JSON body and query string (`curl -d '{"repeat":50}'` or `?repeat=50`). Invoked directly (`aws lambda
 * invoke --payload '{"repeat":50}'`), the event itself is the request.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { streamifyResponse } from 'sluice';
import { readRequest, record, repeatCount } from './request.js';

// A named export other than `handler`, as in the blog (Handler: gzip.gzip).
export const gzip = streamifyResponse(async (event: unknown, responseStream) => {
  const request = readRequest(event);
  const repeat = repeatCount(request);
  async function* records() {
    for (let i = 0; i < repeat; i++) yield record(i, request);
  }
  await pipeline(Readable.from(records()), createGzip(), responseStream);
});
