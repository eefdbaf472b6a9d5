import { describe, expect, it } from 'vitest';
import { EmulatorConfigError } from '../errors.js';
import { resolveFunctionConfig } from '../function-config.js';
import { DEFAULT_CREDENTIALS, resolveCredentials } from './credentials.js';
import { type FrontRouting, matchFront } from './fronts.js';
import { resolveHttpApis } from './http-api-routes.js';
import { resolveLocalInvoke } from './local-invoke.js';
import { resolveRestApis } from './rest-routes.js';

const routing: FrontRouting = {
  invokeEndpoint: '/invoke',
  apis: resolveRestApis([
    { id: 'shop', stage: 'prod', routes: [{ method: 'ANY', path: '/{proxy+}', function: 'shop' }] },
    { id: 'other', stage: 'prod', routes: [{ method: 'GET', path: '/other', function: 'other' }] },
    { id: 'dev', stage: 'Dev', routes: [{ method: 'GET', path: '/', function: 'dev' }] },
  ]),
  httpApis: resolveHttpApis([
    { id: 'items', routes: [{ method: 'GET', path: '/items/{id}', function: 'items' }] },
  ]),
};
const kind = (target: ReturnType<typeof matchFront>) =>
  target === undefined
    ? 'lambda-api-or-unknown'
    : target.kind === 'rest-api'
      ? `rest:${target.api?.id ?? '-'}:${target.rawPath}`
      : target.kind === 'http-api'
        ? `http:${target.api?.id ?? '-'}:${target.rawPath}?${target.rawQuery}`
        : target.kind === 'function-url'
          ? `url:${target.functionName}:${target.rawPath}?${target.rawQuery}`
          : 'local-invoke';

describe('matchFront', () => {
  it.each([
    ['GET', 'Stream.lambda-url.localhost:9000', '/a/b?x=1', 'main', 'url:Stream:/a/b?x=1'],
    [
      'POST',
      'stream.lambda-url.localhost',
      '/2015-03-31/functions/f/invocations',
      'main',
      'url:stream:/2015-03-31/functions/f/invocations?',
    ],
    ['GET', '127.0.0.1:9000', '/lambda-url/stream', 'main', 'url:stream:/?'],
    ['GET', '127.0.0.1:9000', '/lambda-url/stream/', 'main', 'url:stream:/?'],
    ['GET', '127.0.0.1:9000', '/lambda-url/stream/x%20y?a=b', 'main', 'url:stream:/x%20y?a=b'],
    ['POST', '127.0.0.1:9000', '/2015-03-31/functions/f/invocations', 'main', 'lambda-api-or-unknown'],
    [
      'POST',
      '127.0.0.1:9000',
      '/2021-11-15/functions/f/response-streaming-invocations',
      'main',
      'lambda-api-or-unknown',
    ],
    ['POST', '127.0.0.1:9000', '/invoke', 'main', 'local-invoke'],
    ['POST', '127.0.0.1:9000', '/prefix/invoke', 'main', 'lambda-api-or-unknown'],
    ['POST', '127.0.0.1:7000', '/prefix/invoke', 'local-invoke', 'local-invoke'],
    ['GET', '127.0.0.1:9000', '/prod/a/b', 'main', 'rest:shop:/a/b'],
    ['GET', '127.0.0.1:9000', '/prod/other', 'main', 'rest:other:/other'],
    ['GET', '127.0.0.1:9000', '/prod', 'main', 'rest:shop:/'],
    ['GET', '127.0.0.1:9000', '/Dev', 'main', 'rest:dev:/'],
    ['GET', '127.0.0.1:9000', '/dev', 'main', 'lambda-api-or-unknown'],
    ['GET', 'other.execute-api.localhost:9000', '/prod/other', 'main', 'rest:other:/other'],
    ['GET', 'other.execute-api.localhost:9000', '/prod/a', 'main', 'rest:other:/a'],
    ['GET', 'nope.execute-api.localhost:9000', '/prod/a', 'main', 'rest:-:/prod/a'],
    ['GET', '127.0.0.1:9000', '/nothing', 'main', 'lambda-api-or-unknown'],
    ['GET', 'items.execute-api.localhost:9000', '/items/1?a=b', 'main', 'http:items:/items/1?a=b'],
    ['GET', 'Items.execute-api.localhost', '/prod/x', 'main', 'http:items:/prod/x?'],
    ['GET', '127.0.0.1:9000', '/http-api/items/items/1?a=b', 'main', 'http:items:/items/1?a=b'],
    ['GET', '127.0.0.1:9000', '/http-api/items', 'main', 'http:items:/?'],
    ['POST', '127.0.0.1:9000', '/http-api/nope/x', 'main', 'http:-:/x?'],
    ['GET', '127.0.0.1:9000', '/http-api/', 'main', 'lambda-api-or-unknown'],
  ] as const)('%s %s%s (%s) → %s', (method, host, target, listener, expected) => {
    expect(kind(matchFront(routing, method, host, target, listener))).toBe(expected);
  });
});

