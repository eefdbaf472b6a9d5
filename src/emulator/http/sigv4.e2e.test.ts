import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRequest, runCurl } from '../../../test/support/http-clients.js';
import { functionUrlDecoderProblems } from '../../../test/support/http-events.js';
import { type Emulator, startEmulator } from '../emulator.js';
import type { LogEntry } from '../logger.js';
import { DEFAULT_CREDENTIALS } from './credentials.js';

// AWS_IAM function URLs against real signers: curl's --aws-sigv4, the AWS SDK for JavaScript's own signing
// pipeline, and botocore (Debian's python3-botocore, run with /usr/bin/python3).

const FIXTURES = fileURLToPath(new URL('../test-fixtures', import.meta.url));
const KEY = DEFAULT_CREDENTIALS.accessKeyId;
const SECRET = DEFAULT_CREDENTIALS.secretAccessKey;
const TEMPORARY = {
  accessKeyId: 'ASIATEMPORARYEXAMPLE',
  secretAccessKey: 'temporary/secret',
  sessionToken: 'token+/=',
};
const FORBIDDEN = {
  Message:
    'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html',
};
const execFileAsync = promisify(execFile);

/** Signs with botocore's SigV4Auth (service lambda) and sends with urllib; prints the status, then the body. */
const BOTOCORE_SCRIPT = `
import sys, urllib.request, urllib.error
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
url, key, secret, body = sys.argv[1:5]
request = AWSRequest(method='POST', url=url, data=body.encode(), headers={'Content-Type': 'application/json'})
SigV4Auth(Credentials(key, secret), 'lambda', 'us-east-1').add_auth(request)
prepared = request.prepare()
try:
    response = urllib.request.urlopen(urllib.request.Request(prepared.url, data=prepared.body, headers=dict(prepared.headers), method='POST'))
    status, data = response.status, response.read()
except urllib.error.HTTPError as error:
    status, data = error.code, error.read()
sys.stdout.write(str(status) + '\\n' + data.decode())
`;

async function botocore(url: string, key: string, secret: string, body: string) {
  const { stdout } = await execFileAsync('/usr/bin/python3', [
    '-c',
    BOTOCORE_SCRIPT,
    url,
    key,
    secret,
    body,
  ]).catch((error: { stderr?: string }) => {
    throw new Error(
      `botocore is needed for this test: apt-get install -y python3-botocore (then /usr/bin/python3 imports it). ${error.stderr ?? ''}`,
    );
  });
  const newline = stdout.indexOf('\n');
  return { status: Number(stdout.slice(0, newline)), body: stdout.slice(newline + 1) };
}

/**
 * The AWS SDK's LambdaClient, re-targeted at a function URL: a build-step middleware turns its Invoke request
 * into `POST <path>?<query>` with a JSON body before the SDK's own SigV4 signer (service `lambda`) signs and
 * sends it, so the request is signed exactly as the SDK signs its own calls (x-amz-content-sha256, the SDK's
 * headers, its canonicalisation).
 */
function sdkClientFor(
  emulator: Emulator,
  secret: string,
  path: string,
  query: Record<string, string>,
  body: string,
) {
  const client = new LambdaClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: KEY, secretAccessKey: secret },
    maxAttempts: 1,
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as {
        method: string;
        path: string;
        query: Record<string, string>;
        headers: Record<string, string>;
        body: unknown;
      };
      request.method = 'POST';
      request.path = path;
      request.query = query;
      request.body = body;
      for (const name of Object.keys(request.headers)) {
        if (name.toLowerCase().startsWith('x-amz-') || name.toLowerCase() === 'content-length')
          delete request.headers[name];
      }
      request.headers['content-type'] = 'application/json';
      return next(args);
    },
    { step: 'build', priority: 'high', name: 'retargetToFunctionUrl' },
  );
  return client;
}

