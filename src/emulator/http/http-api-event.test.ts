import { describe, expect, it } from 'vitest';
import {
  functionUrlDecoderProblems,
  restDecoderProblems,
  snapshot,
} from '../../../test/support/http-events.js';
import { EmulatorConfigError } from '../errors.js';
import { buildHttpApiEvent, buildHttpApiV1Event, type HttpApiEventOptions } from './http-api-event.js';
import { type HttpApi, matchHttpRoute, resolveHttpApis, stageRoutePath } from './http-api-routes.js';

const TRACE = 'Root=1-5e9f0c65-1de4d666d4dd26aced652b6c';
const options = (overrides: Partial<HttpApiEventOptions> = {}): HttpApiEventOptions => ({
  apiId: 'serverlesshttpapi',
  stage: '$default',
  routeKey: 'GET /items/{id}',
  pathParameters: { id: '42' },
  requestId: 'LV7fzho-PHcEJPw=',
  accountId: '123456789012',
  traceId: TRACE,
  ...overrides,
});
const HOST = ['Host', 'serverlesshttpapi.execute-api.localhost:9000', 'User-Agent', 'curl/7.58.0'];

describe('buildHttpApiEvent (payload 2.0)', () => {
  it('builds the event of a route with a path parameter, as the aws-lambda-go captures have it', () => {
    const event = buildHttpApiEvent(
      snapshot({ rawPath: '/items/42', rawQuery: 'a=1&a=2', rawHeaders: [...HOST, 'Accept', '*/*'] }),
      options(),
    );
    expect(event).toEqual({
      version: '2.0',
      routeKey: 'GET /items/{id}',
      rawPath: '/items/42',
      rawQueryString: 'a=1&a=2',
      headers: {
        host: 'serverlesshttpapi.execute-api.localhost:9000',
        'user-agent': 'curl/7.58.0',
        accept: '*/*',
        'x-amzn-trace-id': TRACE,
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-port': '9000',
        'x-forwarded-proto': 'http',
      },
      queryStringParameters: { a: '1,2' },
      requestContext: {
        accountId: '123456789012',
        apiId: 'serverlesshttpapi',
        domainName: 'serverlesshttpapi.execute-api.localhost',
        domainPrefix: 'serverlesshttpapi',
        http: {
          method: 'GET',
          path: '/items/42',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'curl/7.58.0',
        },
        requestId: 'LV7fzho-PHcEJPw=',
        routeKey: 'GET /items/{id}',
        stage: '$default',
        time: '18/Apr/2023:17:01:46 +0000',
        timeEpoch: 1681837306806,
      },
      pathParameters: { id: '42' },
      isBase64Encoded: false,
    });
    expect('stageVariables' in event).toBe(false);
    expect(functionUrlDecoderProblems(event)).toEqual([]);
  });

  it('leaves pathParameters out for the $default catch-all route and keeps the body, cookies and stage', () => {
    const event = buildHttpApiEvent(
      snapshot({
        method: 'POST',
        rawPath: '/dev/any/where',
        rawHeaders: [...HOST, 'Content-Type', 'image/png', 'Cookie', 'a=1; b=2'],
        body: Buffer.from([0, 1, 2]),
      }),
      options({ routeKey: '$default', pathParameters: {}, stage: 'dev' }),
    );
    expect(event).toMatchObject({
      routeKey: '$default',
      rawPath: '/dev/any/where',
      cookies: ['a=1', 'b=2'],
      body: 'AAEC',
      isBase64Encoded: true,
      requestContext: {
        routeKey: '$default',
        stage: 'dev',
        http: { method: 'POST', path: '/dev/any/where' },
      },
    });
    expect(event.pathParameters).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
    expect(functionUrlDecoderProblems(event)).toEqual([]);
  });
});

describe('buildHttpApiV1Event (payload 1.0)', () => {
  it('builds the REST-shaped event with version 1.0, the full path and a null resourceId', () => {
    const event = buildHttpApiV1Event(
      snapshot({
        method: 'PUT',
        rawPath: '/dev/items/a%20b',
        rawQuery: 'x=1&x=2',
        rawHeaders: [...HOST, 'Content-Type', 'text/plain'],
        body: Buffer.from('hello'),
      }),
      {
        apiId: 'api',
        stage: 'dev',
        resource: '/items/{id}',
        pathParameters: { id: 'a b' },
        requestId: 'LV7fzho-PHcEJPw=',
        accountId: '123456789012',
        traceId: TRACE,
      },
    );
    expect(event).toMatchObject({
      version: '1.0',
      resource: '/items/{id}',
      path: '/dev/items/a%20b',
      httpMethod: 'PUT',
      queryStringParameters: { x: '2' },
      multiValueQueryStringParameters: { x: ['1', '2'] },
      pathParameters: { id: 'a b' },
      stageVariables: null,
      body: 'hello',
      isBase64Encoded: false,
      requestContext: {
        apiId: 'api',
        domainName: 'api.execute-api.localhost',
        path: '/dev/items/a%20b',
        resourceId: null,
        resourcePath: '/items/{id}',
        stage: 'dev',
        requestId: 'LV7fzho-PHcEJPw=',
        extendedRequestId: 'LV7fzho-PHcEJPw=',
      },
    });
    expect(event.headers['X-Amzn-Trace-Id']).toBe(TRACE);
    expect('deploymentId' in event.requestContext).toBe(false);
    // The Swift decoder requires a string resourceId (REST); everything else decodes.
    expect(restDecoderProblems(event)).toEqual(['event.requestContext.resourceId must be a string']);
  });

  it('base64-encodes bodies that are not text (HTTP APIs have no binary media types)', () => {
    const event = buildHttpApiV1Event(
      snapshot({
        method: 'POST',
        rawHeaders: [...HOST, 'Content-Type', 'application/zip'],
        body: Buffer.from('PK'),
      }),
      {
        apiId: 'api',
        stage: '$default',
        resource: '$default',
        pathParameters: {},
        requestId: 'r=',
        accountId: '123456789012',
        traceId: TRACE,
      },
    );
    expect(event).toMatchObject({ body: 'UEs=', isBase64Encoded: true, pathParameters: null, path: '/' });
  });
});

