import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResponseStream } from './response-stream.js';
import type { ResponseSink, RuntimeApiReply } from './runtime-client.js';

/** A sink whose transport takes `delayMs` per chunk, as a connection under backpressure does. */
function slowSink(delayMs: number) {
  const chunks: Buffer[] = [];
  let trailers: Record<string, string> | undefined;
  let ended = false;
  const sink: ResponseSink = {
    contentType: 'application/octet-stream',
    get started() {
      return chunks.length > 0 || ended;
    },
    write(chunk, done) {
      setTimeout(() => {
        chunks.push(Buffer.from(chunk));
        done();
      }, delayMs);
    },
    end(endTrailers) {
      ended = true;
      trailers = endTrailers;
      return Promise.resolve<RuntimeApiReply>({ statusCode: 202, body: '{"status":"OK"}\n' });
    },
    abort() {},
  };
  return { sink, chunks, trailers: () => trailers };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ResponseStream', () => {
  it('treats an error after end() as too late, even while earlier writes are still draining', async () => {
    // Regression: whether an error thrown after end() became error trailers depended on whether writes were
    // still buffered when it happened (large bodies: error; small ones: success). After end() it is too late,
    // as on AWS, whatever the timing.
    const { sink, chunks, trailers } = slowSink(20);
    const stream = new ResponseStream(sink, { highWaterMark: 4 });
    stream.write('0123456789');
    stream.end();
    expect(stream.fail({ errorType: 'Error', errorMessage: 'after end' })).toBe(false);
    const reply = await stream.completion;
    expect(reply.statusCode).toBe(202);
    expect(trailers()).toBeUndefined();
    expect(Buffer.concat(chunks).toString()).toBe('0123456789');
  });

  it('ends with error trailers when it fails before end()', async () => {
    const { sink, trailers } = slowSink(5);
    const stream = new ResponseStream(sink);
    stream.write('partial');
    expect(stream.fail({ errorType: 'RangeError', errorMessage: 'boom' })).toBe(true);
    await stream.completion;
    expect(trailers()).toMatchObject({ 'Lambda-Runtime-Function-Error-Type': 'RangeError' });
  });

  it('says so when the handler writes after end()', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { sink } = slowSink(0);
    const stream = new ResponseStream(sink);
    stream.end('done');
    stream.write('late');
    await new Promise((resolve) => setImmediate(resolve));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('after end()'));
  });
});
