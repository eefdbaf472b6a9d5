/**
 * Streams a generated 7 MB text file: more than the 6 MB a buffered Lambda response may carry, well within
 * the 200 MB a streamed one may. The content is deterministic (line N says so), so a client can check it.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpResponseStream, streamifyResponse } from 'sluice';
import { chunks } from './lines.js';

export { LINE_BYTES, LINES, line } from './lines.js';

export const handler = streamifyResponse(async (_event, responseStream) => {
  const stream = HttpResponseStream.from(responseStream, {
    statusCode: 200,
    headers: { 'Content-Type': 'text/plain', 'Content-Disposition': 'attachment; filename="large.txt"' },
  });
  // pipeline() respects backpressure: the generator is only asked for more when the stream can take it.
  await pipeline(Readable.from(chunks()), stream);
});
