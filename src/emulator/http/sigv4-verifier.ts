/**
 * Server-side verification of AWS Signature Version 4 (header form), as an `AWS_IAM` function URL requires
 * ("you must sign each HTTP request using SigV4", signing name `lambda`). The expected signature is computed
 * with AWS's own signer, `@smithy/signature-v4`, over a request rebuilt from what arrived: the method, the raw
 * path encoded once more (the SigV4 rule for every service but S3, `uriEscapePath: true`), the query decoded
 * and re-canonicalised, only the headers the client listed in `SignedHeaders` with their values as received,
 * and the SHA-256 of the body. The signing date is the client's `x-amz-date`. See http-fronts.md §1.5 for what
 * curl, the JS SDK and botocore send.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SigV4Credentials } from './credentials.js';
import { headerValues, parseQuery } from './request.js';

/**
 * The parts of a request a signature covers.
 *
 * @example
 * const request: SignedRequest = { method: 'GET', rawPath: '/', rawQuery: '', rawHeaders: req.rawHeaders, body: Buffer.alloc(0) };
 */
export interface SignedRequest {
  method: string;
  /** The path exactly as sent (still percent-encoded), including any routing prefix the client signed. */
  rawPath: string;
  rawQuery: string;
  rawHeaders: readonly string[];
  body: Uint8Array;
}

/**
 * What to verify against.
 *
 * @example
 * const options: SigV4VerifyOptions = { credentials, service: 'lambda', region: 'us-east-1', clockSkewMs: 300_000 };
 */
export interface SigV4VerifyOptions {
  credentials: readonly SigV4Credentials[];
  /** The signing name the credential scope must carry: `lambda` for function URLs. */
  service: string;
  /** The region the credential scope must carry (the emulator's region). */
  region: string;
  /** How far `x-amz-date` may be from now (AWS: 5 minutes either way). */
  clockSkewMs: number;
  /** Epoch milliseconds to compare `x-amz-date` with; default `Date.now()`. */
  now?: number;
}

/**
 * Why a signature was refused (stable; the emulator logs the reason with a hint, the client only gets 403).
 *
 * @example
 * if (!result.ok && result.reason === 'wrong-region') console.error(result.message);
 */
export type SigV4FailureReason =
  | 'missing-signature'
  | 'malformed-authorization'
  | 'wrong-service'
  | 'wrong-region'
  | 'missing-date'
  | 'expired'
  | 'header-not-signed'
  | 'missing-signed-header'
  | 'unknown-access-key'
  | 'session-token'
  | 'payload-hash'
  | 'signature-mismatch';

/**
 * The outcome of a verification.
 *
 * @example
 * const result = await verifySigV4(request, options);
 * if (result.ok) console.log(result.credentials.accessKeyId);
 */
export type SigV4Verification =
  | { ok: true; credentials: SigV4Credentials }
  | { ok: false; reason: SigV4FailureReason; message: string };

/**
 * A parsed `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header.
 *
 * @example
 * parseAuthorization('AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab12');
 * // { accessKeyId: 'AKID', date: '20240101', region: 'us-east-1', service: 'lambda', signedHeaders: ['host', 'x-amz-date'], signature: 'ab12' }
 */
export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/**
 * Parses an `Authorization` header of algorithm `AWS4-HMAC-SHA256`; undefined when it is not one.
 *
 * @example
 * const parsed = parseAuthorization(req.headers.authorization);
 */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  const match = /^AWS4-HMAC-SHA256\s+(.+)$/s.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const fields = new Map<string, string>();
  for (const part of match[1]!.split(',')) {
    const index = part.indexOf('=');
    if (index === -1) return undefined;
    fields.set(part.slice(0, index).trim(), part.slice(index + 1).trim());
  }
  const scope = fields.get('Credential')?.split('/');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (scope?.length !== 5 || scope[4] !== 'aws4_request' || !signedHeaders || !signature) return undefined;
  const [accessKeyId, date, region, service] = scope as [string, string, string, string];
  if (!accessKeyId || !/^\d{8}$/.test(date) || !/^[0-9a-f]{64}$/i.test(signature)) return undefined;
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: signedHeaders.split(';').map((name) => name.trim().toLowerCase()),
    signature: signature.toLowerCase(),
  };
}

/**
 * Parses `x-amz-date` (`YYYYMMDDTHHMMSSZ`) to epoch milliseconds.
 *
 * @example
 * parseAmzDate('20240101T000000Z'); // 1704067200000
 */
export function parseAmzDate(value: string | undefined): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const epoch = Date.UTC(year!, month! - 1, day!, hour, minute, second);
  return Number.isNaN(epoch) ? undefined : epoch;
}

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

function fail(reason: SigV4FailureReason, message: string): SigV4Verification {
  return { ok: false, reason, message };
}

function equalHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.byteLength === right.byteLength && timingSafeEqual(left, right);
}

