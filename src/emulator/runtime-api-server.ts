/**
 * The server side of the Lambda Runtime API (2018-06-01) for one execution environment, on its own
 * 127.0.0.1 port, as AWS's RAPID implements it (runtime-api.md §1–2, §7.2):
 *
 * - a state machine with RAPID's state names: `Started` → (`GET /next`) `Ready` → (invocation delivered)
 *   `Running` → (`POST /response` or `/error`) `InvocationResponse` / `InvocationErrorResponse` →
 *   `RuntimeResponseSentState` → (`GET /next`) `Ready` …; `POST /init/error` from `Started` → `InitError`;
 * - RAPID's replies, byte for byte: `202 {"status":"OK"}\n`, `400 InvalidRequestID`,
 *   `400 InvalidFunctionResponseMode`, `403 InvalidStateTransition`, `413 RequestEntityTooLarge`;
 * - what real runtimes send: no error-type header, `trace` or `stackTrace`, one or two `Trailer` lines,
 *   `/next` and the streaming `/response` on two connections, new connections at will. A response ends with
 *   its terminating chunk (never with a connection close, never at a chunk boundary), and the 202 is sent only
 *   after the whole body, trailers included, has been read.
 *
 * Response bytes go into the invocation's body one piece per socket read (ChunkCoalescer), paused when the
 * caller reads slowly.
 */

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ACCEPTED_BODY,
  decodeErrorBody,
  MAX_BUFFERED_RESPONSE_BYTES,
  parseErrorDocument,
  RUNTIME_API_VERSION,
  RuntimeHeader,
  readErrorTrailers,
  STREAMING_RESPONSE_MODE,
  sanitizeErrorType,
} from '../protocol/index.js';
import { ChunkCoalescer } from './chunk-coalescer.js';
import { type Invocation, type InvocationError, platformError } from './invocation.js';

/**
 * RAPID's runtime states (`core/agent_state_names.go`), used verbatim in 403 messages.
 *
 * @example
 * if (server.state === 'Ready') console.log('the runtime is waiting in GET /next');
 */
export type RuntimeState =
  | 'Started'
  | 'InitError'
  | 'Ready'
  | 'Running'
  | 'InvocationResponse'
  | 'InvocationErrorResponse'
  | 'RuntimeResponseSentState';

/** Content type under which RAPID strips `errorCause` from an error body (`mime_type_error_cause_json.go`). */
const ERROR_CAUSE_CONTENT_TYPE = 'application/vnd.aws.lambda.error.cause+json';

/**
 * What the server tells its execution environment.
 *
 * @example
 * const events: RuntimeApiServerEvents = { onReady, onDelivered, onOutcome, onResponseSent, onTruncated, onInitError, onProtocolError };
 */
export interface RuntimeApiServerEvents {
  /** `GET /next` moved the runtime to `Ready`; `first` marks the end of its init. */
  onReady(first: boolean): void;
  /** The runtime received the invocation (its deadline is set). */
  onDelivered(invocation: Invocation): void;
  /** The caller-visible outcome of the current invocation (once per invocation). */
  onOutcome(invocation: Invocation, error: InvocationError | undefined): void;
  /** The runtime's response exchange is over (reply sent); it may ask for the next invocation. */
  onResponseSent(invocation: Invocation): void;
  /** The runtime's response connection closed before the body's end. */
  onTruncated(invocation: Invocation): void;
  /** `POST /runtime/init/error`. */
  onInitError(error: InvocationError): void;
  /** A protocol violation a person should hear about; `fatal` means the environment cannot be reused. */
  onProtocolError(message: string, fatal: boolean): void;
}

/**
 * @example
 * const server = await RuntimeApiServer.listen(events);
 * spawn('node', ['bootstrap.js'], { env: { AWS_LAMBDA_RUNTIME_API: server.address } });
 * server.dispatch(invocation, 3000);
 */
