import { format } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatLogLine, patchConsole, setCurrentRequestId } from './logging.js';

const EPOCH = new Date(0);
const ISO = '1970-01-01T00:00:00.000Z';

type ConsoleSlots = Record<string, unknown>;
const METHODS = ['trace', 'debug', 'info', 'log', 'warn', 'error', 'fatal'] as const;

// patchConsole replaces methods on the global console; every test gets the original console back.
let saved: Map<string, { present: boolean; value: unknown }>;
beforeEach(() => {
  const slots = console as unknown as ConsoleSlots;
  saved = new Map(METHODS.map((name) => [name, { present: Object.hasOwn(slots, name), value: slots[name] }]));
});
afterEach(() => {
  const slots = console as unknown as ConsoleSlots;
  for (const [name, { present, value }] of saved) {
    if (present) slots[name] = value;
    else delete slots[name];
  }
  setCurrentRequestId(undefined);
});

describe('formatLogLine, TEXT', () => {
  it('is timestamp, request id, level and the util.format message, tab-separated', () => {
    setCurrentRequestId('req-1');
    expect(formatLogLine('TEXT', 'INFO', ['hello %s, %d items', 'world', 3], EPOCH)).toBe(
      `${ISO}\treq-1\tINFO\thello world, 3 items\n`,
    );
  });

  it("prints the request id 'undefined' outside an invocation", () => {
    setCurrentRequestId(undefined);
    expect(formatLogLine('TEXT', 'WARN', ['between invokes'], EPOCH)).toBe(
      `${ISO}\tundefined\tWARN\tbetween invokes\n`,
    );
  });

  it('turns inner newlines into \\r so one call stays one CloudWatch event', () => {
    setCurrentRequestId('req-2');
    const line = formatLogLine('TEXT', 'INFO', ['line one\nline two\nline three'], EPOCH);
    expect(line).toBe(`${ISO}\treq-2\tINFO\tline one\rline two\rline three\n`);
    expect(line.indexOf('\n')).toBe(line.length - 1);
  });

  it('formats objects and errors as util.format does', () => {
    setCurrentRequestId('req-3');
    const error = new Error('boom');
    expect(formatLogLine('TEXT', 'ERROR', ['value', { a: 1 }, error], EPOCH)).toBe(
      `${ISO}\treq-3\tERROR\t${format('value', { a: 1 }, error).replace(/\n/g, '\r')}\n`,
    );
  });

  it('uses the current time by default', () => {
    const before = Date.now();
    const line = formatLogLine('TEXT', 'INFO', ['now']);
    const timestamp = Date.parse(line.split('\t')[0] ?? '');
    expect(timestamp).toBeGreaterThanOrEqual(before - 1);
    expect(timestamp).toBeLessThanOrEqual(Date.now() + 1);
  });
});

