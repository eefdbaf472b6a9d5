import { describe, expect, it } from 'vitest';
import { formatLogEntry, lineSplitter, MAX_LOG_LINE_BYTES } from './logger.js';

describe('logger', () => {
  it('prefixes lines with the function name and request id', () => {
    expect(formatLogEntry({ functionName: 'hello', requestId: 'abc', source: 'stdout', message: 'hi' })).toBe(
      '[hello abc] hi',
    );
    expect(
      formatLogEntry({ functionName: 'hello', requestId: undefined, source: 'stderr', message: 'boot' }),
    ).toBe('[hello init] boot');
    expect(
      formatLogEntry({ functionName: 'hello', requestId: 'abc', source: 'emulator', message: 'gone' }),
    ).toBe('[hello abc] sluice: gone');
  });

  it('splits output into lines wherever the pipe cuts it, dropping \\r', () => {
    const lines: string[] = [];
    const split = lineSplitter((line) => lines.push(line));
    split.push(Buffer.from('one\r\ntw'));
    split.push(Buffer.from('o\n\nthr'));
    split.push(Buffer.from('ee'));
    split.flush();
    expect(lines).toEqual(['one', 'two', '', 'three']);
  });

  it('cuts a runaway line instead of holding it all', () => {
    const lines: string[] = [];
    const split = lineSplitter((line) => lines.push(line));
    for (let i = 0; i < 3; i++) split.push(Buffer.alloc(MAX_LOG_LINE_BYTES / 2, 0x61));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toHaveLength(MAX_LOG_LINE_BYTES);
  });
});
