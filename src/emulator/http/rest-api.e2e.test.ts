import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineOrderProblems, nodeRequest, runCurl, timedLines } from '../../../test/support/http-clients.js';
import { restDecoderProblems } from '../../../test/support/http-events.js';
import { type Emulator, startEmulator } from '../emulator.js';
import type { FunctionDefinition } from '../function-config.js';

// API Gateway REST APIs end to end: streaming (responseTransferMode STREAM) and buffered proxy routes.

const FIXTURES = fileURLToPath(new URL('../test-fixtures', import.meta.url));
const fn = (name: string, handler: string, extra: Partial<FunctionDefinition> = {}): FunctionDefinition => ({
  name,
  code: FIXTURES,
  handler: `http-handlers.${handler}`,
  ...extra,
});
const MISSING_TOKEN = { message: 'Missing Authentication Token' };

describe('REST APIs', () => {
  let emulator: Emulator;
  let base: string;

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      logger: () => {},
      functions: [
        fn('restStream', 'restStream'),
        fn('statusWriter', 'statusWriter'),
        fn('lines', 'lines'),
        fn('manual', 'restManualPrelude'),
        fn('plain', 'plainStream'),
        fn('raw', 'rawPrelude'),
        fn('midStream', 'midStream', { timeout: 2 }),
        fn('failEarly', 'failEarly'),
        fn('proxy', 'restProxy'),
        fn('malformed', 'restMalformed'),
      ],
      apis: [
        {
          name: 'StreamingApi',
          stage: 'prod',
          binaryMediaTypes: ['image/*'],
          routes: [
            { method: 'ANY', path: '/stream', function: 'statusWriter', streaming: true },
            { method: 'GET', path: '/items/{id}', function: 'restStream', streaming: true },
            { method: 'GET', path: '/lines', function: 'lines', streaming: true },
            { method: 'GET', path: '/manual', function: 'manual', streaming: true },
            { method: 'GET', path: '/plain', function: 'plain', streaming: true },
            { method: 'GET', path: '/raw', function: 'raw', streaming: true },
            { method: 'GET', path: '/mid', function: 'midStream', streaming: true },
            { method: 'GET', path: '/fail', function: 'failEarly', streaming: true },
            { method: 'ANY', path: '/proxy/{proxy+}', function: 'proxy' },
            { method: 'GET', path: '/malformed', function: 'malformed' },
            { method: 'GET', path: '/buffered-stream', function: 'restStream' },
          ],
        },
      ],
    });
    base = `${emulator.url}/prod`;
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('sets the head from the prelude (status, headers merged with multiValueHeaders, cookies)', async () => {
    const result = await nodeRequest(`${base}/items/42`);
    expect(result.status).toBe(201);
    expect(result.headers['x-foo']).toBe('bar');
    expect(result.rawHeaders.filter((_, i, all) => all[i - 1]?.toLowerCase() === 'x-mv1')).toEqual([
      'hello',
      'world',
    ]);
    expect(result.headers['set-cookie']).toEqual(['c1=blue', 'c2=red']);
    expect(result.headers['transfer-encoding']).toBe('chunked');
    expect(result.headers['x-amz-apigw-id']).toMatch(/=$/);
    expect(result.body.toString()).toBe('First payload GET /items/{id} Final payload');
  });

  it('streams the Swift example’s 418 through curl, line by line', async () => {
    const result = await runCurl(['-sS', '-N', '-i', `${base}/stream`]);
    const text = result.stdout.toString();
    expect(text).toMatch(/^HTTP\/1\.1 418 /);
    expect(text).toMatch(/\r\nx-my-custom-header: streaming-example\r\n/i);
    expect(text.endsWith('\r\n\r\nNumber: 1\nNumber: 2\nNumber: 3\nStreaming complete!\n')).toBe(true);
  });

  it('streams the body as it is written: each line arrives before the next is written', async () => {
    const result = await runCurl([
      '--no-buffer',
      '-sS',
      '-N',
      `${base}/lines?prelude=1&count=5&interval=200`,
    ]);
    expect(result.code).toBe(0);
    expect(lineOrderProblems(timedLines(result.chunks), 5)).toEqual([]);
  });

  it('accepts a prelude and delimiter written by hand under application/octet-stream (API Gateway docs example 3)', async () => {
    const result = await nodeRequest(`${base}/manual`);
    expect(result.status).toBe(200);
    expect(result.headers['hdr-x']).toBe('val-x');
    expect(result.body.toString()).toBe('FIRST payload FINAL payload');
  });

  it('keeps a Content-Length the prelude declares (API Gateway accepts it instead of chunked encoding)', async () => {
    const result = await nodeRequest(`${base}/raw?kind=content-length`);
    expect(result.status).toBe(200);
    expect(result.headers['content-length']).toBe('11');
    expect(result.headers['transfer-encoding']).toBeUndefined();
    expect(result.body.toString()).toBe('hello world');
  });

  it.each([
    ['/plain', 'no prelude at all'],
    ['/lines', 'no prelude, the body streaming'],
    ['/raw?kind=bad-json', 'malformed prelude JSON'],
    ['/raw?kind=no-delimiter', 'no delimiter before the end'],
    ['/raw?kind=huge', 'no delimiter within the first 16 KB'],
    ['/raw?kind=never', 'a delimiter that never comes'],
  ])('answers %s (%s) with 500', async (path) => {
    const result = await nodeRequest(`${base}${path}`);
    expect(result.status).toBe(500);
    expect(JSON.parse(result.body.toString())).toEqual({ message: 'Internal server error' });
  });

  it('answers a function error before the prelude with 502, and cuts the body after it', async () => {
    const early = await nodeRequest(`${base}/fail`);
    expect(early.status).toBe(502);
    expect(JSON.parse(early.body.toString())).toEqual({ message: 'Internal server error' });
    const late = await runCurl(['-sS', '-N', `${base}/mid?prelude=1&mode=throw`]);
    expect(late.code).toBe(18);
    expect(late.stdout.toString()).toBe('partial ');
  });

  it('passes the REST proxy event and reads a buffered proxy result', async () => {
    const result = await nodeRequest(`${base}/proxy/a/b%20c?x=1&x=2`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Dup': ['1', '2'] },
      body: '{"q":true}',
    });
    expect(result.status).toBe(200);
    expect(result.headers['x-single']).toBe('one');
    expect(result.rawHeaders.filter((_, i, all) => all[i - 1]?.toLowerCase() === 'x-multi')).toEqual([
      'a',
      'b',
    ]);
    const event = JSON.parse(result.body.toString());
    expect(restDecoderProblems(event)).toEqual([]);
    expect(event).toMatchObject({
      resource: '/proxy/{proxy+}',
      path: '/proxy/a/b%20c',
      httpMethod: 'POST',
      pathParameters: { proxy: 'a/b c' },
      queryStringParameters: { x: '2' },
      multiValueQueryStringParameters: { x: ['1', '2'] },
      multiValueHeaders: { 'X-Dup': ['1', '2'] },
      body: '{"q":true}',
      isBase64Encoded: false,
      requestContext: {
        stage: 'prod',
        path: '/prod/proxy/a/b%20c',
        apiId: 'streamingapi',
        resourcePath: '/proxy/{proxy+}',
      },
    });
    expect(event.headers['Content-Type']).toBe('application/json');
  });

  it('base64-encodes bodies of the API’s binary media types', async () => {
    const body = Buffer.from([0, 159, 146, 150, 255]);
    const result = await nodeRequest(`${base}/proxy/bin`, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body,
    });
    const event = JSON.parse(result.body.toString());
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, 'base64').equals(body)).toBe(true);
  });

  it('answers a malformed proxy result with 502, and a streamed prelude behind a buffered route without its body', async () => {
    const malformed = await nodeRequest(`${base}/malformed`);
    expect(malformed.status).toBe(502);
    const prelude = await nodeRequest(`${base}/buffered-stream`);
    expect(prelude.status).toBe(201);
    expect(prelude.headers['x-foo']).toBe('bar');
    expect(prelude.body.length).toBe(0);
  });

  it("answers unknown paths and methods with API Gateway's 403", async () => {
    for (const [method, path] of [
      ['GET', '/nothing'],
      ['POST', '/items/1'],
      ['GET', '/proxy'],
    ] as const) {
      const result = await nodeRequest(`${base}${path}`, { method });
      expect(result.status).toBe(403);
      expect(result.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      expect(JSON.parse(result.body.toString())).toEqual(MISSING_TOKEN);
    }
  });

  it('serves the API at <apiId>.execute-api.localhost too', async () => {
    const result = await nodeRequest(`${emulator.url}/prod/manual`, {
      host: `streamingapi.execute-api.localhost:${emulator.port}`,
    });
    expect(result.status).toBe(200);
    expect(result.body.toString()).toBe('FIRST payload FINAL payload');
    const curl = await runCurl([
      '-sS',
      `http://streamingapi.execute-api.localhost:${emulator.port}/prod/manual`,
    ]);
    expect(curl.stdout.toString()).toBe('FIRST payload FINAL payload');
    const wrongStage = await nodeRequest(`${emulator.url}/dev/manual`, {
      host: `streamingapi.execute-api.localhost:${emulator.port}`,
    });
    expect(wrongStage.status).toBe(403);
    expect(emulator.endpoints.apis).toEqual([
      {
        id: 'streamingapi',
        name: 'StreamingApi',
        stage: 'prod',
        url: `${emulator.url}/prod`,
        hostUrl: `http://streamingapi.execute-api.localhost:${emulator.port}/prod`,
      },
    ]);
  });
});
