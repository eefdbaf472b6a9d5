// The handlers every contender runs, written for the `awslambda` global that both sluice's runtime and AWS's
// Node runtime client (aws-lambda-ric) install. Through a function URL the event is a payload 2.0 HTTP event
// (parameters in the query string) and the response carries an HTTP prelude, as real functions' do; through
// InvokeWithResponseStream the event is the JSON payload and the stream is the plain byte stream.
import { once } from 'node:events';

const isHttp = (event) => typeof event?.requestContext === 'object';
const parameters = (event) => (isHttp(event) ? (event.queryStringParameters ?? {}) : (event ?? {}));
const open = (event, responseStream) =>
  isHttp(event)
    ? awslambda.HttpResponseStream.from(responseStream, {
        statusCode: 200,
        headers: { 'content-type': 'application/octet-stream' },
      })
    : responseStream;

// Time to first byte: the first write carries the handler's monotonic clock (process.hrtime reads
// CLOCK_MONOTONIC, one clock for every process on the machine), taken just before the write. The handler then
// holds the stream open, so a runtime that keeps small chunks back until the end is caught doing it.
export const ttfb = awslambda.streamifyResponse(async (event, responseStream) => {
  const stream = open(event, responseStream);
  stream.write(`T${process.hrtime.bigint()}\n`);
  await new Promise((resolve) => setTimeout(resolve, Number(parameters(event).hold ?? 10)));
  stream.end('end\n');
});

// Throughput and memory: `bytes` in writes of `chunk` bytes, awaiting 'drain' whenever write() says to.
export const stream = awslambda.streamifyResponse(async (event, responseStream) => {
  const { bytes, chunk } = parameters(event);
  const total = Number(bytes);
  const size = Number(chunk);
  const stream = open(event, responseStream);
  const buffer = Buffer.alloc(size, 'x');
  for (let sent = 0; sent < total; sent += size) {
    const piece = total - sent < size ? buffer.subarray(0, total - sent) : buffer;
    if (!stream.write(piece)) await once(stream, 'drain');
  }
  stream.end();
});

// Invocation overhead: the smallest buffered function.
export const tiny = async () => 'ok';