/** A server that records one request and answers 200, to capture what curl signs. */
async function captureOnce(): Promise<{
  url: string;
  request: Promise<{ req: IncomingMessage; body: Buffer }>;
}> {
  let resolve!: (value: { req: IncomingMessage; body: Buffer }) => void;
  const request = new Promise<{ req: IncomingMessage; body: Buffer }>((r) => {
    resolve = r;
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.end('captured');
      server.close();
      resolve({ req, body: Buffer.concat(chunks) });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, request };
}

describe('AWS_IAM function URLs', () => {
  let emulator: Emulator;
  let url: string;
  const logs: LogEntry[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      logger: (entry) => logs.push(entry),
      credentials: [DEFAULT_CREDENTIALS, TEMPORARY],
      functions: [
        {
          name: 'iamEcho',
          code: FIXTURES,
          handler: 'http-handlers.echoEvent',
          url: { authType: 'AWS_IAM', invokeMode: 'RESPONSE_STREAM' },
        },
      ],
    });
    url = `${emulator.url}/lambda-url/iamEcho/`;
  });

  afterAll(async () => {
    await emulator?.close();
  });

  const curlSigned = (user: string, target: string, ...extra: string[]) =>
    runCurl([
      '-sS',
      '-w',
      '\n%{http_code}',
      '--aws-sigv4',
      'aws:amz:us-east-1:lambda',
      '--user',
      user,
      ...extra,
      target,
    ]);
  const split = (stdout: Buffer) => {
    const text = stdout.toString();
    const newline = text.lastIndexOf('\n');
    return { body: text.slice(0, newline), status: Number(text.slice(newline + 1)) };
  };

  it('accepts curl --aws-sigv4 with the right keys, and passes the signer to the function', async () => {
    const { status, body } = split((await curlSigned(`${KEY}:${SECRET}`, `${url}path?a=1&b=x%20y`)).stdout);
    expect(status).toBe(200);
    const event = JSON.parse(body);
    expect(functionUrlDecoderProblems(event)).toEqual([]);
    expect(event.headers.authorization).toBeUndefined();
    expect(event.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(event.rawPath).toBe('/path');
    expect(event.requestContext).toMatchObject({
      accountId: '123456789012',
      authorizer: {
        iam: {
          accessKey: KEY,
          accountId: '123456789012',
          userArn: 'arn:aws:iam::123456789012:user/sluice',
          cognitoIdentity: null,
          principalOrgId: null,
        },
      },
    });
    expect(event.requestContext.authorizer.iam.userId).toMatch(/^AIDA[0-9A-F]{17}$/);
  });

  it('accepts curl --aws-sigv4 with a JSON body, and at the function’s own host name', async () => {
    const post = await curlSigned(
      `${KEY}:${SECRET}`,
      url,
      '-H',
      'content-type: application/json',
      '--data',
      '{"n":1}',
    );
    expect(split(post.stdout).status).toBe(200);
    expect(JSON.parse(split(post.stdout).body).body).toBe('{"n":1}');
    const hosted = await curlSigned(
      `${KEY}:${SECRET}`,
      `http://iamEcho.lambda-url.localhost:${emulator.port}/x`,
    );
    expect(split(hosted.stdout).status).toBe(200);
  });

  it('accepts temporary credentials with their session token (curl -H x-amz-security-token)', async () => {
    const user = `${TEMPORARY.accessKeyId}:${TEMPORARY.secretAccessKey}`;
    const good = await curlSigned(user, url, '-H', `x-amz-security-token: ${TEMPORARY.sessionToken}`);
    expect(split(good.stdout).status).toBe(200);
    const missing = await curlSigned(user, url);
    expect(split(missing.stdout).status).toBe(403);
  });

  it('refuses a wrong secret, a missing signature, and the wrong region or service with 403', async () => {
    for (const result of [
      await curlSigned(`${KEY}:wrong-secret`, url),
      await runCurl(['-sS', '-w', '\n%{http_code}', url]),
      await runCurl([
        '-sS',
        '-w',
        '\n%{http_code}',
        '--aws-sigv4',
        'aws:amz:eu-west-1:lambda',
        '--user',
        `${KEY}:${SECRET}`,
        url,
      ]),
      await runCurl([
        '-sS',
        '-w',
        '\n%{http_code}',
        '--aws-sigv4',
        'aws:amz',
        '--user',
        `${KEY}:${SECRET}`,
        url,
      ]),
    ]) {
      const { status, body } = split(result.stdout);
      expect(status).toBe(403);
      expect(JSON.parse(body)).toEqual(FORBIDDEN);
    }
    for (const reason of ['signature-mismatch', 'missing-signature', 'wrong-region', 'wrong-service']) {
      expect(logs.some((entry) => entry.message.includes(`403 (${reason})`))).toBe(true);
    }
  });

  it('refuses a body changed after curl signed it', async () => {
    // curl signs a request (with the emulator's Host) sent to a capture server; it is then replayed.
    const capture = await captureOnce();
    const target = `${capture.url}/lambda-url/iamEcho/`;
    await curlSigned(
      `${KEY}:${SECRET}`,
      target,
      '-H',
      `Host: 127.0.0.1:${emulator.port}`,
      '-H',
      'content-type: application/json',
      '--data',
      '{"amount":1}',
    );
    const { req, body } = await capture.request;
    const headers: Record<string, string> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i]!] = req.rawHeaders[i + 1]!;
    const replay = (payload: string) =>
      nodeRequest(url, {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(payload.length) },
        body: payload,
      });
    expect(body.toString()).toBe('{"amount":1}');
    expect((await replay('{"amount":1}')).status).toBe(200);
    const tampered = await replay('{"amount":9}');
    expect(tampered.status).toBe(403);
    expect(JSON.parse(tampered.body.toString())).toEqual(FORBIDDEN);
  });

  it('refuses a signature older than the clock skew allows', async () => {
    const strict = await startEmulator({
      port: 0,
      logger: (entry) => logs.push(entry),
      signatureClockSkew: 1,
      functions: [
        { name: 'iamEcho', code: FIXTURES, handler: 'http-handlers.echoEvent', url: { authType: 'AWS_IAM' } },
      ],
    });
    try {
      const capture = await captureOnce();
      await curlSigned(
        `${KEY}:${SECRET}`,
        `${capture.url}/lambda-url/iamEcho/`,
        '-H',
        `Host: 127.0.0.1:${strict.port}`,
      );
      const { req } = await capture.request;
      const headers: Record<string, string> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i]!] = req.rawHeaders[i + 1]!;
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const expired = await nodeRequest(`${strict.url}/lambda-url/iamEcho/`, { headers });
      expect(expired.status).toBe(403);
      expect(JSON.parse(expired.body.toString())).toEqual(FORBIDDEN);
      expect(logs.some((entry) => entry.message.includes('403 (expired)'))).toBe(true);
    } finally {
      await strict.close();
    }
  });

  it('accepts requests signed by the AWS SDK for JavaScript, and refuses a wrong secret', async () => {
    const good = sdkClientFor(
      emulator,
      SECRET,
      '/lambda-url/iamEcho/sdk/a%20b',
      { z: '1', a: 'x y' },
      '{"sdk":true}',
    );
    const result = await good.send(new InvokeCommand({ FunctionName: 'unused' }));
    expect(result.StatusCode).toBe(200);
    const event = JSON.parse(Buffer.from(result.Payload!).toString());
    expect(event).toMatchObject({
      rawPath: '/sdk/a%20b',
      queryStringParameters: { a: 'x y', z: '1' },
      body: '{"sdk":true}',
      requestContext: { authorizer: { iam: { accessKey: KEY } } },
    });
    expect(event.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    good.destroy();

    const bad = sdkClientFor(emulator, 'wrong', '/lambda-url/iamEcho/', {}, '{}');
    await expect(bad.send(new InvokeCommand({ FunctionName: 'unused' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    bad.destroy();
  });

  it('accepts requests signed by botocore, and refuses a wrong secret', async () => {
    const good = await botocore(`${url}boto?b=2&a=1`, KEY, SECRET, '{"boto":1}');
    expect(good.status).toBe(200);
    expect(JSON.parse(good.body)).toMatchObject({
      rawPath: '/boto',
      body: '{"boto":1}',
      requestContext: { authorizer: { iam: { accessKey: KEY } } },
    });
    const bad = await botocore(url, KEY, 'wrong', '{}');
    expect(bad.status).toBe(403);
    expect(JSON.parse(bad.body)).toEqual(FORBIDDEN);
  });
});