/**
 * Verifies a request's SigV4 signature. Refuses (with the reason): no or malformed `Authorization`, a scope
 * whose service or region differs (curl derives both from the host name unless told, so
 * `--aws-sigv4 "aws:amz:us-east-1:lambda"` must name them), a missing or out-of-skew `x-amz-date` or one
 * whose day differs from the scope's, `host` or `x-amz-date` not signed, a signed header missing, an unknown
 * access key, a session token that does not match the configured one, an `x-amz-content-sha256` that is not
 * the body's hash (`UNSIGNED-PAYLOAD` included: Lambda requires signed payloads), and any signature but the
 * expected one (compared in constant time).
 *
 * @example
 * const result = await verifySigV4(
 *   { method: req.method!, rawPath, rawQuery, rawHeaders: req.rawHeaders, body },
 *   { credentials: [DEFAULT_CREDENTIALS], service: 'lambda', region: 'us-east-1', clockSkewMs: 300_000 },
 * );
 * if (!result.ok) return forbidden(res);
 */
export async function verifySigV4(
  request: SignedRequest,
  options: SigV4VerifyOptions,
): Promise<SigV4Verification> {
  const headers = headerValues(request.rawHeaders);
  const authorization = headers.get('authorization')?.[0];
  if (authorization === undefined) {
    return fail('missing-signature', 'the request is not signed (no Authorization header).');
  }
  const parsed = parseAuthorization(authorization);
  if (!parsed) {
    return fail(
      'malformed-authorization',
      'the Authorization header is not an AWS4-HMAC-SHA256 signature (Credential=…/aws4_request, SignedHeaders=…, Signature=…).',
    );
  }
  if (parsed.service !== options.service) {
    return fail(
      'wrong-service',
      `the credential scope names service "${parsed.service}"; sign for "${options.service}" (curl: --aws-sigv4 "aws:amz:${options.region}:${options.service}").`,
    );
  }
  if (parsed.region !== options.region) {
    return fail(
      'wrong-region',
      `the credential scope names region "${parsed.region}"; the emulator's region is "${options.region}" (curl: --aws-sigv4 "aws:amz:${options.region}:${options.service}", or start the emulator with that region).`,
    );
  }
  const amzDate = headers.get('x-amz-date')?.[0];
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) return fail('missing-date', 'the request has no valid x-amz-date header.');
  if (amzDate!.slice(0, 8) !== parsed.date) {
    return fail('missing-date', `x-amz-date ${amzDate} is not on the credential scope's day ${parsed.date}.`);
  }
  const now = options.now ?? Date.now();
  if (Math.abs(now - signedAt) > options.clockSkewMs) {
    return fail(
      'expired',
      `x-amz-date ${amzDate} is more than ${Math.round(options.clockSkewMs / 1000)} s away from the emulator's clock (${new Date(now).toISOString()}): the signature has expired or is from the future.`,
    );
  }
  for (const required of ['host', 'x-amz-date']) {
    if (!parsed.signedHeaders.includes(required)) {
      return fail('header-not-signed', `SignedHeaders must include ${required}.`);
    }
  }
  const signedValues: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const values = headers.get(name);
    if (!values) return fail('missing-signed-header', `the signed header ${name} is not in the request.`);
    signedValues[name] = values.map((value) => value.trim()).join(',');
  }
  const credentials = options.credentials.find((entry) => entry.accessKeyId === parsed.accessKeyId);
  if (!credentials) {
    return fail(
      'unknown-access-key',
      `access key ${parsed.accessKeyId} is not one the emulator accepts (${options.credentials.map((entry) => entry.accessKeyId).join(', ')}).`,
    );
  }
  if (credentials.sessionToken !== undefined) {
    const token = signedValues['x-amz-security-token'];
    if (token === undefined || !equalHex(token, credentials.sessionToken)) {
      return fail(
        'session-token',
        `access key ${parsed.accessKeyId} has a session token: send it, signed, in x-amz-security-token.`,
      );
    }
  }
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const declaredHash = headers.get('x-amz-content-sha256')?.[0]?.trim();
  if (declaredHash !== undefined && declaredHash !== bodyHash) {
    return fail(
      'payload-hash',
      declaredHash === UNSIGNED_PAYLOAD
        ? 'x-amz-content-sha256 is UNSIGNED-PAYLOAD; Lambda requires the payload to be signed.'
        : 'x-amz-content-sha256 is not the SHA-256 of the body: the body was changed after signing.',
    );
  }

  const query: Record<string, string | string[]> = {};
  for (const [key, values] of parseQuery(request.rawQuery))
    query[key] = values.length === 1 ? values[0]! : values;
  const signer = new SignatureV4({
    service: options.service,
    region: options.region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: signedValues.host ?? 'localhost',
      path: request.rawPath,
      query,
      headers: signedValues,
      body: request.body,
    },
    { signingDate: new Date(signedAt), signableHeaders: new Set(parsed.signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  if (!equalHex(expected, parsed.signature)) {
    return fail(
      'signature-mismatch',
      'the signature does not match: wrong secret key, or the request (method, path, query, signed headers, body) differs from what was signed. curl signs the query as written: send it sorted and percent-encoded.',
    );
  }
  return { ok: true, credentials };
}