describe('resolveCredentials', () => {
  it('defaults to the documented example pair, replaced by SLUICE_* and joined by AWS_* from the environment', () => {
    expect(resolveCredentials(undefined, {})).toEqual([DEFAULT_CREDENTIALS]);
    expect(
      resolveCredentials(undefined, { SLUICE_ACCESS_KEY_ID: 'L', SLUICE_SECRET_ACCESS_KEY: 'S' }),
    ).toEqual([{ accessKeyId: 'L', secretAccessKey: 'S' }]);
    expect(
      resolveCredentials(undefined, {
        AWS_ACCESS_KEY_ID: 'ASIA',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'token',
      }),
    ).toEqual([
      DEFAULT_CREDENTIALS,
      { accessKeyId: 'ASIA', secretAccessKey: 'secret', sessionToken: 'token' },
    ]);
  });

  it('uses exactly the configured credentials', () => {
    const credentials = { accessKeyId: 'A', secretAccessKey: 'B' };
    expect(resolveCredentials(credentials, { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' })).toEqual([
      credentials,
    ]);
    expect(() => resolveCredentials([], {})).toThrow(EmulatorConfigError);
    expect(() => resolveCredentials({ accessKeyId: '', secretAccessKey: 'B' }, {})).toThrow(
      EmulatorConfigError,
    );
  });
});

describe('resolveLocalInvoke', () => {
  it("uses the Swift local server's defaults and environment variables", () => {
    expect(resolveLocalInvoke(undefined, {})).toEqual({
      listen: false,
      port: 7000,
      host: '127.0.0.1',
      endpoint: '/invoke',
    });
    expect(
      resolveLocalInvoke(true, {
        LOCAL_LAMBDA_PORT: '8080',
        LOCAL_LAMBDA_HOST: '0.0.0.0',
        LOCAL_LAMBDA_INVOCATION_ENDPOINT: '/2015-03-31/functions/function/invocations',
      }),
    ).toEqual({
      listen: true,
      port: 8080,
      host: '0.0.0.0',
      endpoint: '/2015-03-31/functions/function/invocations',
    });
    expect(resolveLocalInvoke({ port: 0, endpoint: '/run' }, { LOCAL_LAMBDA_PORT: '8080' })).toMatchObject({
      port: 0,
      endpoint: '/run',
    });
    expect(() => resolveLocalInvoke(true, { LOCAL_LAMBDA_PORT: 'x' })).toThrow(EmulatorConfigError);
    expect(() => resolveLocalInvoke({ endpoint: 'invoke' }, {})).toThrow(EmulatorConfigError);
  });
});

describe('function URL configuration', () => {
  it('defaults to NONE and the function’s invoke mode, and validates CORS', () => {
    expect(resolveFunctionConfig({ name: 'f', code: './f', url: {} }).url).toEqual({
      authType: 'NONE',
      invokeMode: 'BUFFERED',
      cors: undefined,
    });
    expect(
      resolveFunctionConfig({
        name: 'f',
        code: './f',
        invokeMode: 'RESPONSE_STREAM',
        url: { authType: 'AWS_IAM', cors: { allowOrigins: ['*'], allowMethods: ['get'], maxAge: 60 } },
      }).url,
    ).toEqual({
      authType: 'AWS_IAM',
      invokeMode: 'RESPONSE_STREAM',
      cors: {
        allowCredentials: false,
        allowHeaders: [],
        allowMethods: ['GET'],
        allowOrigins: ['*'],
        exposeHeaders: [],
        maxAge: 60,
      },
    });
    expect(resolveFunctionConfig({ name: 'f', code: './f' }).url).toBeUndefined();
    for (const url of [
      { authType: 'IAM' },
      { invokeMode: 'STREAM' },
      { cors: { maxAge: 86401 } },
      { cors: { allowMethods: ['GET', 'PUT', 'POST', 'HEAD', 'PATCH', 'DELETE', '*'] } },
      { cors: { allowOrigins: 'https://x' } },
      { cors: { allowCredentials: 'yes' } },
    ]) {
      expect(() => resolveFunctionConfig({ name: 'f', code: './f', url: url as never })).toThrow(
        EmulatorConfigError,
      );
    }
  });
});
