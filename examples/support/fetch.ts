/**
 * Node's `fetch` with the body read chunk by chunk (each chunk stamped with `performance.now()`), and SigV4
 * signing for AWS_IAM function URLs with the same signer the AWS SDK uses (@smithy/signature-v4).
 */
import { performance } from 'node:perf_hooks';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { type TimedChunk, type TimedLine, timedLines } from './curl.js';
import { DEV_CREDENTIALS } from './dev-server.js';

/**
 * What fetch received.
 *
 * @example
 * const { response, body, chunks, firstByteAt } = await timedFetch(url);
 */
export interface FetchResult {
  response: Response;
  status: number;
  headers: Headers;
  body: Buffer;
  chunks: TimedChunk[];
  lines: TimedLine[];
  /** `performance.now()` just before `fetch` was called. */
  startedAt: number;
  /** When the response head arrived. */
  headAt: number;
  /** Arrival of the first body byte, undefined for an empty body. */
  firstByteAt: number | undefined;
}

/**
 * `fetch(url, init)`, then reads the body to the end, keeping each chunk with its arrival time. `onChunk`
 * sees every chunk as it arrives.
 *
 * @example
 * const result = await timedFetch(url, { method: 'POST', body: '{}' });
 */
export async function timedFetch(
  url: string,
  init: RequestInit = {},
  onChunk?: (chunk: TimedChunk) => void,
): Promise<FetchResult> {
  const startedAt = performance.now();
  const response = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(60_000) });
  const headAt = performance.now();
  const chunks: TimedChunk[] = [];
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = { at: performance.now(), data: Buffer.from(value) };
      chunks.push(chunk);
      onChunk?.(chunk);
    }
  }
  return {
    response,
    status: response.status,
    headers: response.headers,
    body: Buffer.concat(chunks.map((chunk) => chunk.data)),
    chunks,
    lines: timedLines(chunks),
    startedAt,
    headAt,
    firstByteAt: chunks[0]?.at,
  };
}

/**
 * Request options signed with SigV4 for service `lambda` in us-east-1 (what an AWS_IAM function URL
 * checks), with the keys `sluice dev` accepts by default.
 *
 * @example
 * await timedFetch(url, await signedInit(url, { method: 'GET' }));
 */
export async function signedInit(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  credentials: { accessKeyId: string; secretAccessKey: string } = DEV_CREDENTIALS,
): Promise<RequestInit> {
  const target = new URL(url);
  const signer = new SignatureV4({
    service: 'lambda',
    region: 'us-east-1',
    credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  const query: Record<string, string> = {};
  for (const [name, value] of target.searchParams) query[name] = value;
  const signed = await signer.sign({
    method: init.method ?? 'GET',
    protocol: target.protocol,
    hostname: target.hostname,
    ...(target.port ? { port: Number(target.port) } : {}),
    path: target.pathname,
    query,
    // fetch sends Host as host:port; sign exactly that.
    headers: { host: target.host, ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const headers = { ...signed.headers };
  delete headers.host;
  return {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: init.body } : {}),
  };
}
