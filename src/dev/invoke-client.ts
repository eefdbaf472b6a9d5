/**
 * The client side of `sluice invoke`: calls a function through a running `sluice dev` (or any endpoint that
 * speaks Lambda's APIs) three ways, and hands over the response body as it arrives:
 *
 * - `sdk`: `InvokeWithResponseStream` on the Lambda API, the event-stream frames decoded with AWS's own codec
 *   (@smithy/eventstream-codec, a dependency of sluice: the AWS SDK is not needed at run time);
 * - `url`: the function URL (`/lambda-url/<name>/…`), signed with SigV4 (service `lambda`), which `AWS_IAM`
 *   URLs require and `NONE` URLs ignore;
 * - `invoke`: the Swift runtime's local `/invoke` endpoint (the dev server's first function).
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { EventStreamDecoder } from '../emulator/event-stream.js';
import type { SigV4Credentials } from '../emulator/http/credentials.js';
import { DevError, DevErrorCode } from './errors.js';

/**
 * How `sluice invoke` reaches the function.
 *
 * @example
 * const via: InvokeVia = 'url';
 */
export type InvokeVia = 'sdk' | 'url' | 'invoke';

/**
 * The ways to invoke, in the order `--help` lists them.
 *
 * @example
 * INVOKE_VIAS.includes(value as InvokeVia);
 */
export const INVOKE_VIAS: readonly InvokeVia[] = ['sdk', 'url', 'invoke'];

/**
 * @example
 * const request: InvokeRequest = { endpoint: 'http://127.0.0.1:7000', functionName: 'stream', via: 'sdk' };
 */
export interface InvokeRequest {
  /** Base URL of the dev server (the SDK endpoint), e.g. `http://127.0.0.1:7000`. */
  endpoint: string;
  /** Default `sdk`. */
  via?: InvokeVia;
  /** Needed for `sdk` and `url`; `/invoke` runs the server's first function. */
  functionName?: string;
  /**
   * The event. `sdk` and `invoke` send `{}` when it is undefined; `url` sends it as the request body (and
   * sends no body, with GET, when it is undefined).
   */
  event?: Uint8Array;
  /** `url`: path and query below the function URL; default `/`. */
  path?: string;
  /** `url`: HTTP method; default POST with an event, else GET. */
  method?: string;
  /** Extra request headers. */
  headers?: Readonly<Record<string, string>>;
  /** Region the SigV4 signature is scoped to; default us-east-1. */
  region?: string;
  /** Key pair the request is signed with. */
  credentials?: SigV4Credentials;
  /** The response's status and headers, before any body byte. */
  onResponse?: (head: { status: number; headers: IncomingHttpHeaders }) => void;
  /** Each piece of the response body as it arrives (the function's output). */
  onChunk?: (chunk: Uint8Array) => void;
}

/**
 * How an invocation went.
 *
 * @example
 * if (!result.ok) console.error(`${result.error!.type}: ${result.error!.message}`);
 */
export interface InvokeResult {
  /** False when the function (or the request) failed. */
  ok: boolean;
  status: number;
  headers: IncomingHttpHeaders;
  /** Body bytes received, and in how many pieces. */
  bytes: number;
  chunks: number;
  /** Milliseconds from sending the request to the first body byte, if any came. */
  firstByteMs: number | undefined;
  totalMs: number;
  /** What failed: `Unhandled` (the function threw), `Sandbox.Timedout`, an AWS error, `HTTP 502`, … */
  error?: { type: string; message: string };
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Uint8Array | undefined,
): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // One request per connection: nothing lingers in a pool once the response ended.
    const req = request(url, { method, headers, agent: false }, resolve);
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') {
        reject(
          new DevError(
            DevErrorCode.invokeUnreachable,
            `nothing answers at ${url.origin}: start \`sluice dev\` there, or pass --endpoint <url>`,
            { cause: error },
          ),
        );
      } else reject(error);
    });
    req.end(body === undefined ? undefined : Buffer.from(body));
  });
}

async function signedHeaders(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Uint8Array | undefined,
  request: InvokeRequest,
): Promise<Record<string, string>> {
  if (!request.credentials) return headers;
  const signer = new SignatureV4({
    service: 'lambda',
    region: request.region ?? 'us-east-1',
    credentials: {
      accessKeyId: request.credentials.accessKeyId,
      secretAccessKey: request.credentials.secretAccessKey,
      ...(request.credentials.sessionToken ? { sessionToken: request.credentials.sessionToken } : {}),
    },
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
    applyChecksum: true,
  });
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query,
    headers: { ...headers, host: url.host },
    body: body === undefined ? '' : Buffer.from(body),
  });
  return signed.headers as Record<string, string>;
}

/** Reads what is left of a response (an error document), up to 64 KB. */
async function readAll(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    if (size < 65536) chunks.push(chunk as Buffer);
    size += (chunk as Buffer).byteLength;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An AWS error response (`x-amzn-errortype`, `{ message }`) or a function error document, in two fields. */
function errorFrom(
  status: number,
  headers: IncomingHttpHeaders,
  text: string,
): { type: string; message: string } {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the text itself is the message.
  }
  const header = headers['x-amzn-errortype'];
  const type =
    (typeof header === 'string' ? header.split(':')[0] : undefined) ??
    (typeof body.errorType === 'string' ? body.errorType : undefined) ??
    (typeof body.__type === 'string' ? body.__type.split('#').pop() : undefined) ??
    (typeof body.Type === 'string' ? body.Type : undefined) ??
    `HTTP ${status}`;
  const message =
    (typeof body.errorMessage === 'string' ? body.errorMessage : undefined) ??
    (typeof body.message === 'string' ? body.message : undefined) ??
    (typeof body.Message === 'string' ? body.Message : undefined) ??
    text.trim();
  return { type, message };
}

