import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRELUDE_CONTENT_TYPE, SluiceError } from '../protocol/index.js';
import type { LambdaResponseStream } from './awslambda.js';
import { WriterStateError } from './errors.js';
import { ResponseStreamWriter } from './stream-writer.js';

/** A real Writable that records what reaches it; `delayMs` makes it a slow consumer. */
function collectingStream(options: { highWaterMark?: number; delayMs?: number } = {}) {
  const chunks: Buffer[] = [];
  let contentType = 'application/octet-stream';
  const stream = new Writable({
    highWaterMark: options.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      const accept = () => {
        chunks.push(chunk);
        callback();
      };
      if (options.delayMs) setTimeout(accept, options.delayMs);
      else accept();
    },
  }) as LambdaResponseStream;
  stream.setContentType = (value: string) => {
    contentType = value;
  };
  return {
    stream,
    chunks,
    contentType: () => contentType,
    text: () => Buffer.concat(chunks).toString('latin1'),
  };
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(SluiceError);
    return (error as SluiceError).code;
  }
  return undefined;
}

describe('ResponseStreamWriter state machine', () => {
  it('writes the prelude, then the body, then finishes', async () => {
    const sink = collectingStream();
    const writer = new ResponseStreamWriter(sink.stream);
    await writer.writeStatusAndHeaders({ statusCode: 200, headers: { a: 'b' }, cookies: ['c=d'] });
    await writer.write('one ');
    await writer.write(new TextEncoder().encode('two'));
    await writer.finish();
    expect(sink.contentType()).toBe(PRELUDE_CONTENT_TYPE);
    expect(sink.text()).toBe(
      `{"statusCode":200,"headers":{"a":"b"},"cookies":["c=d"]}${'\0'.repeat(8)}one two`,
    );
    expect(sink.stream.writableFinished).toBe(true);
    expect(writer.finished).toBe(true);
  });

  it('sends the prelude at once, so an empty body keeps its status', async () => {
    const sink = collectingStream();
    const writer = new ResponseStreamWriter(sink.stream);
    await writer.writeStatusAndHeaders({ statusCode: 304 });
    await writer.finish();
    expect(sink.text()).toBe(`{"statusCode":304}${'\0'.repeat(8)}`);
  });

  const illegal: Array<[string, (w: ResponseStreamWriter) => Promise<unknown>, string]> = [
    [
      'writeStatusAndHeaders twice',
      async (w) => {
        await w.writeStatusAndHeaders({ statusCode: 200 });
        return w.writeStatusAndHeaders({ statusCode: 200 });
      },
      'SLUICE_HEADERS_ALREADY_SENT',
    ],
    [
      'writeStatusAndHeaders after write',
      async (w) => {
        await w.write('x');
        return w.writeStatusAndHeaders({ statusCode: 200 });
      },
      'SLUICE_HEADERS_AFTER_WRITE',
    ],
    [
      'writeStatusAndHeaders after finish',
      async (w) => {
        await w.finish();
        return w.writeStatusAndHeaders({ statusCode: 200 });
      },
      'SLUICE_WRITE_AFTER_FINISH',
    ],
    [
      'write after finish',
      async (w) => {
        await w.finish();
        return w.write('x');
      },
      'SLUICE_WRITE_AFTER_FINISH',
    ],
    [
      'write after writeAndFinish',
      async (w) => {
        await w.writeAndFinish('x');
        return w.write('y');
      },
      'SLUICE_WRITE_AFTER_FINISH',
    ],
    [
      'finish twice',
      async (w) => {
        await w.finish();
        return w.finish();
      },
      'SLUICE_FINISH_AFTER_FINISH',
    ],
    [
      'finish after writeAndFinish',
      async (w) => {
        await w.writeAndFinish('x');
        return w.finish();
      },
      'SLUICE_FINISH_AFTER_FINISH',
    ],
    [
      'writeAndFinish after finish',
      async (w) => {
        await w.finish();
        return w.writeAndFinish('x');
      },
      'SLUICE_FINISH_AFTER_FINISH',
    ],
    ['write(null)', async (w) => w.write(null as unknown as string), 'SLUICE_INVALID_CHUNK'],
    ['write(number)', async (w) => w.write(42 as unknown as string), 'SLUICE_INVALID_CHUNK'],
    ['statusCode 99', async (w) => w.writeStatusAndHeaders({ statusCode: 99 }), 'SLUICE_INVALID_STATUS_CODE'],
    [
      'statusCode 600',
      async (w) => w.writeStatusAndHeaders({ statusCode: 600 }),
      'SLUICE_INVALID_STATUS_CODE',
    ],
    [
      'statusCode 200.5',
      async (w) => w.writeStatusAndHeaders({ statusCode: 200.5 }),
      'SLUICE_INVALID_STATUS_CODE',
    ],
  ];

  it.each(illegal)('%s throws a typed error with a stable code', async (_name, act, code) => {
    const writer = new ResponseStreamWriter(collectingStream().stream);
    const error = await act(writer).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SluiceError);
    expect((error as SluiceError).code).toBe(code);
  });

  it('throws state errors synchronously, so an unawaited misuse still surfaces', async () => {
    const writer = new ResponseStreamWriter(collectingStream().stream);
    await writer.finish();
    expect(() => writer.write('late')).toThrow(WriterStateError);
    expect(() => writer.finish()).toThrow(
      expect.objectContaining({ name: 'Runtime.InvalidStreamingOperation' }),
    );
  });

  it('leaves the response untouched after an illegal call', async () => {
    const sink = collectingStream();
    const writer = new ResponseStreamWriter(sink.stream);
    await writer.write('body');
    expect(codeOf(() => writer.writeStatusAndHeaders({ statusCode: 500 }))).toBe(
      'SLUICE_HEADERS_AFTER_WRITE',
    );
    await writer.finish();
    expect(sink.text()).toBe('body');
  });

  it('matches a model of the state machine for any sequence of calls', async () => {
    type Op = 'headers' | 'write' | 'finish' | 'writeAndFinish';
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<Op>('headers', 'write', 'finish', 'writeAndFinish'), { maxLength: 8 }),
        async (ops) => {
          const sink = collectingStream();
          const writer = new ResponseStreamWriter(sink.stream);
          let state: 'idle' | 'headers' | 'streaming' | 'finished' = 'idle';
          let expectedBody = '';
          for (const op of ops) {
            let expected: string | undefined;
            if (state === 'finished') {
              expected =
                op === 'finish' || op === 'writeAndFinish'
                  ? 'SLUICE_FINISH_AFTER_FINISH'
                  : 'SLUICE_WRITE_AFTER_FINISH';
            } else if (op === 'headers' && state === 'headers') expected = 'SLUICE_HEADERS_ALREADY_SENT';
            else if (op === 'headers' && state === 'streaming') expected = 'SLUICE_HEADERS_AFTER_WRITE';
            const call = () =>
              op === 'headers'
                ? writer.writeStatusAndHeaders({ statusCode: 200 })
                : op === 'write'
                  ? writer.write('w')
                  : op === 'finish'
                    ? writer.finish()
                    : writer.writeAndFinish('f');
            if (expected) {
              expect(codeOf(call)).toBe(expected);
              continue;
            }
            await call();
            if (op === 'headers') {
              state = 'headers';
              expectedBody += `{"statusCode":200}${'\0'.repeat(8)}`;
            } else if (op === 'write') {
              state = 'streaming';
              expectedBody += 'w';
            } else {
              state = 'finished';
              if (op === 'writeAndFinish') expectedBody += 'f';
            }
          }
          expect(writer.finished).toBe(state === 'finished');
          expect(sink.text()).toBe(expectedBody);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('ResponseStreamWriter backpressure', () => {
  it('resolves write() only once a slow consumer has drained', async () => {
    const sink = collectingStream({ highWaterMark: 8, delayMs: 20 });
    const writer = new ResponseStreamWriter(sink.stream);
    let resolved = false;
    const pending = writer.write('0123456789abcdef').then(() => {
      resolved = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(resolved).toBe(false);
    expect(sink.chunks).toHaveLength(0);
    await pending;
    expect(sink.chunks).toHaveLength(1);
  });

  it('never holds more than one chunk beyond the high-water mark for a producer that awaits', async () => {
    const sink = collectingStream({ highWaterMark: 1024, delayMs: 1 });
    const writer = new ResponseStreamWriter(sink.stream);
    let peak = 0;
    const chunk = Buffer.alloc(512, 7);
    for (let i = 0; i < 50; i++) {
      await writer.write(chunk);
      peak = Math.max(peak, sink.stream.writableLength);
    }
    await writer.finish();
    expect(peak).toBeLessThanOrEqual(1024 + 512);
    expect(Buffer.concat(sink.chunks).length).toBe(50 * 512);
  });

  it('rejects finish() on a stream that failed, instead of leaving it pending', async () => {
    // Regression: once the response stream was destroyed (a reset connection), end() emitted nothing more and
    // finish() never settled, so a handler that caught the write error and returned hung until its timeout.
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('connection reset'));
      },
    }) as LambdaResponseStream;
    stream.setContentType = () => {};
    const writer = new ResponseStreamWriter(stream);
    await expect(writer.write('data')).rejects.toThrow('connection reset');
    await expect(writer.finish()).rejects.toThrow('connection reset');
  });

  it('rejects a pending write when the stream fails', async () => {
    const stream = new Writable({
      highWaterMark: 1,
      write(_chunk, _encoding, callback) {
        setTimeout(() => callback(new Error('connection reset')), 5);
      },
    }) as LambdaResponseStream;
    stream.setContentType = () => {};
    const writer = new ResponseStreamWriter(stream);
    await expect(writer.write('data')).rejects.toThrow('connection reset');
  });
});
