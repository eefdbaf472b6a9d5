/**
 * A Runtime API server on a raw TCP socket, for tests that must see exactly what a runtime sends.
 *
 * It serves queued invocations to `GET /next` (long-polling when the queue is empty, as Lambda does), answers
 * every other request `202 {"status":"OK"}\n` once it has been read in full (trailers included, as RAPID does),
 * and records each request byte for byte.
 */
import { EventEmitter } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { type RawRequest, RawRequestParser } from './raw-http.js';

export interface QueuedInvocation {
  requestId: string;
  /** The event payload, sent as the body of the `/next` reply. */
  event: string | Buffer;
  /** Epoch milliseconds; default now + 60 s. */
  deadlineMs?: number;
  functionArn?: string;
  traceId?: string;
  clientContext?: string;
  cognitoIdentity?: string;
  /** Replaces every header of the `/next` reply (to test how a runtime copes with a broken Runtime API). */
  headers?: Array<[string, string]>;
}

export interface RecordedRequest extends RawRequest {
  /** Which TCP connection carried it (1-based, in accept order). */
  connection: number;
  /** `performance.now()` when the last byte arrived. */
  completedAt: number;
}

export interface RawReply {
  status: number;
  body: string;
}

export interface RawRuntimeApiOptions {
  invocations?: QueuedInvocation[];
  /** Override the reply to a non-`/next` request; return undefined for the default 202. */
  reply?: (request: RawRequest) => RawReply | undefined;
  /** Keep raw bytes and bodies (default true). Turn off for multi-gigabyte streams. */
  retainBytes?: boolean;
  /** Read at most this many bytes per second from each socket, to exert backpressure on the writer. */
  readBytesPerSecond?: number;
  /** Observe body bytes as they are parsed. */
  onBodyData?: (request: RawRequest, data: Buffer, at: number) => void;
}

export interface RawRuntimeApi {
  /** `host:port`, the form `AWS_LAMBDA_RUNTIME_API` takes. */
  address: string;
  requests: RecordedRequest[];
  enqueue(invocation: QueuedInvocation): void;
  /** Resolves once `predicate` holds for the recorded requests. */
  waitFor(predicate: (requests: RecordedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
};

function writeReply(socket: Socket, status: number, headers: Array<[string, string]>, body: Buffer): void {
  const head = [`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Unknown'}`];
  for (const [name, value] of headers) head.push(`${name}: ${value}`);
  head.push(`Content-Length: ${body.length}`, '', '');
  socket.write(Buffer.concat([Buffer.from(head.join('\r\n'), 'latin1'), body]));
}

/**
 * Starts the server on 127.0.0.1 and a free port.
 *
 * @example
 * const api = await startRawRuntimeApi({ invocations: [{ requestId: 'r1', event: '{}' }] });
 * // run a runtime with AWS_LAMBDA_RUNTIME_API=api.address, then inspect api.requests
 * await api.close();
 */
export async function startRawRuntimeApi(options: RawRuntimeApiOptions = {}): Promise<RawRuntimeApi> {
  const queue = [...(options.invocations ?? [])];
  const waiting: Socket[] = [];
  const sockets = new Set<Socket>();
  const requests: RecordedRequest[] = [];
  const changed = new EventEmitter();
  let connections = 0;

  const serveNext = (socket: Socket, invocation: QueuedInvocation): void => {
    const headers: Array<[string, string]> = [
      ['Content-Type', 'application/json'],
      ['Lambda-Runtime-Aws-Request-Id', invocation.requestId],
      ['Lambda-Runtime-Deadline-Ms', String(invocation.deadlineMs ?? Date.now() + 60_000)],
      [
        'Lambda-Runtime-Invoked-Function-Arn',
        invocation.functionArn ?? 'arn:aws:lambda:us-east-1:123456789012:function:test',
      ],
    ];
    if (invocation.traceId) headers.push(['Lambda-Runtime-Trace-Id', invocation.traceId]);
    if (invocation.clientContext) headers.push(['Lambda-Runtime-Client-Context', invocation.clientContext]);
    if (invocation.cognitoIdentity)
      headers.push(['Lambda-Runtime-Cognito-Identity', invocation.cognitoIdentity]);
    writeReply(socket, 200, invocation.headers ?? headers, Buffer.from(invocation.event));
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const connection = ++connections;
    const parser = new RawRequestParser(
      (request) => {
        const recorded: RecordedRequest = { ...request, connection, completedAt: performance.now() };
        requests.push(recorded);
        changed.emit('request');
        if (request.method === 'GET' && request.path.endsWith('/runtime/invocation/next')) {
          const next = queue.shift();
          if (next) serveNext(socket, next);
          else waiting.push(socket);
          return;
        }
        const reply = options.reply?.(request) ?? { status: 202, body: '{"status":"OK"}\n' };
        writeReply(socket, reply.status, [['Content-Type', 'application/json']], Buffer.from(reply.body));
      },
      {
        retainBytes: options.retainBytes ?? true,
        onHead: (request) => {
          // curl (inside the official Node client) asks before sending larger bodies.
          if (/100-continue/i.test(request.headers.find(([n]) => /^expect$/i.test(n))?.[1] ?? '')) {
            socket.write('HTTP/1.1 100 Continue\r\n\r\n');
          }
        },
        ...(options.onBodyData
          ? { onBodyData: (request, data) => options.onBodyData?.(request, data, performance.now()) }
          : {}),
      },
    );
    const rate = options.readBytesPerSecond;
    // Throttle with a virtual clock: each read advances it by what the bytes "cost" at the configured rate,
    // and the socket pauses while the clock runs ahead of real time. Unread bytes stay in the kernel, so the
    // writer sees real TCP backpressure.
    let readClock = performance.now();
    socket.on('data', (data: Buffer) => {
      parser.push(data);
      if (!rate) return;
      readClock = Math.max(readClock, performance.now()) + (data.length / rate) * 1000;
      const ahead = readClock - performance.now();
      if (ahead > 2) {
        socket.pause();
        setTimeout(() => socket.resume(), ahead);
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    address: `127.0.0.1:${port}`,
    requests,
    enqueue(invocation) {
      const socket = waiting.shift();
      if (socket) serveNext(socket, invocation);
      else queue.push(invocation);
    },
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(requests)) return;
          clearTimeout(timer);
          changed.off('request', check);
          resolve();
        };
        const timer = setTimeout(() => {
          changed.off('request', check);
          reject(new Error(`timed out waiting for runtime requests; saw ${requests.length}`));
        }, timeoutMs);
        changed.on('request', check);
        check();
      });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