/**
 * Invokes a function and streams its response to `onChunk`. Resolves when the response ended, with `ok:
 * false` when the function failed (an `InvokeComplete` error, an error status, a body cut short); rejects only
 * when the endpoint cannot be reached or does not speak Lambda's protocol (`DevError`).
 *
 * @example
 * const result = await invokeFunction({
 *   endpoint: 'http://127.0.0.1:7000',
 *   functionName: 'SendNumbersWithPause',
 *   onChunk: (chunk) => process.stdout.write(chunk),
 * });
 * process.exitCode = result.ok ? 0 : 1;
 */
export async function invokeFunction(request: InvokeRequest): Promise<InvokeResult> {
  const via = request.via ?? 'sdk';
  const base = new URL(request.endpoint);
  const prefix = base.pathname.replace(/\/+$/, '');
  const name = request.functionName;
  if (via !== 'invoke' && !name) throw new TypeError(`functionName is needed to invoke with ${via}`);
  let url: URL;
  let method = 'POST';
  let body = request.event;
  const headers: Record<string, string> = { ...request.headers };
  if (via === 'sdk') {
    url = new URL(
      `${prefix}/2021-11-15/functions/${encodeURIComponent(name!)}/response-streaming-invocations`,
      base,
    );
    body ??= Buffer.from('{}');
    headers['content-type'] ??= 'application/json';
  } else if (via === 'url') {
    const below = request.path ?? '/';
    url = new URL(
      `${prefix}/lambda-url/${encodeURIComponent(name!)}${below.startsWith('/') ? '' : '/'}${below}`,
      base,
    );
    method = request.method ?? (body === undefined ? 'GET' : 'POST');
    if (body !== undefined) headers['content-type'] ??= 'application/json';
  } else {
    url = new URL(`${prefix}/invoke`, base);
    body ??= Buffer.from('{}');
    headers['content-type'] ??= 'application/json';
  }
  if (body !== undefined) headers['content-length'] = String(body.byteLength);

  const started = performance.now();
  const response = await send(url, method, await signedHeaders(url, method, headers, body, request), body);
  const status = response.statusCode ?? 0;
  const result: InvokeResult = {
    ok: true,
    status,
    headers: response.headers,
    bytes: 0,
    chunks: 0,
    firstByteMs: undefined,
    totalMs: 0,
  };
  const deliver = (chunk: Uint8Array) => {
    if (chunk.byteLength === 0) return;
    result.firstByteMs ??= performance.now() - started;
    result.bytes += chunk.byteLength;
    result.chunks++;
    request.onChunk?.(chunk);
  };
  const finish = (error?: { type: string; message: string }) => {
    result.totalMs = performance.now() - started;
    if (error) {
      result.ok = false;
      result.error = error;
    }
    return result;
  };
  request.onResponse?.({ status, headers: response.headers });

  if (via === 'sdk' || (via === 'invoke' && status !== 200)) {
    if (status !== 200) return finish(errorFrom(status, response.headers, await readAll(response)));
    const decoder = new EventStreamDecoder();
    let complete: Record<string, unknown> | undefined;
    let frames = 0;
    const notEventStream = (why: string, cause?: unknown) =>
      new DevError(
        DevErrorCode.invokeProtocol,
        `${url.origin} did not answer with Lambda's event stream (${why}): is it a Lambda endpoint?`,
        { cause },
      );
    const decode = (data: Buffer) => {
      try {
        for (const event of decoder.push(data)) {
          frames++;
          if (event.eventType === 'PayloadChunk') deliver(event.payload);
          else if (event.eventType === 'InvokeComplete') {
            complete = JSON.parse(Buffer.from(event.payload).toString('utf8') || '{}');
          }
        }
      } catch (error) {
        throw notEventStream((error as Error).message, error);
      }
    };
    try {
      for await (const data of response) decode(data as Buffer);
    } catch (error) {
      if (error instanceof DevError) throw error;
      return finish({
        type: 'Truncated',
        message: `the response stream broke off: ${(error as Error).message}`,
      });
    }
    if (frames === 0 && decoder.pendingBytes > 0) {
      throw notEventStream(`${decoder.pendingBytes} bytes that are not a frame`);
    }
    if (!complete) {
      return finish({
        type: 'Truncated',
        message: 'the event stream ended without InvokeComplete (the connection was cut)',
      });
    }
    if (typeof complete.ErrorCode === 'string') {
      const details = typeof complete.ErrorDetails === 'string' ? complete.ErrorDetails : '';
      const parsed = errorFrom(status, {}, details);
      return finish({
        type: complete.ErrorCode,
        message: parsed.type.startsWith('HTTP ') ? parsed.message : `${parsed.type}: ${parsed.message}`,
      });
    }
    return finish();
  }

  // url, and invoke answering 200: the body is the function's output, as it streams.
  try {
    for await (const data of response) deliver(data as Buffer);
  } catch (error) {
    return finish({
      type: 'Truncated',
      message: `the connection closed before the response ended (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the function failed mid-stream, see the sluice dev log`,
    });
  }
  if (!response.complete) {
    return finish({
      type: 'Truncated',
      message:
        'the connection closed before the response ended: the function failed mid-stream, see the sluice dev log',
    });
  }
  const functionError = response.headers['x-amz-function-error'];
  if (typeof functionError === 'string')
    return finish({ type: functionError, message: 'the function failed' });
  const errorType = response.headers['x-amzn-errortype'];
  if (status >= 500 || typeof errorType === 'string') {
    return finish({
      type: typeof errorType === 'string' ? errorType.split(':')[0]! : `HTTP ${status}`,
      message: `${via === 'url' ? 'the function URL' : '/invoke'} answered ${status}`,
    });
  }
  return finish();
}
