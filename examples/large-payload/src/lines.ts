/**
 * The generated file the large-payload function streams: 7 MiB of numbered 64-byte lines. Kept apart from the
 * handler so a client (or test) can recompute any line without loading the function.
 */

/** Bytes in a line, newline included. */
export const LINE_BYTES = 64;
/** 7 MiB: 114 688 lines of exactly 64 bytes. */
export const LINES = (7 * 1024 * 1024) / LINE_BYTES;

/**
 * Line `index` (0-based) of the file: its number, padded to 64 bytes with dots and a newline.
 *
 * @example
 * line(0); // 'line 000001 of 114688 ' + '.' × 41 + '\n'
 */
export function line(index: number): string {
  const text = `line ${String(index + 1).padStart(6, '0')} of ${LINES} `;
  return `${text.padEnd(LINE_BYTES - 1, '.')}\n`;
}

/** The file in chunks of 1024 lines (64 KiB): large enough to be efficient, small enough to stream smoothly. */
export async function* chunks(): AsyncGenerator<string> {
  for (let start = 0; start < LINES; start += 1024) {
    let chunk = '';
    for (let i = start; i < Math.min(start + 1024, LINES); i++) chunk += line(i);
    yield chunk;
  }
}
