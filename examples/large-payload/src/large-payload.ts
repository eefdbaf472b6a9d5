/**
 * Streams a generated 7 MB text file: more than the 6 MB a buffered Lambda response may carry, well within
 * the 200 MB a streamed one may. The content is deterministic (line N says so), so a client can check it.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpResponseStream, streamifyResponse } from 'sluice';

/** 7 MiB: 114 688 lines of exactly 64 bytes. */
export const LINE_BYTES = 64;
export const LINES = (7 * 1024 * 1024) / LINE_BYTES;

/** Line `index` (0-based) of the file: its number, padded to 64 bytes with dots and a newline. */
export function line(index: number): string {
  const text = `line ${String(index + 1).padStart(6, '0')} of ${LINES} `;
  return `${text.padEnd(LINE_BYTES - 1, '.')}\n`;
}

async function* lines(): AsyncGenerator<string> {
  // 1024 lines (64 KiB) per chunk: large enough to be efficient, small enough to stream smoothly.
  for (let start = 0; start < LINES; start += 1024) {
    let chunk = '';
    for (let i = start; i < Math.min(start + 1024, LINES); i++) chunk += line(i);
    yield chunk;
  }
}

export const handler = streamifyResponse(async (_event, responseStream) => {
  const stream = HttpResponseStream.from(responseStream, {
    statusCode: 200,
    headers: { 'Content-Type': 'text/plain', 'Content-Disposition': 'attachment; filename="large.txt"' },
  });
  // pipeline() respects backpressure: the generator is only asked for more when the stream can take it.
  await pipeline(Readable.from(lines()), stream);
});
