import { describe, expect, it } from 'vitest';
import { EmulatorConfigError } from '../errors.js';
import {
  isBinaryMediaType,
  matchRestRoute,
  type RestRouteDefinition,
  resolveRestApis,
} from './rest-routes.js';

const api = (routes: RestRouteDefinition[]) => resolveRestApis([{ name: 'Api', routes }])[0]!;

describe('resolveRestApis', () => {
  it('fills in id, stage and streaming defaults', () => {
    const [first, second] = resolveRestApis([
      { name: 'ServerlessRestApi', routes: [{ method: 'GET', path: '/hi', function: 'hi' }] },
      { routes: [] },
    ]);
    expect(first).toMatchObject({ id: 'serverlessrestapi', name: 'ServerlessRestApi', stage: 'Prod' });
    expect(first?.routes[0]).toMatchObject({ method: 'GET', path: '/hi', streaming: false });
    expect(first?.routes[0]?.resourceId).toMatch(/^[0-9a-z]{6}$/);
    expect(second).toMatchObject({ id: 'api2', stage: 'Prod' });
  });

  it.each([
    [{ stage: 'pro-d', routes: [] }, /stage/],
    [{ id: 'Bad Id', routes: [] }, /id/],
    [{ routes: [{ method: 'FETCH', path: '/', function: 'f' }] }, /method/],
    [{ routes: [{ method: 'GET', path: 'no-slash', function: 'f' }] }, /start with/],
    [{ routes: [{ method: 'GET', path: '/{proxy+}/x', function: 'f' }] }, /last segment/],
    [{ routes: [{ method: 'GET', path: '/a{b}', function: 'f' }] }, /literal/],
    [
      {
        routes: [
          { method: 'GET', path: '/items/{id}', function: 'f' },
          { method: 'GET', path: '/items/{other}', function: 'g' },
        ],
      },
      /twice/,
    ],
  ] as const)('rejects %j', (definition, message) => {
    expect(() => resolveRestApis([definition as never])).toThrow(EmulatorConfigError);
    expect(() => resolveRestApis([definition as never])).toThrow(message);
  });
});

describe('matchRestRoute', () => {
  const routes = api([
    { method: 'GET', path: '/', function: 'root' },
    { method: 'GET', path: '/items', function: 'list' },
    { method: 'GET', path: '/items/{id}', function: 'get' },
    { method: 'DELETE', path: '/items/{itemId}', function: 'delete' },
    { method: 'GET', path: '/items/special', function: 'special' },
    { method: 'ANY', path: '/{proxy+}', function: 'proxy' },
    { method: 'ANY', path: '/stream', function: 'stream', streaming: true },
  ]);
  const target = (method: string, path: string) => {
    const match = matchRestRoute(routes, method, path);
    return match.kind === 'route' ? { fn: match.route.function, params: match.pathParameters } : 'none';
  };

  it('prefers literal segments, then parameters, then greedy parameters', () => {
    expect(target('GET', '/')).toEqual({ fn: 'root', params: {} });
    expect(target('GET', '/items')).toEqual({ fn: 'list', params: {} });
    expect(target('GET', '/items/special')).toEqual({ fn: 'special', params: {} });
    expect(target('GET', '/items/42')).toEqual({ fn: 'get', params: { id: '42' } });
    expect(target('DELETE', '/items/42')).toEqual({ fn: 'delete', params: { itemId: '42' } });
    expect(target('POST', '/anything/else/here')).toEqual({
      fn: 'proxy',
      params: { proxy: 'anything/else/here' },
    });
  });

  it('matches ANY for every method and decodes parameters', () => {
    expect(target('PATCH', '/stream')).toMatchObject({ fn: 'stream' });
    expect(target('GET', '/items/a%20b')).toEqual({ fn: 'get', params: { id: 'a b' } });
    expect(target('GET', '/items/42/')).toEqual({ fn: 'get', params: { id: '42' } });
  });

  it('does not fall back to a less specific resource when the method is missing (API Gateway answers 403)', () => {
    expect(target('POST', '/items')).toBe('none');
    expect(target('POST', '/')).toBe('none');
  });

  it('finds nothing without a matching resource', () => {
    const only = api([{ method: 'GET', path: '/a/{b}', function: 'f' }]);
    expect(matchRestRoute(only, 'GET', '/a').kind).toBe('no-route');
    expect(matchRestRoute(only, 'GET', '/a/b/c').kind).toBe('no-route');
  });
});

describe('isBinaryMediaType', () => {
  it('matches exact types and wildcards', () => {
    expect(isBinaryMediaType('image/png', ['image/png'])).toBe(true);
    expect(isBinaryMediaType('image/png; q=1', ['image/*'])).toBe(true);
    expect(isBinaryMediaType('application/pdf', ['*/*'])).toBe(true);
    expect(isBinaryMediaType('text/plain', ['image/*'])).toBe(false);
    expect(isBinaryMediaType(undefined, ['*/*'])).toBe(false);
  });
});
