import { describe, expect, it } from 'vitest';
import { functionUrlDecoderProblems, snapshot } from '../../../test/support/http-events.js';
import { buildFunctionUrlEvent, type FunctionUrlEventOptions } from './url-event.js';

const options: FunctionUrlEventOptions = {
  requestId: '5bbd0e3e-fe7a-4299-9076-32d4de45391b',
  apiId: 'hello',
  domainName: 'hello.lambda-url.localhost',
  traceId: 'Root=1-643eccfa-2c6028925c2b249524664087',
  accountId: 'anonymous',
};

describe('buildFunctionUrlEvent', () => {
  it('builds the payload 2.0 event of the captured POST /hello (http-fronts.md §1.2)', () => {
    const event = buildFunctionUrlEvent(
      snapshot({
        method: 'POST',
        rawPath: '/hello',
        rawQuery: 'hello=world&foo=bar',
        rawHeaders: [
          ['Host', 'hello.lambda-url.localhost:9000'],
          ['User-Agent', 'python-requests/2.28.2'],
          ['Accept-Encoding', 'gzip, deflate'],
          ['Accept', '*/*'],
          ['Content-Type', 'application/json'],
          ['Header1', 'h1'],
          ['Header2', 'h1'],
          ['Header2', 'h2'],
          ['Header3', 'h3'],
          ['Cookie', 'foo=bar; hello=hello'],
          ['Content-Length', '18'],
          ['Extra-Headers', 'With WeiRd CapS'],
        ].flat(),
        body: Buffer.from('{"hello": "world"}'),
      }),
      options,
    );
    expect(event).toEqual({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/hello',
      rawQueryString: 'hello=world&foo=bar',
      cookies: ['foo=bar', 'hello=hello'],
      headers: {
        host: 'hello.lambda-url.localhost:9000',
        'user-agent': 'python-requests/2.28.2',
        'accept-encoding': 'gzip, deflate',
        accept: '*/*',
        'content-type': 'application/json',
        header1: 'h1',
        header2: 'h1,h2',
        header3: 'h3',
        cookie: 'foo=bar; hello=hello',
        'content-length': '18',
        'extra-headers': 'With WeiRd CapS',
        'x-amzn-trace-id': 'Root=1-643eccfa-2c6028925c2b249524664087',
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-port': '9000',
        'x-forwarded-proto': 'http',
      },
      queryStringParameters: { hello: 'world', foo: 'bar' },
      requestContext: {
        accountId: 'anonymous',
        apiId: 'hello',
        domainName: 'hello.lambda-url.localhost',
        domainPrefix: 'hello',
        http: {
          method: 'POST',
          path: '/hello',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'python-requests/2.28.2',
        },
        requestId: '5bbd0e3e-fe7a-4299-9076-32d4de45391b',
        routeKey: '$default',
        stage: '$default',
        time: '18/Apr/2023:17:01:46 +0000',
        timeEpoch: 1681837306806,
      },
      body: '{"hello": "world"}',
      isBase64Encoded: false,
    });
    expect(functionUrlDecoderProblems(event)).toEqual([]);
  });

  it('omits cookies, queryStringParameters and body when there are none, as AWS does', () => {
    const event = buildFunctionUrlEvent(snapshot(), options);
    expect(event).not.toHaveProperty('cookies');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('body');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.rawQueryString).toBe('');
    expect(functionUrlDecoderProblems(event)).toEqual([]);
  });

  it('passes a strict decoder even without a User-Agent', () => {
    const event = buildFunctionUrlEvent(snapshot({ rawHeaders: ['Host', 'x'] }), options);
    expect(event.requestContext.http.userAgent).toBe('');
    expect(functionUrlDecoderProblems(event)).toEqual([]);
  });

  it('decodes query values and comma-joins repeated keys (multiQuery=foo&multiQuery=%2Fbar)', () => {
    const event = buildFunctionUrlEvent(
      snapshot({ rawQuery: 'multiQuery=foo&multiQuery=%2Fbar&flag&sp=a%20b&plus=a+b' }),
      options,
    );
    expect(event.queryStringParameters).toEqual({ multiQuery: 'foo,/bar', flag: '', sp: 'a b', plus: 'a+b' });
    expect(event.rawQueryString).toBe('multiQuery=foo&multiQuery=%2Fbar&flag&sp=a%20b&plus=a+b');
  });

  it.each([
    ['text/plain', false],
    ['text/html; charset=utf-8', false],
    ['application/json', false],
    ['application/vnd.api+json', false],
    ['application/xml', false],
    ['application/x-www-form-urlencoded', true],
    ['multipart/form-data; boundary=x', true],
    ['image/png', true],
    ['idk', true],
    [undefined, true],
  ])('encodes a %s body as base64: %s', (contentType, base64) => {
    const body = Buffer.from('<idk/>');
    const rawHeaders = contentType === undefined ? [] : ['Content-Type', contentType];
    const event = buildFunctionUrlEvent(snapshot({ method: 'POST', rawHeaders, body }), options);
    expect(event.isBase64Encoded).toBe(base64);
    expect(event.body).toBe(base64 ? 'PGlkay8+' : '<idk/>');
  });

  it('keeps binary bodies byte-exact through base64', () => {
    const body = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const event = buildFunctionUrlEvent(
      snapshot({ method: 'PUT', rawHeaders: ['Content-Type', 'application/octet-stream'], body }),
      options,
    );
    expect(Buffer.from(event.body!, 'base64').equals(body)).toBe(true);
  });

  it('base64-encodes a text body that is not valid UTF-8, so no byte is lost', () => {
    // Regression: a text/plain body with invalid UTF-8 was decoded into U+FFFD replacement characters with
    // isBase64Encoded false, and the function could never recover the bytes sent.
    const body = Buffer.from([0xff, 0xfe, 0x00, 0x61, 0x62, 0x63]);
    const event = buildFunctionUrlEvent(
      snapshot({ method: 'POST', rawHeaders: ['Content-Type', 'text/plain'], body }),
      options,
    );
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64').equals(body)).toBe(true);
  });

  it('for AWS_IAM, drops Authorization, keeps the x-amz-* headers and adds authorizer.iam', () => {
    const iam = {
      accessKey: 'AKIAIOSFODNN7EXAMPLE',
      accountId: '123456789012',
      callerId: 'AIDA0123456789ABCDEF0',
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: 'arn:aws:iam::123456789012:user/sluice',
      userId: 'AIDA0123456789ABCDEF0',
    };
    const event = buildFunctionUrlEvent(
      snapshot({
        rawHeaders: [
          ['Host', 'x'],
          ['Authorization', 'AWS4-HMAC-SHA256 Credential=…'],
          ['X-Amz-Date', '20230418T170146Z'],
          ['X-Amz-Security-Token', 'token'],
        ].flat(),
      }),
      { ...options, accountId: '123456789012', iam },
    );
    expect(event.headers).not.toHaveProperty('authorization');
    expect(event.headers['x-amz-date']).toBe('20230418T170146Z');
    expect(event.headers['x-amz-security-token']).toBe('token');
    expect(event.requestContext.authorizer).toEqual({ iam });
    expect(event.requestContext.accountId).toBe('123456789012');
    expect(functionUrlDecoderProblems(event)).toEqual([]);
  });

  it('for NONE, passes an Authorization header through and has no authorizer', () => {
    const event = buildFunctionUrlEvent(
      snapshot({ rawHeaders: ['Host', 'x', 'Authorization', 'Bearer abc'] }),
      options,
    );
    expect(event.headers.authorization).toBe('Bearer abc');
    expect(event.requestContext).not.toHaveProperty('authorizer');
    expect(event.requestContext.accountId).toBe('anonymous');
  });

  it('keeps rawPath as sent and decodes requestContext.http.path', () => {
    const event = buildFunctionUrlEvent(snapshot({ rawPath: '/a%20b/c%2Fd' }), options);
    expect(event.rawPath).toBe('/a%20b/c%2Fd');
    expect(event.requestContext.http.path).toBe('/a b/c%2Fd');
  });

  it("keeps the client's trace id and appends to its X-Forwarded-For", () => {
    const event = buildFunctionUrlEvent(
      snapshot({ rawHeaders: ['X-Amzn-Trace-Id', 'Root=1-abc', 'X-Forwarded-For', '10.0.0.1'] }),
      options,
    );
    expect(event.headers['x-amzn-trace-id']).toBe('Root=1-abc');
    expect(event.headers['x-forwarded-for']).toBe('10.0.0.1, 127.0.0.1');
  });
});
