import { describe, expect, it } from 'vitest';
import { type DevEndpoint, formatEndpoints, shellQuote, wrapCommand } from './endpoints.js';

describe('shellQuote', () => {
  it('leaves plain words alone and quotes the rest for POSIX shells', () => {
    expect(shellQuote('http://127.0.0.1:7000/lambda-url/fn/')).toBe('http://127.0.0.1:7000/lambda-url/fn/');
    expect(shellQuote('a b')).toBe('"a b"');
    expect(shellQuote('$HOME')).toBe("'$HOME'");
    expect(shellQuote("it's $x")).toBe(`'it'\\''s $x'`);
  });
});

describe('wrapCommand', () => {
  it('keeps lines within the width, continued with a backslash', () => {
    const words = [
      'curl',
      '--no-buffer',
      `--user "${'K'.repeat(20)}:${'S'.repeat(40)}"`,
      `http://h/${'p'.repeat(60)}`,
    ];
    const lines = wrapCommand(words, '    ', 80);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines.slice(0, -1).every((line) => line.endsWith(' \\'))).toBe(true);
    expect(lines.slice(1).every((line) => line.startsWith('      '))).toBe(true);
    // Pasted into a shell, the lines are the command.
    expect(lines.map((line) => line.replace(/ \\$/, '').trim()).join(' ')).toBe(words.join(' '));
  });

  it('keeps a short command on one line', () => {
    expect(wrapCommand(['curl', '--no-buffer', 'http://x/'], '  ', 100)).toEqual([
      '  curl --no-buffer http://x/',
    ]);
  });
});

describe('formatEndpoints', () => {
  it('prints one block per endpoint under a heading', () => {
    const rows: DevEndpoint[] = [
      {
        functionName: 'fn',
        kind: 'function-url',
        title: 'function URL, RESPONSE_STREAM, AuthType NONE',
        url: 'http://127.0.0.1:7000/lambda-url/fn/',
        hostUrl: 'http://fn.lambda-url.localhost:7000/',
        command: ['curl', '--no-buffer', 'http://127.0.0.1:7000/lambda-url/fn/'],
        note: `a note long enough to wrap ${'word '.repeat(30)}`,
      },
    ];
    const text = formatEndpoints(rows, { heading: 'sluice dev: x', footer: 'footer' });
    expect(text).toMatch(
      /^sluice dev: x\n\n {2}fn {2}function URL, RESPONSE_STREAM, AuthType NONE\n {4}http:\/\/127\.0\.0\.1:7000\/lambda-url\/fn\/\n {4}\(or http:\/\/fn\.lambda-url\.localhost:7000\/\)\n {4}curl --no-buffer http:\/\/127\.0\.0\.1:7000\/lambda-url\/fn\/\n {4}note: a note/,
    );
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(text.endsWith('\nfooter\n')).toBe(true);
  });
});
