/**
 * The invoke client against a real dev server: each way in (sdk, url, invoke), success and the ways an
 * invocation fails.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CREDENTIALS } from '../emulator/http/credentials.js';
import { type DevServer, startDev } from './dev-server.js';
import { DevErrorCode } from './errors.js';
import { type InvokeRequest, invokeFunction } from './invoke-client.js';

let work: string;
let server: DevServer;

const TEMPLATE = `Resources:
  Stream:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: .
      Handler: functions.stream
      FunctionUrlConfig: { AuthType: AWS_IAM, InvokeMode: RESPONSE_STREAM }
  Fails:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: .
      Handler: functions.fails
      FunctionUrlConfig: { AuthType: NONE, InvokeMode: RESPONSE_STREAM }
`;

const FUNCTIONS = `export const stream = awslambda.streamifyResponse(async (event, responseStream) => {
  const out = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'x-n': String(event.n ?? 0) } });
  out.write('one;');
  await new Promise((resolve) => setTimeout(resolve, 50));
  out.write('two;');
  out.end('n=' + (event.n ?? 'none'));
});
export const fails = awslambda.streamifyResponse(async (_event, responseStream) => {
  responseStream.write('partial;');
  await new Promise((resolve) => setTimeout(resolve, 20));
  throw new TypeError('boom');
});
`;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'sluice-invoke-'));
  await mkdir(work, { recursive: true });
  await writeFile(path.join(work, 'template.yaml'), TEMPLATE);
  await writeFile(path.join(work, 'functions.ts'), FUNCTIONS);
  server = await startDev({
    target: work,
    port: 0,
    watch: false,
    env: {},
    out: () => {},
    err: () => {},
    logger: () => {},
  });
});

afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

async function run(request: Omit<InvokeRequest, 'endpoint'>) {
  const chunks: Buffer[] = [];
  const result = await invokeFunction({
    endpoint: server.url,
    ...request,
    onChunk: (chunk) => chunks.push(Buffer.from(chunk)),
  });
  return { result, body: Buffer.concat(chunks).toString('utf8'), chunks };
}

describe('invokeFunction', () => {
  it('sdk: streams the payload as InvokeWithResponseStream delivers it', async () => {
    const { result, body, chunks } = await run({ functionName: 'Stream', event: Buffer.from('{"n":7}') });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.error).toBeUndefined();
    // The payload is the raw stream: the prelude, 8 NULs, then the body.
    expect(body).toBe(`{"statusCode":201,"headers":{"x-n":"7"}}${'\0'.repeat(8)}one;two;n=7`);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(result.firstByteMs).toBeLessThanOrEqual(result.totalMs);
    expect(result.bytes).toBe(Buffer.byteLength(body));
  });

  it('sdk: a function error is ok: false with the InvokeComplete error', async () => {
    const { result, body } = await run({ functionName: 'Fails' });
    expect(body).toBe('partial;');
    expect(result).toMatchObject({
      ok: false,
      error: { type: 'Unhandled', message: expect.stringMatching(/^TypeError: boom/) },
    });
  });

  it('sdk: an unknown function is the Lambda API error', async () => {
    const { result } = await run({ functionName: 'Nope' });
    expect(result).toMatchObject({
      ok: false,
      status: 404,
      error: { type: 'ResourceNotFoundException', message: expect.stringContaining('Nope') },
    });
  });

  it('url: signs for AWS_IAM URLs and gets the status, headers and body from the prelude', async () => {
    const heads: number[] = [];
    const { result, body } = await run({
      via: 'url',
      functionName: 'Stream',
      event: Buffer.from('{"n":3}'),
      credentials: DEFAULT_CREDENTIALS,
      onResponse: ({ status }) => heads.push(status),
    });
    expect(heads).toEqual([201]);
    expect(result).toMatchObject({ ok: true, status: 201, headers: { 'x-n': '0' } });
    // Through a function URL the event is the HTTP request, not the body: event.n is undefined.
    expect(body).toBe('one;two;n=none');
    const unsigned = await run({ via: 'url', functionName: 'Stream' });
    expect(unsigned.result).toMatchObject({ ok: false, status: 403 });
  });

  it('url: a failure after the head is a body cut short (Truncated)', async () => {
    const { result, body } = await run({ via: 'url', functionName: 'Fails', path: '/x?y=1' });
    expect(body).toBe('partial;');
    expect(result).toMatchObject({ ok: false, status: 200, error: { type: 'Truncated' } });
  });

  it('invoke: runs the first function through /invoke', async () => {
    const { result, body } = await run({ via: 'invoke', event: Buffer.from('{"n":1}') });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(body).toContain('one;two;n=1');
  });

  it('refuses an endpoint where nothing listens, or that does not speak the event stream', async () => {
    const probe = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    try {
      await expect(
        invokeFunction({ endpoint: `http://127.0.0.1:${port}`, functionName: 'f' }),
      ).rejects.toMatchObject({
        code: DevErrorCode.invokeProtocol,
      });
    } finally {
      await new Promise((resolve) => probe.close(resolve));
    }
    await expect(
      invokeFunction({ endpoint: `http://127.0.0.1:${port}`, functionName: 'f' }),
    ).rejects.toMatchObject({
      code: DevErrorCode.invokeUnreachable,
    });
  });
});