export class RuntimeApiServer {
  /** `host:port`, exactly the form `AWS_LAMBDA_RUNTIME_API` takes. */
  readonly address: string;
  readonly #server: Server;
  readonly #events: RuntimeApiServerEvents;
  readonly #bufferedLimit: number;
  #state: RuntimeState = 'Started';
  #parkedNext: ServerResponse | undefined;
  #pending: { invocation: Invocation; timeoutMs: number } | undefined;
  #current: Invocation | undefined;
  #currentRequest: IncomingMessage | undefined;
  #closed = false;

  private constructor(server: Server, events: RuntimeApiServerEvents, bufferedLimit: number) {
    this.#server = server;
    this.#events = events;
    this.#bufferedLimit = bufferedLimit;
    const { port } = server.address() as AddressInfo;
    this.address = `127.0.0.1:${port}`;
  }

  /**
   * Starts a server on an ephemeral 127.0.0.1 port.
   *
   * @example
   * const server = await RuntimeApiServer.listen(events, { bufferedResponseLimit: 6291556 });
   */
  static async listen(
    events: RuntimeApiServerEvents,
    options: { bufferedResponseLimit?: number } = {},
  ): Promise<RuntimeApiServer> {
    // requestTimeout 0: a streamed response may last as long as the function's timeout (up to 15 minutes).
    const server = createServer({ requestTimeout: 0, noDelay: true });
    // No keep-alive timeout: the runtime holds its /next connection open across idle periods, as on Lambda.
    server.keepAliveTimeout = 0;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const api = new RuntimeApiServer(
      server,
      events,
      options.bufferedResponseLimit ?? MAX_BUFFERED_RESPONSE_BYTES,
    );
    server.on('request', (req, res) => api.#route(req, res));
    // A runtime that sends garbage must not crash the emulator.
    server.on('clientError', (_error, socket) => socket.destroy());
    return api;
  }

  get state(): RuntimeState {
    return this.#state;
  }

  /** The invocation the runtime is working on. */
  get current(): Invocation | undefined {
    return this.#current;
  }

  /**
   * Hands an invocation to the runtime: at once if it is waiting in `GET /next`, else when it asks.
   * `timeoutMs` sets `Lambda-Runtime-Deadline-Ms` from the moment of delivery.
   */
  dispatch(invocation: Invocation, timeoutMs: number): void {
    if (this.#pending || this.#current) {
      throw new Error(`dispatch(${invocation.requestId}) while another invocation is outstanding`);
    }
    this.#pending = { invocation, timeoutMs };
    this.#deliver();
  }

  /** Withdraws an invocation that has not reached the runtime yet. */
  withdraw(invocation: Invocation): boolean {
    if (this.#pending?.invocation !== invocation) return false;
    this.#pending = undefined;
    return true;
  }

  /**
   * Cuts the runtime's response connection, as RAPID does on a reset (`request.Cancel()`): used when the
   * deadline passes mid-stream.
   */
  abortResponse(): void {
    this.#currentRequest?.socket.destroy();
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  #deliver(): void {
    const parked = this.#parkedNext;
    const pending = this.#pending;
    if (!parked || !pending || this.#state !== 'Ready') return;
    this.#parkedNext = undefined;
    this.#pending = undefined;
    const { invocation, timeoutMs } = pending;
    invocation.deadlineMs = Date.now() + timeoutMs;
    // RAPID sets each header only when its value is non-empty (rendering.go renderInvokeHeaders).
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      [RuntimeHeader.requestId]: invocation.requestId,
      [RuntimeHeader.deadlineMs]: String(invocation.deadlineMs),
      [RuntimeHeader.invokedFunctionArn]: invocation.invokedFunctionArn,
      [RuntimeHeader.traceId]: invocation.traceId,
      'Content-Length': invocation.payload.byteLength,
    };
    if (invocation.clientContext) headers[RuntimeHeader.clientContext] = invocation.clientContext;
    if (invocation.tenantId) headers[RuntimeHeader.tenantId] = invocation.tenantId;
    try {
      parked.writeHead(200, headers);
    } catch (error) {
      // A header value Node refuses to send: fail this invocation, keep the runtime waiting for the next.
      this.#parkedNext = parked;
      this.#events.onOutcome(
        invocation,
        platformError(
          'Sandbox.Failure',
          `RequestId: ${invocation.requestId} Error: ${(error as Error).message}`,
        ),
      );
      return;
    }
    this.#state = 'Running';
    this.#current = invocation;
    parked.end(invocation.payload);
    this.#events.onDelivered(invocation);
  }

  #route(req: IncomingMessage, res: ServerResponse): void {
    // Errors on either side of a runtime connection are handled through 'close'; never crash on them.
    req.on('error', () => {});
    res.on('error', () => {});
    const url = req.url ?? '';
    const path = url.split('?', 1)[0] ?? '';
    const prefix = `/${RUNTIME_API_VERSION}/runtime/`;
    if (!path.startsWith(prefix)) {
      notFound(res);
      return;
    }
    const rest = path.slice(prefix.length);
    if (rest === 'invocation/next') {
      if (req.method !== 'GET') {
        methodNotAllowed(res);
        return;
      }
      this.#next(req, res);
      return;
    }
    if (rest === 'init/error') {
      if (req.method !== 'POST') {
        methodNotAllowed(res);
        return;
      }
      this.#initError(req, res);
      return;
    }
    const match = /^invocation\/([^/]+)\/(response|error)$/.exec(rest);
    if (!match) {
      notFound(res);
      return;
    }
    if (req.method !== 'POST') {
      methodNotAllowed(res);
      return;
    }
    let requestId: string;
    try {
      requestId = decodeURIComponent(match[1]!);
    } catch {
      requestId = match[1]!;
    }
    // RAPID validates the request id first (middleware.AwsRequestIDValidator), then the state transition.
    if (!this.#current || requestId !== this.#current.requestId) {
      renderError(res, 400, 'InvalidRequestID', 'Invalid request ID');
      return;
    }
    if (match[2] === 'response') {
      this.#response(req, res, this.#current);
      return;
    }
    this.#error(req, res, this.#current);
    return;
  }