describe('HTTP API routes', () => {
  const [api] = resolveHttpApis([
    {
      name: 'ServerlessHttpApi',
      routes: [
        { method: 'GET', path: '/pets/dog/1', function: 'exact' },
        { method: 'GET', path: '/pets/dog/{id}', function: 'param' },
        { method: 'GET', path: '/pets/{proxy+}', function: 'greedy' },
        { method: 'ANY', path: '/{proxy+}', function: 'any' },
        { method: 'ANY', path: '/things', function: 'anyThings' },
        { method: 'POST', path: '/things', function: 'postThings' },
        { method: 'ANY', path: '$default', function: 'fallback' },
      ],
    },
  ]) as [HttpApi];
  const match = (method: string, path: string) => {
    const found = matchHttpRoute(api, method, path);
    return found.kind === 'route'
      ? [found.route.function, found.route.routeKey, found.pathParameters]
      : 'none';
  };

  it('resolves ids, the $default stage, payload format 2.0 and route keys', () => {
    expect(api).toMatchObject({ id: 'serverlesshttpapi', stage: '$default' });
    expect(api.routes.map((route) => [route.routeKey, route.payloadFormatVersion])).toContainEqual([
      'GET /pets/dog/{id}',
      '2.0',
    ]);
    expect(api.routes.at(-1)).toMatchObject({ routeKey: '$default', catchAll: true, segments: [] });
  });

  it.each([
    ['GET', '/pets/dog/1', ['exact', 'GET /pets/dog/1', {}]],
    ['GET', '/pets/dog/2', ['param', 'GET /pets/dog/{id}', { id: '2' }]],
    ['GET', '/pets/cat/1', ['greedy', 'GET /pets/{proxy+}', { proxy: 'cat/1' }]],
    // ANY matches the methods the API does not route otherwise; greedy routes win over $default.
    ['POST', '/pets/dog/1', ['any', 'ANY /{proxy+}', { proxy: 'pets/dog/1' }]],
    ['POST', '/things', ['postThings', 'POST /things', {}]],
    ['DELETE', '/things/', ['anyThings', 'ANY /things', {}]],
    ['GET', '/', ['fallback', '$default', {}]],
  ] as const)('%s %s → %j (the developer guide’s routing table)', (method, path, expected) => {
    expect(match(method, path)).toEqual(expected);
  });

  it('answers no route without a $default route', () => {
    const [bare] = resolveHttpApis([
      { routes: [{ method: 'GET', path: '/items/{id}', function: 'items' }] },
    ]) as [HttpApi];
    expect(bare.id).toBe('httpapi');
    expect(matchHttpRoute(bare, 'GET', '/items').kind).toBe('no-route');
    expect(matchHttpRoute(bare, 'POST', '/items/1').kind).toBe('no-route');
  });

  it('finds the path below a named stage, and the whole path for $default', () => {
    expect(stageRoutePath({ stage: '$default' }, '/items/1')).toBe('/items/1');
    expect(stageRoutePath({ stage: 'dev' }, '/dev/items/1')).toBe('/items/1');
    expect(stageRoutePath({ stage: 'dev' }, '/dev')).toBe('/');
    expect(stageRoutePath({ stage: 'dev' }, '/development')).toBeUndefined();
  });

  it('validates definitions', () => {
    const route = { method: 'GET' as const, path: '/x', function: 'f' };
    for (const definition of [
      { stage: '$latest', routes: [route] },
      { stage: 'a/b', routes: [route] },
      { payloadFormatVersion: '3.0' as never, routes: [route] },
      { routes: [{ ...route, method: 'GET' as const, path: '$default' }] },
      { routes: [route, { ...route }] },
      { routes: [{ ...route, path: 'x' }] },
    ]) {
      expect(() => resolveHttpApis([definition])).toThrow(EmulatorConfigError);
    }
    expect(() => resolveHttpApis([{ id: 'shared', routes: [route] }], ['shared'])).toThrow(
      /also a REST API's/,
    );
    expect(
      resolveHttpApis([{ stage: 'my-stage', payloadFormatVersion: '1.0', routes: [route] }])[0],
    ).toMatchObject({
      stage: 'my-stage',
      routes: [{ payloadFormatVersion: '1.0' }],
    });
  });
});
