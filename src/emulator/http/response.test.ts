import { describe, expect, it } from 'vitest';
import { encodePrelude, PRELUDE_CONTENT_TYPE } from '../../protocol/index.js';
import type { FunctionUrlCorsConfig } from '../function-config.js';
import { functionUrlResponse, restProxyResponse } from './buffered-response.js';
import { applyCors, isPreflight, preflightHeaders } from './cors.js';
import { headFromMetadata, parseStatusCode } from './response-head.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const text = (response: ReturnType<typeof functionUrlResponse>) =>
  response.ok
    ? { status: response.status, headers: response.headers, body: response.body.toString() }
    : response;

describe('headFromMetadata', () => {
  it('merges headers and multiValueHeaders (multiValueHeaders wins), and turns cookies into Set-Cookie', () => {
    expect(
      headFromMetadata(
        {
          statusCode: 200,
          headers: { 'x-foo': 'bar', 'X-Mv1': 'dropped' },
          multiValueHeaders: { 'x-mv1': ['hello', 'world'], 'Set-Cookie': ['c1=blue'] },
          cookies: ['c2=red'],
        },
        'rest',
      ),
    ).toEqual({
      ok: true,
      status: 200,
      headers: [
        ['x-foo', 'bar'],
        ['x-mv1', 'hello'],
        ['x-mv1', 'world'],
        ['Set-Cookie', 'c1=blue'],
        ['Set-Cookie', 'c2=red'],
      ],
    });
  });

  it('remaps content-length and other hop-by-hop headers for function URLs; REST keeps Content-Length', () => {
    const metadata = { headers: { 'Content-Length': '5', Connection: 'keep-alive', 'x-a': '1' } };
    expect(headFromMetadata(metadata, 'url')).toEqual({
      ok: true,
      status: 200,
      headers: [
        ['x-amzn-remapped-content-length', '5'],
        ['x-amzn-remapped-connection', 'keep-alive'],
        ['x-a', '1'],
      ],
    });
    expect(headFromMetadata(metadata, 'rest')).toEqual({
      ok: true,
      status: 200,
      headers: [
        ['Content-Length', '5'],
        ['x-a', '1'],
      ],
    });
  });

  it('refuses unusable metadata', () => {
    for (const metadata of [
      { statusCode: 42 },
      { statusCode: 'ok' },
      { headers: ['x'] },
      { headers: { x: { nested: true } } },
      { headers: { 'bad name': 'x' } },
      { headers: { x: 'line\r\nbreak' } },
      { cookies: 'a=1' },
      { multiValueHeaders: { x: 'not-a-list' } },
    ]) {
      expect(headFromMetadata(metadata as never, 'url').ok).toBe(false);
    }
  });

  it('accepts numeric-string status codes', () => {
    expect(parseStatusCode('418')).toBe(418);
    expect(parseStatusCode(204)).toBe(204);
    expect(parseStatusCode(99)).toBeUndefined();
    expect(parseStatusCode(200.5)).toBeUndefined();
  });
});