  #forbidden(res: ServerResponse, to: RuntimeState): void {
    renderError(
      res,
      403,
      'InvalidStateTransition',
      `State transition from ${this.#state} to ${to} failed for runtime. Error: State transition is not allowed`,
    );
  }

  #next(req: IncomingMessage, res: ServerResponse): void {
    switch (this.#state) {
      case 'Started':
        this.#state = 'Ready';
        this.#events.onReady(true);
        break;
      case 'RuntimeResponseSentState':
        this.#state = 'Ready';
        this.#events.onReady(false);
        break;
      case 'Ready':
        // A second /next while one is parked (e.g. the runtime reconnected): the newest one waits.
        this.#parkedNext?.destroy();
        break;
      case 'Running':
        // RAPID lets this through; the runtime has abandoned its invocation, which will time out.
        this.#events.onProtocolError(
          `the runtime asked for the next invocation (GET /next) without answering invocation ${this.#current?.requestId}; that invocation will time out. A runtime must POST /response or /error for every invocation it receives.`,
          false,
        );
        break;
      default:
        this.#forbidden(res, 'Ready');
        return;
    }
    this.#parkedNext = res;
    res.on('close', () => {
      if (this.#parkedNext === res) this.#parkedNext = undefined;
    });
    req.resume();
    this.#deliver();
  }

  #response(req: IncomingMessage, res: ServerResponse, invocation: Invocation): void {
    if (this.#state !== 'Running') {
      this.#forbidden(res, 'InvocationResponse');
      return;
    }
    this.#state = 'InvocationResponse';
    const mode = single(req.headers[RuntimeHeader.responseMode.toLowerCase()]);
    if (mode !== undefined && mode !== '') {
      if (mode !== STREAMING_RESPONSE_MODE) {
        // RAPID fails the invoke with Runtime.InvalidResponseModeHeader and answers 400; the runtime stays in
        // InvocationResponse, so this environment cannot serve another invocation.
        this.#events.onOutcome(
          invocation,
          platformError(
            'Runtime.InvalidResponseModeHeader',
            `RequestId: ${invocation.requestId} Error: invalid ${RuntimeHeader.responseMode} header value ${JSON.stringify(mode)}; the only valid value is "${STREAMING_RESPONSE_MODE}"`,
          ),
        );
        this.#events.onProtocolError(
          `the runtime sent ${RuntimeHeader.responseMode}: ${JSON.stringify(mode)}; only "${STREAMING_RESPONSE_MODE}" (or no header, for a buffered response) is valid.`,
          true,
        );
        renderError(res, 400, 'InvalidFunctionResponseMode', 'Invalid function response mode');
        return;
      }
    }
    const streaming = mode === STREAMING_RESPONSE_MODE;
    invocation.responseStreaming = streaming;
    invocation.responseContentType = single(req.headers['content-type']);
    const limit = streaming
      ? invocation.responseLimit
      : Math.min(this.#bufferedLimit, invocation.responseLimit);
    this.#currentRequest = req;

    let received = 0;
    let oversized = false;
    let ended = false;
    const overflow = () => {
      oversized = true;
      // RAPID: the invoke fails with Function.ResponseSizeTooLarge; the runtime gets 413 once its body is read.
      this.#events.onOutcome(
        invocation,
        platformError(
          'Function.ResponseSizeTooLarge',
          `Response payload size exceeded maximum allowed payload size (${limit} bytes).`,
          true,
        ),
      );
      req.resume();
    };
    const declared = Number(single(req.headers['content-length']));
    if (!streaming && Number.isFinite(declared) && declared > limit) overflow();

    // One piece per socket read, not one per chunk the function wrote (see ChunkCoalescer).
    const coalescer = new ChunkCoalescer((piece) => {
      if (!invocation.write(piece)) {
        req.pause();
        invocation.onResume(() => req.resume());
      }
    });
    req.on('data', (chunk: Buffer) => {
      if (oversized) return;
      received += chunk.byteLength;
      if (received > limit) {
        coalescer.flush();
        const room = limit - (received - chunk.byteLength);
        if (room > 0) invocation.write(chunk.subarray(0, room));
        overflow();
        return;
      }
      coalescer.push(chunk);
    });
    req.on('end', () => {
      ended = true;
      coalescer.flush();
      this.#currentRequest = undefined;
      this.#state = 'RuntimeResponseSentState';
      this.#current = undefined;
      if (oversized) {
        renderError(
          res,
          413,
          'RequestEntityTooLarge',
          `Exceeded maximum allowed payload size (${limit} bytes).`,
        );
      } else {
        invocation.endBody();
        this.#events.onOutcome(invocation, streaming ? trailerError(req) : undefined);
        renderAccepted(res);
      }
      this.#events.onResponseSent(invocation);
    });
    req.on('close', () => {
      if (ended) return;
      coalescer.flush();
      // The body ended without its terminating chunk: RAPID's Runtime.TruncatedResponse.
      this.#currentRequest = undefined;
      invocation.endBody();
      this.#events.onTruncated(invocation);
    });
  }

  #error(req: IncomingMessage, res: ServerResponse, invocation: Invocation): void {
    if (this.#state !== 'Running') {
      this.#forbidden(res, 'InvocationErrorResponse');
      return;
    }
    this.#state = 'InvocationErrorResponse';
    readBody(req, this.#bufferedLimit).then(
      (body) => {
        this.#state = 'RuntimeResponseSentState';
        this.#current = undefined;
        invocation.endBody();
        this.#events.onOutcome(
          invocation,
          reportedError(
            body,
            single(req.headers[RuntimeHeader.errorType.toLowerCase()]),
            req.headers['content-type'],
          ),
        );
        renderAccepted(res);
        this.#events.onResponseSent(invocation);
      },
      () => {
        invocation.endBody();
        this.#events.onTruncated(invocation);
      },
    );
  }

  #initError(req: IncomingMessage, res: ServerResponse): void {
    if (this.#state !== 'Started') {
      this.#forbidden(res, 'InitError');
      return;
    }
    this.#state = 'InitError';
    readBody(req, this.#bufferedLimit).then(
      (body) => {
        renderAccepted(res);
        this.#events.onInitError(
          reportedError(
            body,
            single(req.headers[RuntimeHeader.errorType.toLowerCase()]),
            req.headers['content-type'],
          ),
        );
      },
      () => {
        this.#events.onInitError(
          platformError('Runtime.Unknown', 'The runtime reported an init error but its body was cut off.'),
        );
      },
    );
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** RAPID's JSON error body: `errorMessage` then `errorType` (Go struct order, rapi/model/errorresponse.go). */
function renderError(res: ServerResponse, status: number, errorType: string, errorMessage: string): void {
  const body = `${JSON.stringify({ errorMessage, errorType })}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function renderAccepted(res: ServerResponse): void {
  res.writeHead(202, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(ACCEPTED_BODY),
  });
  res.end(ACCEPTED_BODY);
}

/** chi's default replies, which RAPID's router uses. */
function notFound(res: ServerResponse): void {
  const body = '404 page not found\n';
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}

function methodNotAllowed(res: ServerResponse): void {
  res.writeHead(405, { 'Content-Length': 0 });
  res.end();
}

/** Reads a small body (error documents) in full; bytes past `limit` are dropped. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let ended = false;
    req.on('data', (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk.subarray(0, limit - size));
      size += chunk.byteLength;
    });
    req.on('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('close', () => {
      if (!ended) reject(new Error('truncated'));
    });
  });
}

/**
 * The error a runtime reports through `/error` or `/init/error`. The body reaches the caller verbatim when it
 * is a JSON object (real Lambda returns Node's `trace` key as sent); `errorCause` is stripped under the
 * error-cause content type, as RAPID does; otherwise Lambda builds the document from the sanitised
 * `Lambda-Runtime-Function-Error-Type` header (D-OAS).
 */
function reportedError(
  body: Buffer,
  headerType: string | undefined,
  contentType: string | string[] | undefined,
): InvocationError {
  let payload = body;
  if (single(contentType)?.split(';', 1)[0]?.trim() === ERROR_CAUSE_CONTENT_TYPE) {
    try {
      const { errorMessage, errorType, stackTrace } = JSON.parse(body.toString('utf8')) as Record<
        string,
        unknown
      >;
      payload = Buffer.from(JSON.stringify({ errorMessage, errorType, stackTrace }));
    } catch {
      payload = Buffer.from(JSON.stringify('Invalid error body'));
    }
  }
  const document = parseErrorDocument(payload.toString('utf8'));
  if (document) {
    const errorType = document.errorType === 'Unknown' && headerType ? headerType : document.errorType;
    return { errorType, payload, source: 'function' };
  }
  const errorType = sanitizeErrorType(headerType);
  return {
    errorType,
    payload: Buffer.from(JSON.stringify({ errorType, errorMessage: payload.toString('utf8') })),
    source: 'function',
  };
}

/**
 * A mid-stream error from the response's trailers: the raw `Lambda-Runtime-Function-Error-Type` and the
 * decoded `Lambda-Runtime-Function-Error-Body`. A body that is not standard base64 (Swift's literal
 * `Requires base64`) keeps the type and drops the details, as RAPID does.
 */
function trailerError(req: IncomingMessage): InvocationError | undefined {
  const failure = readErrorTrailers(req.trailers);
  if (!failure) return undefined;
  const encoded = single(req.trailers[RuntimeHeader.errorBody.toLowerCase()]);
  const payload =
    failure.document && encoded !== undefined && decodeErrorBody(encoded)
      ? Buffer.from(encoded.trim(), 'base64')
      : Buffer.from(JSON.stringify({ errorType: failure.errorType, errorMessage: '' }));
  return { errorType: failure.errorType, payload, source: 'function' };
}
