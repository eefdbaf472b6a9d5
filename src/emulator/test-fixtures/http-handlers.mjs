// Handlers for the HTTP front tests (function URLs, REST APIs, the local /invoke endpoint). Most use what AWS's
// Node runtime provides (the `awslambda` global); `statusWriter` uses sluice's own `streamingHandler` from the
// build (dist/). Options come from the query string of a function URL or REST request, or from the JSON body
// of a local /invoke.
import { setTimeout as sleep } from 'node:timers/promises';
import { streamingHandler } from '../../../dist/index.js';

const PRELUDE_TYPE = 'application/vnd.awslambda.http-integration-response';
const NULS = Buffer.alloc(8);

const write = (stream, chunk) =>
  new Promise((resolve, reject) => {
    if (stream.write(chunk)) resolve();
    else {
      stream.once('drain', resolve);
      stream.once('error', reject);
    }
  });

const options = (event) => ({ ...(event.queryStringParameters ?? {}), ...(event.options ?? {}) });

const requestBody = (event) =>
  event.body === undefined || event.body === null
    ? Buffer.alloc(0)
    : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');

/**
 * Writes `count` lines `line <i> <epoch ms when written>`, `interval` ms apart (the timing tests), after a prelude
 * when `prelude=1`.
 */
export const lines = awslambda.streamifyResponse(async (event, responseStream) => {
  const { count = '5', interval = '200', prelude } = options(event);
  const stream = prelude
    ? awslambda.HttpResponseStream.from(responseStream, {
        statusCode: 200,
        headers: { 'Content-Type': 'text/plain' },
      })
    : responseStream;
  if (!prelude) responseStream.setContentType('text/plain');
  for (let i = 0; i < Number(count); i++) {
    if (i > 0) await sleep(Number(interval));
    await write(stream, `line ${i} ${Date.now()}\n`);
  }
  stream.end();
});

/** Status, headers and cookies through `awslambda.HttpResponseStream.from`, then two chunks. */
export const statusFrom = awslambda.streamifyResponse(async (_event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 418,
    headers: { 'Content-Type': 'text/plain', 'X-My-Header': 'from-from', 'Content-Length': '999' },
    cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
  });
  await write(stream, 'I am ');
  await sleep(50);
  await write(stream, 'a teapot');
  stream.end();
});

/** Status, headers and cookies through sluice's `writeStatusAndHeaders` (the Swift example's 418). */
export const statusWriter = streamingHandler(async (_event, writer) => {
  await writer.writeStatusAndHeaders({
    statusCode: 418,
    headers: { 'Content-Type': 'text/plain', 'x-my-custom-header': 'streaming-example' },
    cookies: ['session=abc; Secure'],
  });
  for (let i = 1; i <= 3; i++) await writer.write(`Number: ${i}\n`);
  await writer.writeAndFinish('Streaming complete!\n');
});

/** Writes the event it received as JSON (no prelude). */
export const echoEvent = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.setContentType('application/json');
  responseStream.end(JSON.stringify(event));
});

/** Writes the request body back, byte for byte. */
export const binaryEcho = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.setContentType('application/octet-stream');
  const body = requestBody(event);
  const half = Math.floor(body.length / 2);
  await write(responseStream, body.subarray(0, half));
  await write(responseStream, body.subarray(half));
  responseStream.end();
});

/** Streams `bytes` bytes of pattern data (`chunk` bytes per write), for incremental-read and binary tests. */
export const pattern = awslambda.streamifyResponse(async (event, responseStream) => {
  const { bytes = '65536', chunk = '16384', interval = '0' } = options(event);
  responseStream.setContentType('application/octet-stream');
  const total = Number(bytes);
  for (let offset = 0; offset < total; offset += Number(chunk)) {
    const size = Math.min(Number(chunk), total - offset);
    const piece = Buffer.alloc(size);
    for (let i = 0; i < size; i++) piece[i] = (offset + i) % 251;
    await write(responseStream, piece);
    if (Number(interval) > 0) await sleep(Number(interval));
  }
  responseStream.end();
});

/** Writes the prelude bytes it is told to, raw, under the prelude content type. */
export const rawPrelude = awslambda.streamifyResponse(async (event, responseStream) => {
  const { kind } = options(event);
  responseStream.setContentType(PRELUDE_TYPE);
  if (kind === 'bad-json') {
    await write(
      responseStream,
      Buffer.concat([Buffer.from('{"statusCode": 200,'), NULS, Buffer.from('body')]),
    );
  } else if (kind === 'no-delimiter') {
    // aws-lambda-nodejs-runtime-interface-client#97: `from()` then `end("Not Found")` sends no delimiter.
    await write(responseStream, 'Not Found');
  } else if (kind === 'huge') {
    const prelude = JSON.stringify({ statusCode: 200, headers: { 'x-big': 'x'.repeat(20_000) } });
    await write(responseStream, Buffer.concat([Buffer.from(prelude), NULS, Buffer.from('body')]));
  } else if (kind === 'split') {
    // The prelude and delimiter arrive byte by byte, then the body in two writes.
    const bytes = Buffer.concat([
      Buffer.from(JSON.stringify({ statusCode: 202, headers: { 'x-split': 'yes' } })),
      NULS,
    ]);
    for (const byte of bytes) await write(responseStream, Buffer.from([byte]));
    await write(responseStream, 'split ');
    await write(responseStream, 'body');
  } else if (kind === 'content-length') {
    const prelude = JSON.stringify({ statusCode: 200, headers: { 'Content-Length': '11' } });
    await write(responseStream, Buffer.concat([Buffer.from(prelude), NULS, Buffer.from('hello ')]));
    await write(responseStream, 'world');
  } else if (kind === 'never') {
    // A prelude whose delimiter never comes, in a stream that goes on.
    await write(responseStream, '{"statusCode":200}');
    for (let i = 0; i < 100; i++) await write(responseStream, 'x'.repeat(1024));
  }
  responseStream.end();
});