describe('formatLogLine, JSON', () => {
  function parse(line: string): Record<string, unknown> {
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    return JSON.parse(line) as Record<string, unknown>;
  }

  it('has the keys timestamp, level, requestId and message, in that order', () => {
    setCurrentRequestId('req-4');
    const record = parse(formatLogLine('JSON', 'INFO', ['hello'], EPOCH));
    expect(record).toEqual({ timestamp: ISO, level: 'INFO', requestId: 'req-4', message: 'hello' });
    expect(Object.keys(record)).toEqual(['timestamp', 'level', 'requestId', 'message']);
  });

  it('keeps a lone object structured', () => {
    setCurrentRequestId('req-5');
    expect(parse(formatLogLine('JSON', 'INFO', [{ user: 'ann', n: [1, 2] }], EPOCH)).message).toEqual({
      user: 'ann',
      n: [1, 2],
    });
  });

  it('turns a lone Error into errorType, errorMessage and stackTrace inside message', () => {
    setCurrentRequestId('req-6');
    const error = new RangeError('out of range');
    const record = parse(formatLogLine('JSON', 'ERROR', [error], EPOCH));
    expect(record.level).toBe('ERROR');
    expect(record.message).toEqual({
      errorType: 'RangeError',
      errorMessage: 'out of range',
      stackTrace: error.stack?.split('\n'),
    });
  });

  it("keeps a lone Error's own enumerable fields", () => {
    setCurrentRequestId('req-7');
    const error = Object.assign(new Error('with code'), { code: 'E_CODE' });
    expect(parse(formatLogLine('JSON', 'ERROR', [error], EPOCH)).message).toMatchObject({
      errorType: 'Error',
      errorMessage: 'with code',
      code: 'E_CODE',
    });
  });

  it('formats several args into message and adds the fields of the first Error', () => {
    setCurrentRequestId('req-8');
    const first = new TypeError('first');
    const second = new RangeError('second');
    const record = parse(formatLogLine('JSON', 'ERROR', ['failed:', first, second], EPOCH));
    expect(record.message).toBe(format('failed:', first, second));
    expect(record.errorType).toBe('TypeError');
    expect(record.errorMessage).toBe('first');
    expect(record.stackTrace).toEqual(first.stack?.split('\n'));
  });

  it('has no error fields when several args hold no Error', () => {
    setCurrentRequestId('req-9');
    const record = parse(formatLogLine('JSON', 'INFO', ['%s=%d', 'x', 5], EPOCH));
    expect(record).toEqual({ timestamp: ISO, level: 'INFO', requestId: 'req-9', message: 'x=5' });
  });

  it('falls back to util.format for a lone object JSON cannot encode', () => {
    setCurrentRequestId('req-10');
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    expect(parse(formatLogLine('JSON', 'INFO', [circular], EPOCH)).message).toBe(format(circular));
  });

  it('includes tenantId when one is set', () => {
    setCurrentRequestId('req-11', 'tenant-a');
    const record = parse(formatLogLine('JSON', 'INFO', ['hi'], EPOCH));
    expect(record.tenantId).toBe('tenant-a');
    expect(Object.keys(record)).toEqual(['timestamp', 'level', 'requestId', 'tenantId', 'message']);
    setCurrentRequestId('req-12');
    expect(parse(formatLogLine('JSON', 'INFO', ['hi'], EPOCH))).not.toHaveProperty('tenantId');
  });
});

describe('patchConsole', () => {
  function capture(env: NodeJS.ProcessEnv): string[] {
    const lines: string[] = [];
    patchConsole(env, (line) => lines.push(line));
    return lines;
  }

  it('maps each console method to its level', () => {
    setCurrentRequestId('req-20');
    const lines = capture({});
    console.log('via log');
    console.info('via info');
    console.warn('via warn');
    console.error('via error');
    console.debug('via debug');
    console.trace('via trace');
    expect(lines.map((line) => line.split('\t').slice(1))).toEqual([
      ['req-20', 'INFO', 'via log\n'],
      ['req-20', 'INFO', 'via info\n'],
      ['req-20', 'WARN', 'via warn\n'],
      ['req-20', 'ERROR', 'via error\n'],
      ['req-20', 'DEBUG', 'via debug\n'],
      ['req-20', 'TRACE', 'via trace\n'],
    ]);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t/);
  });

  it('AWS_LAMBDA_LOG_LEVEL=WARN suppresses trace, debug and info', () => {
    const lines = capture({ AWS_LAMBDA_LOG_LEVEL: 'WARN' });
    console.trace('t');
    console.debug('d');
    console.info('i');
    console.log('l');
    console.warn('w');
    console.error('e');
    expect(lines.map((line) => line.split('\t')[2])).toEqual(['WARN', 'ERROR']);
  });

  it('reads the log level case-insensitively', () => {
    const lines = capture({ AWS_LAMBDA_LOG_LEVEL: 'error' });
    console.warn('w');
    console.error('e');
    expect(lines.map((line) => line.split('\t')[2])).toEqual(['ERROR']);
  });

  it('AWS_LAMBDA_LOG_FORMAT=JSON writes JSON lines', () => {
    setCurrentRequestId('req-21');
    const lines = capture({ AWS_LAMBDA_LOG_FORMAT: 'JSON' });
    console.log('hello', 42);
    console.warn({ a: 1 });
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toMatchObject([
      { level: 'INFO', requestId: 'req-21', message: 'hello 42' },
      { level: 'WARN', requestId: 'req-21', message: { a: 1 } },
    ]);
  });

  it('JSON and a level filter combine', () => {
    const lines = capture({ AWS_LAMBDA_LOG_FORMAT: 'json', AWS_LAMBDA_LOG_LEVEL: 'ERROR' });
    console.log('dropped');
    console.warn('dropped');
    console.error('kept');
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([
      { level: 'ERROR', message: 'kept' },
    ]);
  });
});