describe('functionUrlResponse (BUFFERED, as recorded against AWS, http-fronts.md §1.3)', () => {
  const jsonType = [['Content-Type', 'application/json']];
  it.each([
    [{ hello: 'world' }, 200, jsonType, '{"hello":"world"}'],
    [{ statusCode: 200, body: 'body123' }, 200, jsonType, 'body123'],
    [{ statusCode: 200, body: '{"hello": "world"}' }, 200, jsonType, '{"hello": "world"}'],
    [['hello', 3, true], 200, jsonType, '["hello",3,true]'],
    ['hello', 200, jsonType, 'hello'],
    [3.1, 200, jsonType, '3.1'],
    [true, 200, jsonType, 'true'],
    [{ statusCode: '418', body: "i'm a teapot" }, 418, jsonType, "i'm a teapot"],
    [
      { statusCode: 201, headers: { 'my-custom-header': 'Custom Value' } },
      201,
      [...jsonType, ['my-custom-header', 'Custom Value']],
      '',
    ],
    [{ statusCode: 200, body: { a: 1 } }, 200, jsonType, '{"a":1}'],
    [
      { statusCode: 200, headers: { 'content-type': 'text/plain' }, cookies: ['a=1', 'b=2'], body: 'x' },
      200,
      [
        ['content-type', 'text/plain'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
      ],
      'x',
    ],
    [{ statusCode: 200, isBase64Encoded: true, body: 'aGVsbG8=' }, 200, jsonType, 'hello'],
  ])('%j → %i', (result, status, headers, body) => {
    expect(text(functionUrlResponse(json(result), 'application/json', false))).toEqual({
      status,
      headers,
      body,
    });
  });

  it('reads a streaming handler behind a BUFFERED URL: prelude, or its own content type', () => {
    const prelude = Buffer.concat([
      Buffer.from(encodePrelude({ statusCode: 202, headers: { 'x-a': '1' } })),
      Buffer.from('body'),
    ]);
    expect(text(functionUrlResponse(prelude, PRELUDE_CONTENT_TYPE, true))).toEqual({
      status: 202,
      headers: [['x-a', '1']],
      body: 'body',
    });
    expect(text(functionUrlResponse(Buffer.from('Four score'), 'text/plain', true))).toEqual({
      status: 200,
      headers: [['Content-Type', 'text/plain']],
      body: 'Four score',
    });
    expect(functionUrlResponse(Buffer.from('Not Found'), PRELUDE_CONTENT_TYPE, true).ok).toBe(false);
    expect(text(functionUrlResponse(Buffer.alloc(0), PRELUDE_CONTENT_TYPE, true))).toMatchObject({
      status: 200,
    });
  });

  it('refuses a buffered result that is not JSON', () => {
    expect(functionUrlResponse(Buffer.from('not json'), 'application/json', false).ok).toBe(false);
  });
});

describe('restProxyResponse', () => {
  it('reads a proxy result, merging multiValueHeaders and defaulting Content-Type', () => {
    const response = restProxyResponse(
      json({ statusCode: 201, headers: { a: '1' }, multiValueHeaders: { b: ['2', '3'] }, body: 'made' }),
      'application/json',
      false,
    );
    expect(text(response)).toEqual({
      status: 201,
      headers: [
        ['Content-Type', 'application/json'],
        ['a', '1'],
        ['b', '2'],
        ['b', '3'],
      ],
      body: 'made',
    });
  });

  it('refuses malformed proxy results (API Gateway: 502)', () => {
    for (const result of [
      { hello: 'world' },
      'text',
      { statusCode: 200, body: { a: 1 } },
      { statusCode: 'x' },
    ]) {
      expect(restProxyResponse(json(result), 'application/json', false).ok).toBe(false);
    }
  });

  it('answers a streamed prelude behind a buffered integration with its status and headers but no body', () => {
    const payload = Buffer.concat([
      Buffer.from(encodePrelude({ statusCode: 203, headers: { 'x-a': '1' } })),
      Buffer.from('body'),
    ]);
    expect(text(restProxyResponse(payload, PRELUDE_CONTENT_TYPE, true))).toEqual({
      status: 203,
      headers: [
        ['Content-Type', 'application/json'],
        ['x-a', '1'],
      ],
      body: '',
    });
  });
});

describe('CORS', () => {
  const cors: FunctionUrlCorsConfig = {
    allowCredentials: false,
    allowHeaders: ['content-type', 'x-custom'],
    allowMethods: ['GET', 'POST'],
    allowOrigins: ['https://app.example', 'https://*.example.org'],
    exposeHeaders: ['x-request-id'],
    maxAge: 300,
  };

  it('answers a preflight from an allowed origin', () => {
    expect(
      isPreflight('OPTIONS', { origin: 'https://app.example', 'access-control-request-method': 'POST' }),
    ).toBe(true);
    expect(isPreflight('OPTIONS', { origin: 'https://app.example' })).toBe(false);
    expect(preflightHeaders(cors, 'https://app.example', 'POST', 'content-type')).toEqual([
      ['Access-Control-Allow-Origin', 'https://app.example'],
      ['Vary', 'Origin'],
      ['Access-Control-Allow-Methods', 'GET,POST'],
      ['Access-Control-Allow-Headers', 'content-type,x-custom'],
      ['Access-Control-Max-Age', '300'],
    ]);
    expect(preflightHeaders(cors, 'https://a.b.example.org', 'GET', undefined)[0]).toEqual([
      'Access-Control-Allow-Origin',
      'https://a.b.example.org',
    ]);
    expect(preflightHeaders(cors, 'https://evil.example', 'POST', undefined)).toEqual([]);
  });

  it('uses * for any origin without credentials, and echoes the origin with them', () => {
    const any = { ...cors, allowOrigins: ['*'] };
    expect(applyCors(any, 'https://x.example', [])).toContainEqual(['Access-Control-Allow-Origin', '*']);
    expect(applyCors({ ...any, allowCredentials: true }, 'https://x.example', [])).toEqual([
      ['Access-Control-Allow-Origin', 'https://x.example'],
      ['Vary', 'Origin'],
      ['Access-Control-Expose-Headers', 'x-request-id'],
      ['Access-Control-Allow-Credentials', 'true'],
    ]);
  });

  it("overrides the function's own CORS headers (the URL's configuration takes precedence)", () => {
    const headers = applyCors(cors, 'https://app.example', [
      ['Access-Control-Allow-Origin', '*'],
      ['Content-Type', 'text/plain'],
    ]);
    expect(headers.filter(([name]) => name === 'Access-Control-Allow-Origin')).toEqual([
      ['Access-Control-Allow-Origin', 'https://app.example'],
    ]);
    expect(applyCors(cors, 'https://evil.example', [['Access-Control-Allow-Origin', '*']])).toEqual([]);
  });
});
