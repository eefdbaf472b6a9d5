/**
 * The Runtime API client over `node:http`: one keep-alive agent for `/next` and the posts, Nagle off so
 * every streamed write reaches the socket at once (the official client holds small chunks back, RIC #102).
 */
import { Agent, type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import {
  DEFAULT_STREAM_CONTENT_TYPE,
  ERROR_TRAILER_NAMES,
  type ErrorDocument,
  RuntimeApiPath,
  RuntimeEnv,
  RuntimeHeader,
  STREAMING_RESPONSE_MODE,
} from '../protocol/index.js';
import { RuntimeApiError, RuntimeErrorCode } from './errors.js';
import type { Invocation, ResponseSink, RuntimeApiReply, RuntimeClient } from './runtime-client.js';
import { USER_AGENT } from './version.js';

/**
 * Parses `AWS_LAMBDA_RUNTIME_API`: `host:port` without a scheme, as Lambda sets it. `[v6]:port` and a leading
 * `http://` (which the Rust runtime accepts) are tolerated.
 *
 * @example
 * parseRuntimeApiAddress('127.0.0.1:9001'); // { hostname: '127.0.0.1', port: 9001 }
 */
export function parseRuntimeApiAddress(value: string | undefined): { hostname: string; port: number } {
  if (!value) {
    throw new RuntimeApiError(
      RuntimeErrorCode.runtimeApiUnset,
      `${RuntimeEnv.runtimeApi} is not set. Outside Lambda, run the function with \`sluice dev\` or set it to the host:port of a Runtime API.`,
    );
  }
  const match = /^(?:http:\/\/)?(\[[0-9a-fA-F:.]+\]|[^:/[\]]+):(\d{1,5})\/?$/.exec(value.trim());
  const port = Number(match?.[2]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RuntimeApiError(
      RuntimeErrorCode.runtimeApiInvalid,
      `${RuntimeEnv.runtimeApi} must be host:port (for example 127.0.0.1:9001); got ${JSON.stringify(value)}`,
    );
  }
  return { hostname: match[1]!.replace(/^\[|\]$/g, ''), port };
}

function readBody(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks)));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('Runtime API reply was cut off')));
  });
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * @example
 * const client = HttpRuntimeClient.fromEnvironment();
 * const invocation = await client.next();
 * await client.postResponse(invocation.requestId, JSON.stringify({ ok: true }));
 */
export class HttpRuntimeClient implements RuntimeClient {
  readonly hostname: string;
  readonly port: number;
  readonly #agent: Agent;

  constructor(address: string) {
    const { hostname, port } = parseRuntimeApiAddress(address);
    this.hostname = hostname;
    this.port = port;
    // keepAlive: Lambda's Runtime API is on the same host; reusing the connection saves a handshake per call.
    // noDelay: a streamed chunk must leave at once, not wait for Nagle's algorithm to fill a segment.
    this.#agent = new Agent({ keepAlive: true, noDelay: true });
  }

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): HttpRuntimeClient {
    return new HttpRuntimeClient(env[RuntimeEnv.runtimeApi] ?? '');
  }

  /** Opens a request; the caller writes the body. */
  request(method: string, path: string, headers: Record<string, string | number | string[]>): ClientRequest {
    return httpRequest({
      agent: this.#agent,
      hostname: this.hostname,
      port: this.port,
      method,
      path,
      headers: { ...headers, 'User-Agent': USER_AGENT },
    });
  }

  #send(
    method: string,
    path: string,
    headers: Record<string, string | number>,
    body?: Uint8Array | string,
  ): Promise<{ response: IncomingMessage; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = this.request(method, path, headers);
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed while idle fails on reuse before the server saw anything;
        // Node marks that case with reusedSocket. Only then is a retry safe, and only for GET /next.
        if (method === 'GET' && req.reusedSocket && error.code === 'ECONNRESET') {
          this.#send(method, path, headers, body).then(resolve, reject);
        } else {
          reject(error);
        }
      });
      req.on('response', (response) => {
        readBody(response).then((data) => resolve({ response, body: data }), reject);
      });
      req.end(body);
    });
  }

  async next(): Promise<Invocation> {
    // No timeout: Lambda may freeze the process between invocations; the call returns when there is work.
    const { response, body } = await this.#send('GET', RuntimeApiPath.next, { Accept: '*/*' });
    if (response.statusCode !== 200) {
      throw new RuntimeApiError(
        RuntimeErrorCode.runtimeApiStatus,
        `GET ${RuntimeApiPath.next} answered ${response.statusCode}: ${body.toString('utf8').slice(0, 500)}`,
        response.statusCode,
      );
    }
    const header = (name: string): string | undefined => single(response.headers[name.toLowerCase()]);
    const required = (name: string): string => {
      const value = header(name);
      if (!value) {
        throw new RuntimeApiError(
          RuntimeErrorCode.runtimeApiMissingHeader,
          `GET ${RuntimeApiPath.next} answered without the ${name} header`,
        );
      }
      return value;
    };
    const requestId = required(RuntimeHeader.requestId);
    const deadlineMs = Number(required(RuntimeHeader.deadlineMs));
    if (!Number.isFinite(deadlineMs)) {
      throw new RuntimeApiError(
        RuntimeErrorCode.runtimeApiMissingHeader,
        `${RuntimeHeader.deadlineMs} is not a number: ${JSON.stringify(header(RuntimeHeader.deadlineMs))}`,
      );
    }
    const invocation: Invocation = {
      requestId,
      deadlineMs,
      invokedFunctionArn: required(RuntimeHeader.invokedFunctionArn),
      payload: body,
    };
    const optional = [
      ['traceId', RuntimeHeader.traceId],
      ['clientContext', RuntimeHeader.clientContext],
      ['cognitoIdentity', RuntimeHeader.cognitoIdentity],
      ['tenantId', RuntimeHeader.tenantId],
    ] as const;
    for (const [key, name] of optional) {
      const value = header(name);
      if (value) invocation[key] = value;
    }
    return invocation;
  }

  async #post(
    path: string,
    body: Uint8Array | string,
    headers: Record<string, string>,
  ): Promise<RuntimeApiReply> {
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    const { response, body: reply } = await this.#send(
      'POST',
      path,
      { ...headers, 'Content-Length': length },
      body,
    );
    return { statusCode: response.statusCode ?? 0, body: reply.toString('utf8') };
  }

  postResponse(
    requestId: string,
    body: Uint8Array | string,
    contentType = 'application/json',
  ): Promise<RuntimeApiReply> {
    return this.#post(RuntimeApiPath.response(requestId), body, { 'Content-Type': contentType });
  }

  postError(requestId: string, error: ErrorDocument): Promise<RuntimeApiReply> {
    return this.#post(RuntimeApiPath.error(requestId), JSON.stringify(error), {
      'Content-Type': 'application/json',
      [RuntimeHeader.errorType]: error.errorType,
    });
  }

  postInitError(error: ErrorDocument): Promise<RuntimeApiReply> {
    return this.#post(RuntimeApiPath.initError, JSON.stringify(error), {
      'Content-Type': 'application/json',
      [RuntimeHeader.errorType]: error.errorType,
    });
  }

  openResponseStream(requestId: string): ResponseSink {
    return new HttpResponseSink(this, RuntimeApiPath.response(requestId));
  }

  /** Closes idle keep-alive connections (the process can then exit on its own). */
  close(): void {
    this.#agent.destroy();
  }
}

