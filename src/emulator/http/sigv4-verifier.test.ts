import { createHash, createHmac } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import type { SigV4Credentials } from './credentials.js';
import { parseAmzDate, parseAuthorization, type SignedRequest, verifySigV4 } from './sigv4-verifier.js';

const CREDENTIALS: SigV4Credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const NOW = Date.UTC(2026, 10, 21, 10, 0, 0);
const OPTIONS = {
  credentials: [CREDENTIALS],
  service: 'lambda',
  region: 'us-east-1',
  clockSkewMs: 300_000,
  now: NOW,
};

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const rfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const amzDate = (epoch: number) =>
  new Date(epoch)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

interface IndependentInput {
  method: string;
  path: string;
  query?: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  credentials?: SigV4Credentials;
  region?: string;
  service?: string;
  date?: number;
}

/**
 * An independent SigV4 signer written from the specification with node:crypto (not @smithy/signature-v4): the
 * path as sent, each segment encoded once more; the query sorted and encoded; signed headers sorted.
 */
function independentSign(input: IndependentInput): SignedRequest {
  const date = amzDate(input.date ?? NOW);
  const credentials = input.credentials ?? CREDENTIALS;
  const region = input.region ?? 'us-east-1';
  const service = input.service ?? 'lambda';
  const headers: Record<string, string> = { ...input.headers, 'x-amz-date': date };
  const names = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort();
  const lower = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const canonicalQuery = (input.query ?? '')
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('=').map((part) => rfc3986(decodeURIComponent(part ?? ''))))
    .map(([key, value]) => `${key}=${value ?? ''}`)
    .sort()
    .join('&');
  const canonical = [
    input.method,
    input.path
      .split('/')
      .map((segment) => rfc3986(segment))
      .join('/'),
    canonicalQuery,
    `${names.map((name) => `${name}:${lower[name]!.trim().replace(/\s+/g, ' ')}`).join('\n')}\n`,
    names.join(';'),
    sha256(input.body ?? ''),
  ].join('\n');
  const scope = `${date.slice(0, 8)}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date.slice(0, 8)), region), service),
    'aws4_request',
  );
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  const authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return {
    method: input.method,
    rawPath: input.path,
    rawQuery: input.query ?? '',
    rawHeaders: [...Object.entries(headers).flat(), 'Authorization', authorization],
    body: Buffer.from(input.body ?? ''),
  };
}

/** Signs the way the AWS SDK for JavaScript does (@smithy/signature-v4, with x-amz-content-sha256). */
async function sdkSign(input: {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: string;
}) {
  const signer = new SignatureV4({
    service: 'lambda',
    region: 'us-east-1',
    credentials: CREDENTIALS,
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    {
      method: input.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 9000,
      path: input.path,
      query: input.query ?? {},
      headers: { host: '127.0.0.1:9000', 'content-type': 'application/json' },
      body: input.body ?? '',
    },
    { signingDate: new Date(NOW) },
  );
  const rawQuery = Object.entries(input.query ?? {})
    .map(([key, value]) => `${rfc3986(key)}=${rfc3986(value)}`)
    .join('&');
  return {
    method: input.method,
    rawPath: input.path,
    rawQuery,
    rawHeaders: Object.entries(signed.headers as Record<string, string>).flat(),
    body: Buffer.from(input.body ?? ''),
  } satisfies SignedRequest;
}

const base: IndependentInput = {
  method: 'POST',
  path: '/lambda-url/fn/hello',
  query: 'a=2&m=x%20y&z=1',
  headers: { host: '127.0.0.1:9000', 'content-type': 'application/json' },
  body: '{"hello":"world"}',
};

const withHeader = (request: SignedRequest, name: string, value: string): SignedRequest => {
  const rawHeaders = [...request.rawHeaders];
  const index = rawHeaders.findIndex((entry, i) => i % 2 === 0 && entry.toLowerCase() === name);
  if (index === -1) rawHeaders.push(name, value);
  else rawHeaders[index + 1] = value;
  return { ...request, rawHeaders };
};

describe('verifySigV4', () => {
  it('accepts a request signed by an independent implementation of the specification', async () => {
    await expect(verifySigV4(independentSign(base), OPTIONS)).resolves.toEqual({
      ok: true,
      credentials: CREDENTIALS,
    });
  });

  it('accepts requests signed as the AWS SDK signs them (x-amz-content-sha256, encoded paths, queries)', async () => {
    for (const request of [
      await sdkSign({ method: 'GET', path: '/' }),
      await sdkSign({ method: 'POST', path: '/hello/world', body: '{"a":1}' }),
      await sdkSign({ method: 'GET', path: '/a%20b/c%3Ad', query: { z: '1', a: 'x y', q: '$LATEST' } }),
    ]) {
      expect(await verifySigV4(request, OPTIONS)).toMatchObject({ ok: true });
    }
  });

  it('accepts repeated, unordered and padded signed headers as SigV4 canonicalises them', async () => {
    const request = independentSign({ ...base, headers: { ...base.headers, 'x-custom': '  a   b  ' } });
    expect(await verifySigV4(request, OPTIONS)).toMatchObject({ ok: true });
  });

  it.each([
    [
      'wrong secret',
      independentSign({ ...base, credentials: { ...CREDENTIALS, secretAccessKey: 'wrong' } }),
      'signature-mismatch',
    ],
    [
      'unknown access key',
      independentSign({ ...base, credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'x' } }),
      'unknown-access-key',
    ],
    ['service other than lambda', independentSign({ ...base, service: '127' }), 'wrong-service'],
    ['region other than the emulator’s', independentSign({ ...base, region: '0' }), 'wrong-region'],
    ['signature older than 5 minutes', independentSign({ ...base, date: NOW - 301_000 }), 'expired'],
    ['signature from the future', independentSign({ ...base, date: NOW + 301_000 }), 'expired'],
  ])('refuses a %s', async (_name, request, reason) => {
    expect(await verifySigV4(request, OPTIONS)).toMatchObject({ ok: false, reason });
  });

  it('refuses a request changed after signing (body, path, query, method, a signed header)', async () => {
    const signed = independentSign(base);
    const changes: SignedRequest[] = [
      { ...signed, body: Buffer.from('{"hello":"there"}') },
      { ...signed, rawPath: '/lambda-url/fn/other' },
      { ...signed, rawQuery: 'a=2&m=x%20y&z=2' },
      { ...signed, method: 'PUT' },
      withHeader(signed, 'content-type', 'text/plain'),
      withHeader(signed, 'host', 'evil.example'),
    ];
    for (const changed of changes) {
      expect(await verifySigV4(changed, OPTIONS)).toMatchObject({ ok: false, reason: 'signature-mismatch' });
    }
  });

  it('refuses an x-amz-content-sha256 that is not the body hash, and UNSIGNED-PAYLOAD', async () => {
    const signed = await sdkSign({ method: 'POST', path: '/', body: '{"a":1}' });
    expect(await verifySigV4({ ...signed, body: Buffer.from('{"a":2}') }, OPTIONS)).toMatchObject({
      ok: false,
      reason: 'payload-hash',
    });
    const unsigned = independentSign({
      ...base,
      headers: { ...base.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    expect(await verifySigV4(unsigned, OPTIONS)).toMatchObject({ ok: false, reason: 'payload-hash' });
  });

  it('refuses unsigned requests and malformed Authorization headers', async () => {
    const unsigned: SignedRequest = { ...independentSign(base), rawHeaders: ['host', '127.0.0.1:9000'] };
    expect(await verifySigV4(unsigned, OPTIONS)).toMatchObject({ ok: false, reason: 'missing-signature' });
    expect(
      await verifySigV4(withHeader(independentSign(base), 'authorization', 'Bearer x'), OPTIONS),
    ).toMatchObject({
      ok: false,
      reason: 'malformed-authorization',
    });
  });

  it('requires host and x-amz-date to be signed, and every signed header to be present', async () => {
    const signed = independentSign(base);
    const auth = parseAuthorization(signed.rawHeaders[signed.rawHeaders.indexOf('Authorization') + 1])!;
    const withoutHost = withHeader(
      signed,
      'authorization',
      `AWS4-HMAC-SHA256 Credential=${auth.accessKeyId}/${auth.date}/us-east-1/lambda/aws4_request, SignedHeaders=content-type;x-amz-date, Signature=${auth.signature}`,
    );
    expect(await verifySigV4(withoutHost, OPTIONS)).toMatchObject({ ok: false, reason: 'header-not-signed' });
    const missing = {
      ...signed,
      rawHeaders: signed.rawHeaders.filter((_, i, all) => all[i - (i % 2)] !== 'content-type'),
    };
    expect(await verifySigV4(missing, OPTIONS)).toMatchObject({ ok: false, reason: 'missing-signed-header' });
  });

  it('honours the configured clock skew', async () => {
    const old = independentSign({ ...base, date: NOW - 3_600_000 });
    expect(await verifySigV4(old, { ...OPTIONS, clockSkewMs: 7_200_000 })).toMatchObject({ ok: true });
  });

  it('requires the configured session token, signed', async () => {
    const withToken = { ...CREDENTIALS, sessionToken: 'token-123' };
    const options = { ...OPTIONS, credentials: [withToken] };
    const good = independentSign({
      ...base,
      headers: { ...base.headers, 'x-amz-security-token': 'token-123' },
    });
    expect(await verifySigV4(good, options)).toMatchObject({ ok: true });
    const bad = independentSign({ ...base, headers: { ...base.headers, 'x-amz-security-token': 'other' } });
    expect(await verifySigV4(bad, options)).toMatchObject({ ok: false, reason: 'session-token' });
    expect(await verifySigV4(independentSign(base), options)).toMatchObject({
      ok: false,
      reason: 'session-token',
    });
    // Without a configured token, one the client signed is simply part of the signature.
    expect(await verifySigV4(bad, OPTIONS)).toMatchObject({ ok: true });
  });
});

describe('parseAuthorization and parseAmzDate', () => {
  it('parse what curl sends', () => {
    expect(
      parseAuthorization(
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
      ),
    ).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      date: '20261121',
      region: 'us-east-1',
      service: 'lambda',
      signedHeaders: ['content-type', 'host', 'x-amz-date'],
      signature: '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    });
    expect(parseAuthorization('AWS4-HMAC-SHA256 Credential=A/20261121/us-east-1/lambda')).toBeUndefined();
    expect(parseAmzDate('20261121T100000Z')).toBe(NOW);
    expect(parseAmzDate('2026-11-21')).toBeUndefined();
  });
});
