import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRequest, runCurl } from '../../../test/support/http-clients.js';
import { functionUrlDecoderProblems } from '../../../test/support/http-events.js';
import { type Emulator, startEmulator } from '../emulator.js';
import { EmulatorConfigError } from '../errors.js';
import type { HttpApiEvent } from './http-api-event.js';

// API Gateway HTTP APIs end to end, over real sockets: payload 2.0 events (routeKey, pathParameters, the
// $default route and stage), the 2.0 response rules, payload 1.0 under a named stage, and the error answers.

const HANDLERS = `
export const items = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  cookies: ['seen=1', 'theme=dark'],
  body: JSON.stringify({
    rawPath: event.rawPath,
    id: event.pathParameters.id,
    method: event.requestContext.http.method,
    routeKey: event.routeKey,
    stage: event.requestContext.stage,
  }),
});
// No statusCode: format 2.0 makes the whole value the JSON body.
export const echo = async (event) => event;
export const text = async () => 'hello';
export const fail = async () => { throw new Error('boom'); };
export const v1 = async (event) => ({ statusCode: 201, headers: { 'x-v1': 'yes' }, body: JSON.stringify(event) });
export const v1bad = async () => 'not a proxy response';
`;

const NOT_FOUND = { message: 'Not Found' };

describe('HTTP APIs', () => {
  let emulator: Emulator;
  let dir: string;
  let base: string;
  let host: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sluice-http-api-'));
    await writeFile(path.join(dir, 'app.mjs'), HANDLERS);
    const fn = (name: string) => ({ name, code: dir, handler: `app.${name}` });
    emulator = await startEmulator({
      port: 0,
      logger: () => {},
      functions: ['items', 'echo', 'text', 'fail', 'v1', 'v1bad'].map(fn),
      httpApis: [
        {
          name: 'ServerlessHttpApi',
          routes: [
            { method: 'GET', path: '/items/{id}', function: 'items' },
            { method: 'POST', path: '/echo', function: 'echo' },
            { method: 'GET', path: '/text', function: 'text' },
            { method: 'GET', path: '/fail', function: 'fail' },
            { method: 'ANY', path: '$default', function: 'echo' },
          ],
        },
        {
          id: 'staged',
          stage: 'dev',
          payloadFormatVersion: '1.0',
          routes: [
            { method: 'ANY', path: '/v1/{proxy+}', function: 'v1' },
            { method: 'GET', path: '/bad', function: 'v1bad' },
          ],
        },
      ],
    });
    base = `${emulator.url}/http-api/serverlesshttpapi`;
    host = `http://serverlesshttpapi.execute-api.localhost:${emulator.port}`;
  });

  afterAll(async () => {
    await emulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves a route with a path parameter to fetch: rawPath, pathParameters.id, requestContext.http.method', async () => {
    const response = await fetch(`${base}/items/42?x=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/-]{14}=$/);
    expect(response.headers.getSetCookie()).toEqual(['seen=1', 'theme=dark']);
    expect(await response.json()).toEqual({
      rawPath: '/items/42',
      id: '42',
      method: 'GET',
      routeKey: 'GET /items/{id}',
      stage: '$default',
    });
  });

  it('serves the same route to curl at <apiId>.execute-api.localhost, without a stage segment', async () => {
    const result = await runCurl(['-sS', '-i', `${host}/items/a%20b`]);
    expect(result.code).toBe(0);
    const text = result.stdout.toString();
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(text).toMatch(/\r\nset-cookie: seen=1\r\n/i);
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
    expect(body).toEqual({
      rawPath: '/items/a%20b',
      id: 'a b',
      method: 'GET',
      routeKey: 'GET /items/{id}',
      stage: '$default',
    });
  });

  it('sends the whole payload 2.0 event, and infers the response from a result without statusCode', async () => {
    const response = await fetch(`${base}/echo?a=1&a=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'c=1; d=2' },
      body: '{"q":true}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const event = (await response.json()) as HttpApiEvent;
    expect(functionUrlDecoderProblems(event)).toEqual([]);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /echo',
      rawPath: '/echo',
      rawQueryString: 'a=1&a=2',
      cookies: ['c=1', 'd=2'],
      queryStringParameters: { a: '1,2' },
      body: '{"q":true}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '123456789012',
        apiId: 'serverlesshttpapi',
        domainName: 'serverlesshttpapi.execute-api.localhost',
        domainPrefix: 'serverlesshttpapi',
        http: { method: 'POST', path: '/echo' },
        requestId: response.headers.get('apigw-requestid'),
        routeKey: 'POST /echo',
        stage: '$default',
      },
    });
    expect(event.headers['x-forwarded-proto']).toBe('http');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('stageVariables');
  });

  it('routes what no route matches to the $default route (curl, any method), with routeKey $default', async () => {
    const result = await runCurl(['-sS', '-X', 'DELETE', `${host}/items/7/extra?z=9`]);
    const event = JSON.parse(result.stdout.toString());
    expect(event).toMatchObject({
      routeKey: '$default',
      rawPath: '/items/7/extra',
      rawQueryString: 'z=9',
      requestContext: { routeKey: '$default', http: { method: 'DELETE' } },
    });
    expect(event).not.toHaveProperty('pathParameters');
    const root = await (await fetch(`${base}/`)).json();
    expect(root).toMatchObject({ routeKey: '$default', rawPath: '/' });
  });

  it('unwraps a string result, and answers a function error with 500', async () => {
    const text = await fetch(`${base}/text`);
    expect(text.headers.get('content-type')).toBe('application/json');
    expect(await text.text()).toBe('hello');
    const failed = await fetch(`${base}/fail`);
    expect(failed.status).toBe(500);
    expect(failed.headers.get('apigw-requestid')).toMatch(/=$/);
    expect(await failed.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('sends payload 1.0 under a named stage, which stays in the path', async () => {
    const result = await nodeRequest(`${emulator.url}/http-api/staged/dev/v1/a/b?x=1`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(result.status).toBe(201);
    expect(result.headers['x-v1']).toBe('yes');
    expect(JSON.parse(result.body.toString())).toMatchObject({
      version: '1.0',
      resource: '/v1/{proxy+}',
      path: '/dev/v1/a/b',
      httpMethod: 'PUT',
      pathParameters: { proxy: 'a/b' },
      queryStringParameters: { x: '1' },
      body: 'hi',
      requestContext: { stage: 'dev', path: '/dev/v1/a/b', resourceId: null, apiId: 'staged' },
    });
    const hostStyle = await runCurl(['-sS', `http://staged.execute-api.localhost:${emulator.port}/dev/v1/c`]);
    expect(JSON.parse(hostStyle.stdout.toString())).toMatchObject({ path: '/dev/v1/c' });
    // Format 1.0 needs a proxy response.
    const bad = await fetch(`${emulator.url}/http-api/staged/dev/bad`);
    expect(bad.status).toBe(500);
  });

  it('answers 404 {"message":"Not Found"} for unknown APIs, stages and routes', async () => {
    for (const url of [
      `${emulator.url}/http-api/nope/items/1`,
      `${emulator.url}/http-api/staged/v1/a`,
      `${emulator.url}/http-api/staged/dev/nothing`,
      // A greedy route needs at least one segment.
      `${emulator.url}/http-api/staged/dev/v1`,
    ]) {
      const response = await fetch(url);
      expect(response.status, url).toBe(404);
      expect(await response.json()).toEqual(NOT_FOUND);
    }
  });

  it('reports both URL forms in endpoints, and refuses an id a REST API already has', async () => {
    expect(emulator.endpoints.httpApis).toEqual([
      {
        id: 'serverlesshttpapi',
        name: 'ServerlessHttpApi',
        stage: '$default',
        url: `${emulator.url}/http-api/serverlesshttpapi`,
        hostUrl: `http://serverlesshttpapi.execute-api.localhost:${emulator.port}`,
      },
      {
        id: 'staged',
        name: 'staged',
        stage: 'dev',
        url: `${emulator.url}/http-api/staged/dev`,
        hostUrl: `http://staged.execute-api.localhost:${emulator.port}/dev`,
      },
    ]);
    await expect(
      emulator.reload({
        apis: [{ id: 'staged', routes: [{ method: 'GET', path: '/', function: 'text' }] }],
      }),
    ).rejects.toThrow(EmulatorConfigError);
  });
});