/**
 * One streaming `/response` POST (runtime-api.md §2.1): `Lambda-Runtime-Function-Response-Mode: streaming`,
 * chunked, both error trailers announced up front. The head leaves with the first write, so the content
 * type stays settable until then, as in AWS's Node runtime.
 */
class HttpResponseSink implements ResponseSink {
  contentType = DEFAULT_STREAM_CONTENT_TYPE;
  #request: ClientRequest | undefined;
  #reply: Promise<RuntimeApiReply> | undefined;
  #ended: Promise<RuntimeApiReply> | undefined;
  #error: Error | undefined;

  constructor(
    private readonly client: HttpRuntimeClient,
    private readonly path: string,
  ) {}

  get started(): boolean {
    return this.#request !== undefined;
  }

  #start(): ClientRequest {
    if (this.#request) return this.#request;
    const req = this.client.request('POST', this.path, {
      [RuntimeHeader.responseMode]: STREAMING_RESPONSE_MODE,
      // Two Trailer lines, as AWS's Node runtime sends them; RAPID accepts either form.
      Trailer: [...ERROR_TRAILER_NAMES],
      'Content-Type': this.contentType,
    });
    this.#reply = new Promise<RuntimeApiReply>((resolve, reject) => {
      req.on('response', (response) => {
        readBody(response).then(
          (body) => resolve({ statusCode: response.statusCode ?? 0, body: body.toString('utf8') }),
          reject,
        );
      });
      req.on('error', (error) => {
        this.#error = error;
        reject(error);
      });
    });
    // The reply is observed through end(); a failure before that must not count as unhandled.
    this.#reply.catch(() => {});
    this.#request = req;
    return req;
  }

  write(chunk: Uint8Array, done: (error?: Error | null) => void): void {
    if (this.#error) {
      done(this.#error);
      return;
    }
    const req = this.#start();
    if (chunk.byteLength === 0 || req.write(chunk)) {
      done();
      return;
    }
    const settle = (error?: Error | null) => {
      req.off('drain', onDrain);
      req.off('error', onError);
      req.off('close', onClose);
      done(error);
    };
    const onDrain = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(this.#error ?? new Error('the Runtime API closed the response connection'));
    req.once('drain', onDrain);
    req.once('error', onError);
    req.once('close', onClose);
  }

  end(trailers?: Record<string, string>): Promise<RuntimeApiReply> {
    if (this.#ended) return this.#ended;
    const req = this.#start();
    if (trailers && !this.#error) req.addTrailers(trailers);
    if (!this.#error) req.end();
    this.#ended = this.#reply!;
    return this.#ended;
  }

  abort(error: Error): void {
    this.#error ??= error;
    this.#request?.destroy(error);
  }
}
