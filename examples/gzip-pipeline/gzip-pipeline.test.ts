import { gunzipSync } from 'node:zlib';
import { InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { curl } from '../support/curl.js';
import { DEV_CREDENTIALS, useDevServer } from '../support/dev-server.js';
import { timedFetch } from '../support/fetch.js';
import { readRequest, record, repeatCount } from './src/request.js';

// pipeline(source, zlib.createGzip(), responseStream) through `sluice dev`: the body is gzip, sent as
// application/octet-stream without Content-Encoding, so the client gunzips it.

function expectedLines(count: number, request: Record<string, unknown>): string {
  let text = '';
  for (let i = 0; i < count; i++) text += record(i, request);
  return text;
}

describe('gzip-pipeline', () => {
  const dev = useDevServer('gzip-pipeline');

  it('gzips the JSON lines a POSTed {"repeat": 50} asks for (curl, then gunzip)', async () => {
    const result = await curl(dev().functionUrl('Gzip'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      data: '{"repeat": 50}',
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe('application/octet-stream');
    expect(result.headers['content-encoding']).toBeUndefined();
    // gzip magic bytes, then the lines.
    expect([...result.body.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const text = gunzipSync(result.body).toString('utf8');
    expect(text).toBe(expectedLines(50, { repeat: 50 }));
    expect(text.split('\n')[0]).toBe('{"i":0,"request":{"repeat":50}}');
    // Compression is real: 50 near-identical lines shrink.
    expect(result.body.length).toBeLessThan(Buffer.byteLength(text) / 4);
  });

  it('decodes a form-encoded body, which a function URL hands over base64-encoded (curl -d)', async () => {
    const result = await curl(dev().functionUrl('Gzip'), { data: '{"repeat": 2}' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.status).toBe(200);
    expect(gunzipSync(result.body).toString('utf8')).toBe(expectedLines(2, { repeat: 2 }));
  });

  it('reads repeat from the query string too (fetch)', async () => {
    const result = await timedFetch(`${dev().functionUrl('Gzip')}?repeat=3`);
    expect(result.status).toBe(200);
    // fetch decompresses only with Content-Encoding: the bytes stay gzip.
    expect(gunzipSync(result.body).toString('utf8')).toBe(
      '{"i":0,"request":{"repeat":"3"}}\n{"i":1,"request":{"repeat":"3"}}\n{"i":2,"request":{"repeat":"3"}}\n',
    );
  });

  it('takes the event itself as the request when invoked directly (InvokeWithResponseStream)', async () => {
    const client = new LambdaClient({
      endpoint: dev().baseUrl,
      region: 'us-east-1',
      credentials: { ...DEV_CREDENTIALS },
      maxAttempts: 1,
    });
    const response = await client.send(
      new InvokeWithResponseStreamCommand({
        FunctionName: 'Gzip',
        Payload: JSON.stringify({ repeat: 5, hello: 'world' }),
      }),
    );
    const parts: Uint8Array[] = [];
    for await (const event of response.EventStream ?? []) {
      if (event.PayloadChunk?.Payload) parts.push(event.PayloadChunk.Payload);
      if (event.InvokeComplete) expect(event.InvokeComplete.ErrorCode).toBeUndefined();
    }
    expect(gunzipSync(Buffer.concat(parts)).toString('utf8')).toBe(
      expectedLines(5, { repeat: 5, hello: 'world' }),
    );
  });

  it('reads the request as documented', () => {
    expect(readRequest({ repeat: 2 })).toEqual({ repeat: 2 });
    expect(readRequest({ requestContext: {}, body: '{"repeat":2}', isBase64Encoded: false })).toEqual({
      repeat: 2,
    });
    expect(
      readRequest({
        requestContext: {},
        body: Buffer.from('{"repeat":2}').toString('base64'),
        isBase64Encoded: true,
      }),
    ).toEqual({ repeat: 2 });
    expect(
      readRequest({ requestContext: {}, queryStringParameters: { repeat: '7' }, body: 'not json' }),
    ).toEqual({
      repeat: '7',
    });
    expect(repeatCount({})).toBe(1000);
    expect(repeatCount({ repeat: '0' })).toBe(1);
    expect(repeatCount({ repeat: 1e9 })).toBe(100_000);
    expect(repeatCount({ repeat: 'lots' })).toBe(1000);
  });
});
