/**
 * Where execution environments' output goes. Each line of a runtime's stdout and stderr becomes one entry,
 * tagged with the function and the request it belongs to, next to the lines Lambda itself writes to a
 * function's log (START, END, REPORT, timeouts) and the emulator's own diagnostics.
 */

/**
 * One log line.
 *
 * @example
 * const entry: LogEntry = { functionName: 'hello', requestId: 'c0ffee…', source: 'stdout', message: 'hi' };
 */
export interface LogEntry {
  functionName: string;
  /** The invocation the line belongs to; undefined before an environment served any. */
  requestId: string | undefined;
  /**
   * `stdout`/`stderr`: the runtime's output; `platform`: lines Lambda writes to the function's log (START,
   * END, REPORT, `Task timed out …`); `emulator`: the emulator explaining what went wrong and what to do.
   */
  source: 'stdout' | 'stderr' | 'platform' | 'emulator';
  /** The line, without its newline. */
  message: string;
}

/**
 * Receives every log line; the emulator calls it synchronously, in order.
 *
 * @example
 * const lines: LogEntry[] = [];
 * await startEmulator({ functions, logger: (entry) => lines.push(entry) });
 */
export type EmulatorLogger = (entry: LogEntry) => void;

/**
 * Formats an entry as `[FunctionName requestId] message`; the emulator's own lines read `sluice: …`, and output
 * before an environment served any invocation is labelled `init`.
 *
 * @example
 * formatLogEntry({ functionName: 'hello', requestId: 'abc', source: 'stdout', message: 'hi' }); // '[hello abc] hi'
 */
export function formatLogEntry(entry: LogEntry): string {
  const text = entry.source === 'emulator' ? `sluice: ${entry.message}` : entry.message;
  return `[${entry.functionName} ${entry.requestId ?? 'init'}] ${text}`;
}

/**
 * The default logger: one line per entry on the emulator's stderr.
 *
 * @example
 * await startEmulator({ functions, logger: stderrLogger });
 */
export const stderrLogger: EmulatorLogger = (entry) => {
  process.stderr.write(`${formatLogEntry(entry)}\n`);
};

/**
 * Longest line kept whole; longer output is split so one runaway line cannot grow memory without bound.
 *
 * @example
 * if (pendingBytes >= MAX_LOG_LINE_BYTES) emitLine();
 */
export const MAX_LOG_LINE_BYTES = 64 * 1024;

/**
 * Splits a byte stream into lines (`\n`, with a trailing `\r` dropped), calling `onLine` for each complete
 * line; `flush()` emits what is left when the stream ends.
 *
 * @example
 * const split = lineSplitter((line) => console.log(line));
 * child.stdout.on('data', split.push);
 * child.stdout.on('end', split.flush);
 */
export function lineSplitter(onLine: (line: string) => void): {
  push: (chunk: Buffer) => void;
  flush: () => void;
} {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const emit = (bytes: Buffer) => {
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    onLine(text);
  };
  const push = (chunk: Buffer) => {
    let start = 0;
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, index);
      emit(pending.length > 0 ? Buffer.concat([...pending, piece]) : piece);
      pending = [];
      pendingBytes = 0;
      start = index + 1;
    }
    if (start < chunk.byteLength) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.byteLength - start;
      if (pendingBytes >= MAX_LOG_LINE_BYTES) {
        emit(Buffer.concat(pending));
        pending = [];
        pendingBytes = 0;
      }
    }
  };
  const flush = () => {
    if (pendingBytes > 0) emit(Buffer.concat(pending));
    pending = [];
    pendingBytes = 0;
  };
  return { push, flush };
}

/**
 * Calls a logger, swallowing what it throws: a failing logger must not take the emulator down.
 *
 * @example
 * safeLog(logger, { functionName: 'hello', requestId, source: 'emulator', message: 'environment discarded' });
 */
export function safeLog(logger: EmulatorLogger, entry: LogEntry): void {
  try {
    logger(entry);
  } catch {
    // Ignored on purpose.
  }
}
