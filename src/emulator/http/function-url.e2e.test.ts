import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lineOrderProblems,
  nodeRequest,
  parseCurlHead,
  runCurl,
  timedLines,
} from '../../../test/support/http-clients.js';
import { functionUrlDecoderProblems } from '../../../test/support/http-events.js';
import { type Emulator, startEmulator } from '../emulator.js';
import type { FunctionDefinition, FunctionUrlDefinition } from '../function-config.js';
import type { LogEntry } from '../logger.js';

// Function URLs end to end over real sockets: curl, fetch and Node's http client against the emulator, running
// sluice's runtime (dist/) in real child processes.

const FIXTURES = fileURLToPath(new URL('../test-fixtures', import.meta.url));
const stream: FunctionUrlDefinition = { invokeMode: 'RESPONSE_STREAM' };
const fn = (name: string, handler: string, extra: Partial<FunctionDefinition> = {}): FunctionDefinition => ({
  name,
  code: FIXTURES,
  handler: `http-handlers.${handler}`,
  url: stream,
  ...extra,
});

/** Each `line <i> <written at>` must arrive before the function wrote the next one. */
function expectEachLineBeforeTheNext(lines: Array<{ text: string; at: number }>, count: number): void {
  expect(lineOrderProblems(lines, count)).toEqual([]);
}

