import { InvokeCommand, InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS, useDevServer } from '../support/dev-server.js';
import { signedInit, timedFetch } from '../support/fetch.js';
import { LINE_BYTES, LINES, line } from './src/lines.js';

// A generated 7 MiB file through `sluice dev`: streamed whole through the AWS_IAM function URL, while a
// buffered Invoke of the same function fails as on AWS, the response being over the 6 MB limit.

const SIZE = 7 * 1024 * 1024;
/** Lambda's buffered response limit: 6 MiB + 100 bytes. */
const BUFFERED_LIMIT = 6 * 1024 * 1024 + 100;

function expected(): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < LINES; i++) lines.push(line(i));
  return Buffer.from(lines.join(''), 'utf8');
}

/** The first line that differs from `line(i)`, for a readable failure. */
function firstWrongLine(body: Buffer): { index: number; got: string; want: string } | undefined {
  for (let i = 0; i < LINES; i++) {
    const got = body.subarray(i * LINE_BYTES, (i + 1) * LINE_BYTES).toString('utf8');
    if (got !== line(i)) return { index: i, got, want: line(i) };
  }
  return undefined;
}

describe('large-payload', () => {
  const dev = useDevServer('large-payload');
  const client = () =>
    new LambdaClient({
      endpoint: dev().baseUrl,
      region: 'us-east-1',
      credentials: { ...DEV_CREDENTIALS },
      maxAttempts: 1,
    });

  it('streams all 7 340 032 bytes to a signed fetch, every line right', async () => {
    const url = dev().functionUrl('LargePayload');
    const result = await timedFetch(url, await signedInit(url));
    expect(result.status, result.body.subarray(0, 500).toString('utf8')).toBe(200);
    expect(result.headers.get('content-type')).toBe('text/plain');
    expect(result.headers.get('content-disposition')).toBe('attachment; filename="large.txt"');
    // Streamed: no length up front.
    expect(result.headers.get('content-length')).toBeNull();
    expect(result.body.length).toBe(SIZE);
    expect(SIZE).toBeGreaterThan(BUFFERED_LIMIT);
    expect(firstWrongLine(result.body)).toBeUndefined();
    expect(result.body.equals(expected())).toBe(true);
    // It arrived in pieces, not as one buffered block.
    expect(result.chunks.length).toBeGreaterThan(1);
  }, 60_000);

  it('fails a buffered Invoke of the same function with Function.ResponseSizeTooLarge, as AWS does', async () => {
    const response = await client().send(new InvokeCommand({ FunctionName: 'LargePayload', Payload: '{}' }));
    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBe('Unhandled');
    const error = JSON.parse(new TextDecoder().decode(response.Payload)) as Record<string, unknown>;
    expect(error).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size exceeded maximum allowed payload size (${BUFFERED_LIMIT} bytes).`,
    });
  }, 60_000);

  it('delivers the whole 7 MiB through InvokeWithResponseStream', async () => {
    const response = await client().send(
      new InvokeWithResponseStreamCommand({ FunctionName: 'LargePayload', Payload: '{}' }),
    );
    const parts: Uint8Array[] = [];
    let complete: { ErrorCode?: string | undefined } | undefined;
    for await (const event of response.EventStream ?? []) {
      if (event.PayloadChunk?.Payload) parts.push(event.PayloadChunk.Payload);
      if (event.InvokeComplete) complete = event.InvokeComplete;
    }
    expect(complete).toBeDefined();
    expect(complete?.ErrorCode).toBeUndefined();
    const payload = Buffer.concat(parts);
    // Unlike a function URL, InvokeWithResponseStream passes the HTTP prelude through (JSON, then 8 NULs),
    // as on AWS; the file follows it.
    const delimiter = payload.indexOf(Buffer.alloc(8));
    expect(JSON.parse(payload.subarray(0, delimiter).toString('utf8'))).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'text/plain', 'Content-Disposition': 'attachment; filename="large.txt"' },
    });
    expect(payload.subarray(delimiter + 8).equals(expected())).toBe(true);
  }, 60_000);
});
