/**
 * What a command needs from its surroundings, so tests can run commands in-process and read their output.
 */

/**
 * @example
 * const lines: string[] = [];
 * const io: CliIo = { out: (t) => lines.push(t), err: (t) => lines.push(t), cwd: process.cwd() };
 */
export interface CliIo {
  /** Standard output: results (paths, tables). */
  out(text: string): void;
  /** Standard output for raw bytes (a function's response); default: `out` with the bytes as UTF-8. */
  outBytes?(bytes: Uint8Array): void;
  /** Standard error: progress, warnings, errors. */
  err(text: string): void;
  /** The directory relative paths resolve against. */
  cwd: string;
}

/**
 * Sizes as people read them: bytes below 1 KiB, then KiB and MiB with one decimal.
 *
 * @example
 * formatBytes(3094); // '3.0 KiB'
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