describe('function URLs', () => {
  let emulator: Emulator;
  let base: string;
  const logs: LogEntry[] = [];
  const logged = (pattern: RegExp, functionName?: string) =>
    logs.some(
      (entry) => (!functionName || entry.functionName === functionName) && pattern.test(entry.message),
    );

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      logger: (entry) => logs.push(entry),
      functions: [
        fn('lines', 'lines'),
        fn('statusFrom', 'statusFrom'),
        fn('statusWriter', 'statusWriter'),
        fn('echoEvent', 'echoEvent'),
        fn('binaryEcho', 'binaryEcho'),
        fn('pattern', 'pattern'),
        fn('rawPrelude', 'rawPrelude'),
        fn('midStream', 'midStream', { timeout: 2 }),
        fn('failEarly', 'failEarly'),
        fn('ticker', 'ticker', { reservedConcurrency: 1, timeout: 20 }),
        fn('hang', 'midStream', { reservedConcurrency: 1, timeout: 2 }),
        fn('buffered', 'buffered', { url: {} }),
        fn('streamBuffered', 'lines', { url: { invokeMode: 'BUFFERED' } }),
        fn('cors', 'echoEvent', {
          url: {
            invokeMode: 'RESPONSE_STREAM',
            cors: {
              allowOrigins: ['https://app.example'],
              allowMethods: ['GET', 'POST'],
              allowHeaders: ['content-type'],
              exposeHeaders: ['x-amzn-requestid'],
              maxAge: 600,
              allowCredentials: true,
            },
          },
        }),
        { name: 'noUrl', code: FIXTURES, handler: 'http-handlers.echoEvent' },
      ],
    });
    base = `${emulator.url}/lambda-url`;
  });

  afterAll(async () => {
    await emulator?.close();
  });

  describe('RESPONSE_STREAM', () => {
    it('curl --no-buffer shows each line before the function writes the next (lines 200 ms apart)', async () => {
      const result = await runCurl(['--no-buffer', '-sS', '-N', `${base}/lines/?count=6&interval=200`]);
      expect(result.code).toBe(0);
      expectEachLineBeforeTheNext(timedLines(result.chunks), 6);
    });

    it('fetch() reads the stream incrementally', async () => {
      const response = await fetch(`${base}/lines/?count=4&interval=200`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain');
      expect(response.headers.get('transfer-encoding')).toBe('chunked');
      const chunks: Array<{ at: number; data: Buffer }> = [];
      const reader = response.body!.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        chunks.push({ at: Date.now(), data: Buffer.from(read.value) });
      }
      expectEachLineBeforeTheNext(timedLines(chunks), 4);
    });

    it("Node's http client reads the stream incrementally, through the function's own host name", async () => {
      const result = await nodeRequest(`${emulator.url}/?count=4&interval=200`, {
        host: `lines.lambda-url.localhost:${emulator.port}`,
      });
      expect(result.status).toBe(200);
      expectEachLineBeforeTheNext(timedLines(result.chunks), 4);
    });

    it('curl reaches the function at <FunctionName>.lambda-url.localhost', async () => {
      const result = await runCurl(['-sS', `http://statusFrom.lambda-url.localhost:${emulator.port}/`]);
      expect(result.stdout.toString()).toBe('I am a teapot');
    });

    it('sends status, headers and cookies from HttpResponseStream.from as the HTTP head', async () => {
      const result = await nodeRequest(`${base}/statusFrom/`);
      expect(result.status).toBe(418);
      expect(result.headers['content-type']).toBe('text/plain');
      expect(result.headers['x-my-header']).toBe('from-from');
      expect(result.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
      // The response is chunked: a declared Content-Length is remapped, as Lambda does.
      expect(result.headers['x-amzn-remapped-content-length']).toBe('999');
      expect(result.headers['content-length']).toBeUndefined();
      expect(result.headers['transfer-encoding']).toBe('chunked');
      expect(result.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.body.toString()).toBe('I am a teapot');
    });

    it("sends status, headers and cookies from sluice's writeStatusAndHeaders as the HTTP head (curl)", async () => {
      const result = await runCurl(['-sS', '-N', '-i', `${base}/statusWriter/`]);
      const head = parseCurlHead(result.stdout.toString());
      expect(head.status).toBe(418);
      expect(head.headers).toContainEqual(['content-type', 'text/plain']);
      expect(head.headers).toContainEqual(['x-my-custom-header', 'streaming-example']);
      expect(head.headers).toContainEqual(['set-cookie', 'session=abc; Secure']);
      expect(head.body).toBe('Number: 1\nNumber: 2\nNumber: 3\nStreaming complete!\n');
    });

    it('remaps a Content-Length the prelude declares and streams chunked', async () => {
      const result = await nodeRequest(`${base}/rawPrelude/?kind=content-length`);
      expect(result.status).toBe(200);
      expect(result.headers['x-amzn-remapped-content-length']).toBe('11');
      expect(result.headers['transfer-encoding']).toBe('chunked');
      expect(result.body.toString()).toBe('hello world');
    });

    it('reads a prelude that arrives byte by byte', async () => {
      const result = await nodeRequest(`${base}/rawPrelude/?kind=split`);
      expect(result.status).toBe(202);
      expect(result.headers['x-split']).toBe('yes');
      expect(result.body.toString()).toBe('split body');
    });

    it('round-trips binary request and response bodies byte-exact', async () => {
      const body = randomBytes(1024 * 1024 + 7);
      const response = await fetch(`${base}/binaryEcho/`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/octet-stream');
      expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);

      const total = 300_001;
      const pattern = await nodeRequest(`${base}/pattern/?bytes=${total}&chunk=65536`);
      const expected = Buffer.alloc(total);
      for (let i = 0; i < total; i++) expected[i] = i % 251;
      expect(pattern.body.equals(expected)).toBe(true);
    });

    it('delivers the payload 2.0 event, with the /lambda-url/<name> prefix removed', async () => {
      const result = await nodeRequest(`${base}/echoEvent/some/path%20x?b=2&a=1&a=3`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-dup': ['one', 'two'],
          cookie: 'c1=v1; c2=v2',
          'user-agent': 'sluice-test',
        },
        body: '{"hello":"world"}',
      });
      const event = JSON.parse(result.body.toString());
      expect(functionUrlDecoderProblems(event)).toEqual([]);
      expect(event).toMatchObject({
        version: '2.0',
        rawPath: '/some/path%20x',
        rawQueryString: 'b=2&a=1&a=3',
        queryStringParameters: { b: '2', a: '1,3' },
        cookies: ['c1=v1', 'c2=v2'],
        body: '{"hello":"world"}',
        isBase64Encoded: false,
        requestContext: {
          accountId: 'anonymous',
          apiId: 'echoEvent',
          domainName: 'echoEvent.lambda-url.localhost',
          http: { method: 'POST', path: '/some/path x', protocol: 'HTTP/1.1', userAgent: 'sluice-test' },
          requestId: result.headers['x-amzn-requestid'],
        },
      });
      expect(event.headers).toMatchObject({ 'x-dup': 'one,two', 'x-forwarded-proto': 'http' });
      expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(60_000);
    });

    it('finds the function from a lower-cased host name', async () => {
      const result = await nodeRequest(`${emulator.url}/x`, {
        host: `echoevent.lambda-url.localhost:${emulator.port}`,
      });
      expect(JSON.parse(result.body.toString())).toMatchObject({ rawPath: '/x' });
    });
  });

  describe('BUFFERED', () => {
    it.each([
      ['string', 200, 'application/json', 'hello'],
      ['number', 200, 'application/json', '3.1'],
      ['array', 200, 'application/json', '["hello",3,true]'],
      ['object', 200, 'application/json', '{"hello":"world"}'],
      ['no-type', 200, 'application/json', 'body123'],
      ['object-body', 201, 'application/json', '{"made":true}'],
    ])('answers a %s result as AWS does', async (kind, status, contentType, body) => {
      const response = await fetch(`${base}/buffered/?kind=${kind}`);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe(contentType);
      expect(await response.text()).toBe(body);
    });

    it('answers a full result with its status (a string), headers and cookies', async () => {
      const response = await fetch(`${base}/buffered/?kind=full`);
      expect(response.status).toBe(418);
      expect(response.headers.get('content-type')).toBe('text/plain');
      expect(response.headers.get('x-custom')).toBe('Custom Value');
      expect(response.headers.getSetCookie()).toEqual(['c1=blue', 'c2=red']);
      expect(response.headers.get('content-length')).toBe('12');
      expect(await response.text()).toBe("i'm a teapot");
    });

    it('round-trips a binary body through isBase64Encoded', async () => {
      const body = randomBytes(200_000);
      const response = await fetch(`${base}/buffered/?kind=base64`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body,
      });
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);
    });

    it('answers an unhandled error with 502', async () => {
      const response = await fetch(`${base}/buffered/?kind=throw`);
      expect(response.status).toBe(502);
      expect(await response.text()).toBe('Internal Server Error');
    });

    it('delivers a streaming handler behind a BUFFERED URL whole, with its content type', async () => {
      const result = await nodeRequest(`${base}/streamBuffered/?count=3&interval=150`);
      expect(result.status).toBe(200);
      expect(result.headers['content-type']).toBe('text/plain');
      expect(result.headers['content-length']).toBe(String(result.body.length));
      expect(timedLines(result.chunks).map((line) => line.text.slice(0, 6))).toEqual([
        'line 0',
        'line 1',
        'line 2',
      ]);
    });
  });

  describe('bad input gets AWS status codes, and the server keeps serving', () => {
    const stillServing = async () => {
      const response = await fetch(`${base}/buffered/?kind=string`);
      expect(await response.text()).toBe('hello');
    };

    it.each([
      ['bad-json', 'malformed prelude JSON'],
      ['no-delimiter', 'a prelude without its delimiter (end("Not Found"))'],
      ['huge', 'a prelude over 16 KB (oversized headers)'],
      ['never', 'a prelude whose delimiter never comes in a stream that goes on'],
    ])('%s: %s → 502', async (kind) => {
      const response = await fetch(`${base}/rawPrelude/?kind=${kind}`);
      expect(response.status).toBe(502);
      expect(await response.text()).toBe('Internal Server Error');
      await stillServing();
    });

    it('answers request headers over 16 KB with 431', async () => {
      const result = await nodeRequest(`${base}/buffered/`, { headers: { 'x-big': 'x'.repeat(20_000) } });
      expect(result.status).toBe(431);
      await stillServing();
    });

    it('answers a request body over 6 MB with 413 and AWS’s body, declared or chunked', async () => {
      const body = Buffer.alloc(6 * 1024 * 1024 + 1, 'a');
      const expected = {
        Message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
      };
      const declared = await nodeRequest(`${base}/buffered/`, { method: 'POST', body });
      expect(declared.status).toBe(413);
      expect(declared.headers['x-amzn-errortype']).toBe('RequestEntityTooLargeException');
      expect(JSON.parse(declared.body.toString())).toEqual(expected);
      const chunked = await nodeRequest(`${base}/buffered/`, { method: 'POST', body, chunked: true });
      expect(chunked.status).toBe(413);
      expect(JSON.parse(chunked.body.toString())).toEqual(expected);
      await stillServing();
    });

    it('answers a function error before the head with 502', async () => {
      const response = await fetch(`${base}/failEarly/`);
      expect(response.status).toBe(502);
      await stillServing();
    });

    it('cuts the connection without the final chunk when the function fails after the head', async () => {
      const result = await runCurl(['-sS', '-N', `${base}/midStream/?prelude=1&mode=throw`]);
      // curl: "transfer closed with outstanding read data remaining".
      expect(result.code).toBe(18);
      expect(result.stdout.toString()).toBe('partial ');
      const node = await nodeRequest(`${base}/midStream/?mode=throw`);
      expect(node.status).toBe(200);
      expect(node.error).toBe('aborted');
      expect(node.body.toString()).toBe('partial ');
      await expect
        .poll(() => logged(/failed after the response head was sent \(RangeError/, 'midStream'))
        .toBe(true);
      await stillServing();
    });

    it('cuts the connection without the final chunk when the function times out after the head', async () => {
      const result = await runCurl(['-sS', '-N', `${base}/midStream/?mode=hang`]);
      expect(result.code).toBe(18);
      expect(result.stdout.toString()).toBe('partial ');
      expect(logged(/Task timed out after 2\.00 seconds/, 'midStream')).toBe(true);
      await stillServing();
    });

    it('can end the body cleanly instead (midStreamError: "end")', async () => {
      const clean = await startEmulator({
        port: 0,
        logger: () => {},
        midStreamError: 'end',
        functions: [fn('midStream', 'midStream')],
      });
      try {
        const result = await runCurl(['-sS', '-N', `${clean.url}/lambda-url/midStream/?mode=throw`]);
        expect(result.code).toBe(0);
        expect(result.stdout.toString()).toBe('partial ');
      } finally {
        await clean.close();
      }
    });

    it('answers 429 beyond the reserved concurrency', async () => {
      let release!: () => void;
      const started = new Promise<void>((resolve) => {
        release = resolve;
      });
      const first = nodeRequest(`${base}/ticker/?count=6&interval=100`, {
        onChunk: () => {
          release();
          return undefined;
        },
      });
      await started;
      const second = await nodeRequest(`${base}/ticker/?count=1`);
      expect(second.status).toBe(429);
      expect(JSON.parse(second.body.toString())).toEqual({ Message: 'Rate Exceeded.' });
      expect((await first).body.toString()).toContain('tick 5');
    });

    it('lets a function run to completion after its client disconnects, and frees its capacity', async () => {
      const result = await nodeRequest(`${base}/ticker/?count=15&interval=100`, { onChunk: () => 'stop' });
      expect(result.error).toBe('stopped');
      const requestId = result.headers['x-amzn-requestid'];
      // Not interrupted (AWS): the function writes its 15 ticks and logs that it finished.
      await expect
        .poll(() => logs.some((e) => e.requestId === requestId && e.message.includes('ticker finished 15')), {
          timeout: 15_000,
        })
        .toBe(true);
      await expect
        .poll(() => logs.some((e) => e.requestId === requestId && e.message.startsWith('END')))
        .toBe(true);
      expect(logs.some((e) => e.requestId === requestId && /disconnected/.test(e.message))).toBe(true);
      // The reserved concurrency of 1 is free again: nothing is left holding it.
      const next = await nodeRequest(`${base}/ticker/?count=1`);
      expect(next.status).toBe(200);
      expect(next.body.toString()).toBe('tick 0\n');
    });

    it('stops a function that outlives its disconnected client at its deadline', async () => {
      const result = await nodeRequest(`${base}/hang/?mode=hang`, { onChunk: () => 'stop' });
      const requestId = result.headers['x-amzn-requestid'];
      await expect
        .poll(
          () =>
            logs.some(
              (e) => e.requestId === requestId && /Task timed out after 2\.00 seconds/.test(e.message),
            ),
          {
            timeout: 10_000,
          },
        )
        .toBe(true);
      const next = await nodeRequest(`${base}/hang/?mode=throw`);
      expect(next.status).toBe(200);
      expect(next.body.toString()).toBe('partial ');
    });
  });

  describe('addressing and CORS', () => {
    it('answers an unknown URL, or a function without one, with 403 {"Message":null}', async () => {
      for (const url of [`${base}/nope/`, `${base}/noUrl/`, `http://127.0.0.1:${emulator.port}/`]) {
        const result = await nodeRequest(
          url,
          url.endsWith(`${emulator.port}/`) ? { host: `nope.lambda-url.localhost` } : {},
        );
        expect(result.status).toBe(403);
        expect(result.headers['x-amzn-errortype']).toBe('AccessDeniedException');
        expect(JSON.parse(result.body.toString())).toEqual({ Message: null });
      }
    });

    it('answers a CORS preflight itself, with the URL’s configuration', async () => {
      const result = await nodeRequest(`${base}/cors/`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(result.status).toBe(200);
      expect(result.body.length).toBe(0);
      expect(result.headers).toMatchObject({
        'access-control-allow-origin': 'https://app.example',
        'access-control-allow-methods': 'GET,POST',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '600',
        'access-control-allow-credentials': 'true',
      });
    });

    it('adds CORS headers to responses for allowed origins only', async () => {
      const allowed = await nodeRequest(`${base}/cors/`, { headers: { origin: 'https://app.example' } });
      expect(allowed.status).toBe(200);
      expect(allowed.headers).toMatchObject({
        'access-control-allow-origin': 'https://app.example',
        'access-control-expose-headers': 'x-amzn-requestid',
        'access-control-allow-credentials': 'true',
      });
      const other = await nodeRequest(`${base}/cors/`, { headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
