import { describe, expect, it } from 'vitest';
import { restDecoderProblems, snapshot } from '../../../test/support/http-events.js';
import { buildRestApiEvent, type RestApiEventOptions } from './rest-event.js';

const options: RestApiEventOptions = {
  apiId: 'api',
  stage: 'prod',
  resource: '/items/{id}',
  resourceId: 'a1b2c3',
  pathParameters: { id: '42' },
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  extendedRequestId: 'Fa2bVGx3oAMEbLw=',
  accountId: '123456789012',
  traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793',
  binaryMediaTypes: [],
};

describe('buildRestApiEvent', () => {
  it('builds the REST proxy (1.0) event with the keys a strict decoder requires', () => {
    const event = buildRestApiEvent(
      snapshot({
        method: 'POST',
        rawPath: '/items/42',
        rawQuery: 'a=1&b=2&a=3',
        rawHeaders: [
          ['Host', '127.0.0.1:9000'],
          ['User-Agent', 'curl/7.88.1'],
          ['Content-Type', 'application/json'],
          ['X-Multi', 'one'],
          ['x-multi', 'two'],
        ].flat(),
        body: Buffer.from('{"x":1}'),
      }),
      options,
    );
    expect(event).toMatchObject({
      resource: '/items/{id}',
      path: '/items/42',
      httpMethod: 'POST',
      headers: {
        Host: '127.0.0.1:9000',
        'User-Agent': 'curl/7.88.1',
        'Content-Type': 'application/json',
        'X-Multi': 'two',
        'X-Forwarded-For': '127.0.0.1',
        'X-Forwarded-Port': '9000',
        'X-Forwarded-Proto': 'http',
        'X-Amzn-Trace-Id': 'Root=1-5759e988-bd862e3fe1be46a994272793',
      },
      multiValueHeaders: { 'X-Multi': ['one', 'two'], Host: ['127.0.0.1:9000'] },
      queryStringParameters: { a: '3', b: '2' },
      multiValueQueryStringParameters: { a: ['1', '3'], b: ['2'] },
      pathParameters: { id: '42' },
      stageVariables: null,
      requestContext: {
        resourceId: 'a1b2c3',
        resourcePath: '/items/{id}',
        httpMethod: 'POST',
        extendedRequestId: 'Fa2bVGx3oAMEbLw=',
        requestTime: '18/Apr/2023:17:01:46 +0000',
        path: '/prod/items/42',
        accountId: '123456789012',
        protocol: 'HTTP/1.1',
        stage: 'prod',
        domainPrefix: 'api',
        requestTimeEpoch: 1681837306806,
        requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
        identity: { sourceIp: '127.0.0.1', userAgent: 'curl/7.88.1', accessKey: null, user: null },
        domainName: 'api.execute-api.localhost',
        apiId: 'api',
      },
      body: '{"x":1}',
      isBase64Encoded: false,
    });
    expect(restDecoderProblems(event)).toEqual([]);
  });

  it('has null query, path parameters and body when there are none', () => {
    const event = buildRestApiEvent(snapshot(), { ...options, resource: '/', pathParameters: {} });
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.pathParameters).toBeNull();
    expect(event.body).toBeNull();
    expect(event.requestContext.path).toBe('/prod/');
    expect(restDecoderProblems(event)).toEqual([]);
  });

  it('base64-encodes bodies of the binary media types only', () => {
    const body = Buffer.from([0, 1, 2, 255]);
    const png = snapshot({ method: 'POST', rawHeaders: ['Content-Type', 'image/png'], body });
    expect(buildRestApiEvent(png, options)).toMatchObject({
      body: body.toString('utf8'),
      isBase64Encoded: false,
    });
    expect(buildRestApiEvent(png, { ...options, binaryMediaTypes: ['image/*'] })).toMatchObject({
      body: 'AAEC/w==',
      isBase64Encoded: true,
    });
    expect(buildRestApiEvent(png, { ...options, binaryMediaTypes: ['*/*'] }).isBase64Encoded).toBe(true);
  });
});