/** Writes a chunk (after a prelude when `prelude=1`), then fails (`mode=throw`) or hangs past its deadline. */
export const midStream = awslambda.streamifyResponse(async (event, responseStream) => {
  const { mode = 'throw', prelude } = options(event);
  const stream = prelude
    ? awslambda.HttpResponseStream.from(responseStream, {
        statusCode: 200,
        headers: { 'Content-Type': 'text/plain' },
      })
    : responseStream;
  await write(stream, 'partial ');
  await sleep(100);
  if (mode === 'throw') throw new RangeError('boom midstream');
  await new Promise(() => setInterval(() => {}, 1000));
});

/** Fails before writing anything. */
export const failEarly = awslambda.streamifyResponse(async () => {
  throw new TypeError('failed before the head');
});

/** Writes `tick <i>` every `interval` ms, `count` times, then logs `ticker finished <count>`. */
export const ticker = awslambda.streamifyResponse(async (event, responseStream) => {
  const { count = '20', interval = '100' } = options(event);
  for (let i = 0; i < Number(count); i++) {
    await write(responseStream, `tick ${i}\n`);
    await sleep(Number(interval));
  }
  console.log(`ticker finished ${count}`);
  responseStream.end();
});

/** Buffered: answers what `kind` says, the shapes of http-fronts.md §1.3. */
export const buffered = async (event) => {
  const { kind = 'object' } = options(event);
  switch (kind) {
    case 'string':
      return 'hello';
    case 'number':
      return 3.1;
    case 'array':
      return ['hello', 3, true];
    case 'object':
      return { hello: 'world' };
    case 'full':
      return {
        statusCode: '418',
        headers: { 'Content-Type': 'text/plain', 'x-custom': 'Custom Value' },
        cookies: ['c1=blue', 'c2=red'],
        body: "i'm a teapot",
      };
    case 'no-type':
      return { statusCode: 200, body: 'body123' };
    case 'object-body':
      return { statusCode: 201, body: { made: true } };
    case 'base64':
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/octet-stream' },
        isBase64Encoded: true,
        body: requestBody(event).toString('base64'),
      };
    case 'throw':
      throw new Error('buffered failure');
    default:
      return { kind };
  }
};

/** REST streaming: prelude with headers, multiValueHeaders and cookies, then the API Gateway docs' payloads. */
export const restStream = awslambda.streamifyResponse(async (event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 201,
    headers: { 'x-foo': 'bar', 'x-mv1': 'dropped', 'Content-Type': 'text/plain' },
    multiValueHeaders: { 'x-mv1': ['hello', 'world'] },
    cookies: ['c1=blue', 'c2=red'],
  });
  await write(stream, `First payload ${event.httpMethod} ${event.resource} `);
  await sleep(50);
  await write(stream, 'Final payload');
  stream.end();
});

/** REST streaming with the prelude and delimiter written by hand under application/octet-stream (API GW DG 3). */
export const restManualPrelude = awslambda.streamifyResponse(async (_event, responseStream) => {
  await write(
    responseStream,
    Buffer.concat([Buffer.from('{"statusCode": 200, "headers": {"hdr-x": "val-x"}}'), NULS]),
  );
  await write(responseStream, 'FIRST payload ');
  await write(responseStream, 'FINAL payload');
  responseStream.end();
});

/** Streams without a prelude: behind a REST STREAM integration that is a 500. */
export const plainStream = awslambda.streamifyResponse(async (_event, responseStream) => {
  responseStream.setContentType('text/plain');
  await write(responseStream, 'no prelude here');
  responseStream.end();
});

/** Buffered REST proxy: echoes the event back as the body. */
export const restProxy = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'x-single': 'one' },
  multiValueHeaders: { 'x-multi': ['a', 'b'] },
  body: JSON.stringify(event),
});

/** Buffered REST proxy returning something that is not a proxy response. */
export const restMalformed = async () => ({ hello: 'no statusCode' });

/** The Swift local-server tests: `Chunk i` three times, 50 ms apart. */
export const chunks = awslambda.streamifyResponse(async (_event, responseStream) => {
  for (let i = 1; i <= 3; i++) {
    await write(responseStream, `Chunk ${i}\n`);
    await sleep(50);
  }
  responseStream.end();
});

/** A prelude (status 201) the local /invoke endpoint passes through raw. */
export const preludeRaw = awslambda.streamifyResponse(async (event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 201,
    headers: { 'X-Custom-Header': 'yes' },
  });
  await write(stream, `Echo: ${JSON.stringify(event)}\n`);
  stream.end();
});
