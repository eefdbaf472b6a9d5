import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeErrorBody } from '../protocol/index.js';
import { Invocation, type InvocationError } from './invocation.js';
import { RuntimeApiServer, type RuntimeApiServerEvents } from './runtime-api-server.js';

// The Runtime API server, driven over raw TCP the way runtimes drive it, checked against RAPID's replies
// (runtime-api.md §1.3, §2.1, §7.2).

interface Recorded {
  outcomes: Array<{ requestId: string; error: InvocationError | undefined }>;
  protocolErrors: Array<{ message: string; fatal: boolean }>;
  initErrors: InvocationError[];
  truncated: string[];
  responseSent: string[];
}

let servers: RuntimeApiServer[] = [];
let sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  sockets = [];
});

async function startServer(
  bufferedResponseLimit?: number,
): Promise<{ server: RuntimeApiServer; recorded: Recorded }> {
  const recorded: Recorded = {
    outcomes: [],
    protocolErrors: [],
    initErrors: [],
    truncated: [],
    responseSent: [],
  };
  const events: RuntimeApiServerEvents = {
    onReady: () => {},
    onDelivered: () => {},
    onOutcome: (invocation, error) => {
      recorded.outcomes.push({ requestId: invocation.requestId, error });
      invocation.settle(error);
    },
    onResponseSent: (invocation) => recorded.responseSent.push(invocation.requestId),
    onTruncated: (invocation) => recorded.truncated.push(invocation.requestId),
    onInitError: (error) => recorded.initErrors.push(error),
    onProtocolError: (message, fatal) => recorded.protocolErrors.push({ message, fatal }),
  };
  const server = await RuntimeApiServer.listen(
    events,
    bufferedResponseLimit === undefined ? {} : { bufferedResponseLimit },
  );
  servers.push(server);
  return { server, recorded };
}

function newInvocation(requestId = 'req-1', responseLimit = 200 * 1024 * 1024): Invocation {
  return new Invocation({
    requestId,
    payload: Buffer.from('{"hello":"world"}'),
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
    traceId: 'Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0',
    responseLimit,
    logTail: false,
  });
}

/** A raw HTTP/1.1 connection: write bytes, read whole responses. */
class RawConnection {
  readonly socket: Socket;
  #received = Buffer.alloc(0);

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (data: Buffer) => {
      this.#received = Buffer.concat([this.#received, data]);
    });
    socket.on('error', () => {});
  }

  static async open(address: string): Promise<RawConnection> {
    const [host, port] = address.split(':') as [string, string];
    const socket = connect(Number(port), host);
    sockets.push(socket);
    await once(socket, 'connect');
    return new RawConnection(socket);
  }

  get received(): Buffer {
    return this.#received;
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Waits for one complete response with a Content-Length body and returns it, consuming it. */
  async response(): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    for (;;) {
      const end = this.#received.indexOf('\r\n\r\n');
      if (end !== -1) {
        const head = this.#received.subarray(0, end).toString('latin1').split('\r\n');
        const headers: Record<string, string> = {};
        for (const line of head.slice(1)) {
          const colon = line.indexOf(':');
          headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
        }
        const length = Number(headers['content-length'] ?? 0);
        if (this.#received.length >= end + 4 + length) {
          const body = this.#received.subarray(end + 4, end + 4 + length).toString('utf8');
          this.#received = this.#received.subarray(end + 4 + length);
          return { status: Number(head[0]!.split(' ')[1]), headers, body };
        }
      }
      await once(this.socket, 'data');
    }
  }
}

const NEXT = 'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n';
const postHead = (path: string, headers: string[]) =>
  `POST /2018-06-01/runtime/${path} HTTP/1.1\r\nHost: x\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
const streamingHead = (
  requestId: string,
  trailer: string[] = [
    'Trailer: Lambda-Runtime-Function-Error-Type',
    'Trailer: Lambda-Runtime-Function-Error-Body',
  ],
) =>
  postHead(`invocation/${requestId}/response`, [
    'Lambda-Runtime-Function-Response-Mode: streaming',
    'Content-Type: application/octet-stream',
    'Transfer-Encoding: chunked',
    ...trailer,
  ]);
const chunk = (data: string | Buffer) => {
  const bytes = Buffer.from(data);
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);
};
const ACCEPTED = { status: 202, body: '{"status":"OK"}\n' };

async function delivered(server: RuntimeApiServer, invocation = newInvocation()) {
  const next = await RawConnection.open(server.address);
  next.write(NEXT);
  server.dispatch(invocation, 60_000);
  const reply = await next.response();
  return { next, reply, invocation };
}

async function readAll(invocation: Invocation): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const piece of invocation.body) chunks.push(piece as Buffer);
  return Buffer.concat(chunks);
}

describe('RuntimeApiServer', () => {
  it('serves GET /next with the invocation and its headers, and accepts a buffered response with 202', async () => {
    const { server, recorded } = await startServer();
    const before = Date.now();
    const { next, reply, invocation } = await delivered(server);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('{"hello":"world"}');
    expect(reply.headers['lambda-runtime-aws-request-id']).toBe('req-1');
    expect(reply.headers['lambda-runtime-invoked-function-arn']).toBe(
      'arn:aws:lambda:us-east-1:123456789012:function:f',
    );
    expect(reply.headers['lambda-runtime-trace-id']).toMatch(/^Root=1-/);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(Number(reply.headers['lambda-runtime-deadline-ms'])).toBeGreaterThanOrEqual(before + 60_000);
    expect(server.state).toBe('Running');

    const body = readAll(invocation);
    next.write(
      `${postHead('invocation/req-1/response', ['Content-Type: application/json', 'Content-Length: 4'])}"ok"`,
    );
    expect(await next.response()).toMatchObject(ACCEPTED);
    expect((await body).toString()).toBe('"ok"');
    expect(recorded.outcomes).toEqual([{ requestId: 'req-1', error: undefined }]);
    expect(server.state).toBe('RuntimeResponseSentState');
  });

  it('holds GET /next until an invocation is dispatched (long poll)', async () => {
    const { server } = await startServer();
    const next = await RawConnection.open(server.address);
    next.write(NEXT);
    await sleep(100);
    expect(next.received.length).toBe(0);
    server.dispatch(newInvocation('later'), 1000);
    expect((await next.response()).headers['lambda-runtime-aws-request-id']).toBe('later');
  });

  it('answers a response for an unknown request id with 400 InvalidRequestID, exactly as RAPID', async () => {
    const { server } = await startServer();
    const { next } = await delivered(server);
    next.write(`${postHead('invocation/someone-else/response', ['Content-Length: 2'])}{}`);
    const reply = await next.response();
    expect(reply.status).toBe(400);
    expect(reply.body).toBe('{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}\n');
    // The invocation is still waiting for its own response.
    expect(server.state).toBe('Running');
  });

  it('answers a second response to the same invocation with 400 InvalidRequestID', async () => {
    const { server } = await startServer();
    const { next } = await delivered(server);
    next.write(`${postHead('invocation/req-1/response', ['Content-Length: 2'])}{}`);
    expect((await next.response()).status).toBe(202);
    next.write(`${postHead('invocation/req-1/error', ['Content-Length: 2'])}{}`);
    const reply = await next.response();
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).errorType).toBe('InvalidRequestID');
  });

  it('rejects a response mode other than "streaming" with 400 InvalidFunctionResponseMode and fails the invoke', async () => {
    const { server, recorded } = await startServer();
    const { next } = await delivered(server);
    next.write(
      `${postHead('invocation/req-1/response', ['Lambda-Runtime-Function-Response-Mode: Streaming', 'Content-Length: 2'])}{}`,
    );
    const reply = await next.response();
    expect(reply.status).toBe(400);
    expect(reply.body).toBe(
      '{"errorMessage":"Invalid function response mode","errorType":"InvalidFunctionResponseMode"}\n',
    );
    expect(recorded.outcomes[0]?.error?.errorType).toBe('Runtime.InvalidResponseModeHeader');
    expect(recorded.protocolErrors).toEqual([
      { message: expect.stringContaining('"Streaming"'), fatal: true },
    ]);
  });

  it('answers a buffered response over 6291556 bytes with 413 and fails the invoke with Function.ResponseSizeTooLarge', async () => {
    const { server, recorded } = await startServer();
    const { next, invocation } = await delivered(server);
    const size = 6 * 1024 * 1024 + 101;
    next.write(postHead('invocation/req-1/response', [`Content-Length: ${size}`]));
    next.write(Buffer.alloc(size, 0x61));
    const reply = await next.response();
    expect(reply.status).toBe(413);
    expect(reply.body).toBe(
      '{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}\n',
    );
    const { error } = await invocation.result;
    expect(error?.errorType).toBe('Function.ResponseSizeTooLarge');
    expect(JSON.parse(error!.payload.toString())).toEqual({
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
    expect(recorded.responseSent).toEqual(['req-1']);
  });

  it('answers a state violation with 403 InvalidStateTransition and RAPID state names', async () => {
    const { server } = await startServer();
    const { next } = await delivered(server);
    next.write(`${postHead('init/error', ['Content-Length: 2'])}{}`);
    const reply = await next.response();
    expect(reply.status).toBe(403);
    expect(reply.body).toBe(
      '{"errorMessage":"State transition from Running to InitError failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"}\n',
    );
  });

  it('refuses GET /next while a response is being streamed (403)', async () => {
    const { server } = await startServer();
    const { invocation } = await delivered(server);
    invocation.body.resume();
    const post = await RawConnection.open(server.address);
    post.write(streamingHead('req-1'));
    post.write(chunk('partial'));
    await sleep(50);
    const other = await RawConnection.open(server.address);
    other.write(NEXT);
    const reply = await other.response();
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body).errorMessage).toBe(
      'State transition from InvocationResponse to Ready failed for runtime. Error: State transition is not allowed',
    );
  });

  it('replies 202 to a streaming response only after the terminating chunk and trailers', async () => {
    const { server, recorded } = await startServer();
    const { invocation } = await delivered(server);
    const body = readAll(invocation);
    // The streaming POST on a second connection, as AWS's Node runtime sends it.
    const post = await RawConnection.open(server.address);
    post.write(streamingHead('req-1'));
    post.write(chunk('hello '));
    post.write(chunk('world'));
    await sleep(100);
    expect(post.received.length).toBe(0);
    expect(recorded.outcomes).toEqual([]);
    post.write('0\r\n\r\n');
    expect(await post.response()).toMatchObject(ACCEPTED);
    expect((await body).toString()).toBe('hello world');
    expect(invocation.responseStreaming).toBe(true);
    expect(invocation.responseContentType).toBe('application/octet-stream');
    expect(recorded.outcomes).toEqual([{ requestId: 'req-1', error: undefined }]);
  });

  it('treats the body as a byte stream, whatever the chunk boundaries', async () => {
    const { server } = await startServer();
    const { invocation } = await delivered(server);
    const body = readAll(invocation);
    const post = await RawConnection.open(server.address);
    const wire = Buffer.concat([
      Buffer.from(streamingHead('req-1')),
      chunk('a'),
      chunk('bc'),
      chunk(Buffer.alloc(3000, 0x78)),
      Buffer.from('0\r\n\r\n'),
    ]);
    // One byte per TCP write: no boundary in the wire format carries meaning.
    for (const byte of wire) {
      post.write(Buffer.from([byte]));
      if (byte === 0x0a) await sleep(0);
    }
    expect((await post.response()).status).toBe(202);
    expect((await body).toString()).toBe(`abc${'x'.repeat(3000)}`);
  });

  it('passes the chunks of one socket read to the caller as one piece, not one piece per chunk', async () => {
    // Regression: Node's parser hands each chunk of a chunked body over in a callback of its own, so a function
    // writing 1 KiB at a time reached the caller 1 KiB at a time (a write, a syscall and an event-stream frame
    // each), even when one read brought many chunks in: 66 MB/s through a function URL where a bare Node.js
    // server doing the same writes made 344.
    const { server } = await startServer();
    const { invocation } = await delivered(server);
    const pieces: number[] = [];
    invocation.body.on('data', (piece: Buffer) => pieces.push(piece.byteLength));
    const ended = once(invocation.body, 'end');
    const post = await RawConnection.open(server.address);
    post.write(
      Buffer.concat([
        Buffer.from(streamingHead('req-1')),
        ...Array.from({ length: 50 }, () => chunk(Buffer.alloc(100, 0x61))),
      ]),
    );
    await sleep(50);
    post.write('0\r\n\r\n');
    expect((await post.response()).status).toBe(202);
    await ended;
    expect(pieces.reduce((sum, size) => sum + size, 0)).toBe(5000);
    expect(pieces.length).toBeLessThanOrEqual(2); // one TCP write of ~5.6 KB on loopback: one read, rarely two
  });

  it.each([
    ['two Trailer lines (Node, Rust)', undefined],
    [
      'one comma-separated Trailer line (Swift)',
      ['Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body'],
    ],
  ])('reads mid-stream error trailers announced with %s', async (_label, trailer) => {
    const { server } = await startServer();
    const { invocation } = await delivered(server);
    const body = readAll(invocation);
    const document = {
      errorType: 'RangeError',
      errorMessage: 'boom midstream',
      trace: ['RangeError: boom midstream'],
    };
    const post = await RawConnection.open(server.address);
    post.write(streamingHead('req-1', trailer));
    post.write(chunk('hello'));
    post.write(
      `0\r\nLambda-Runtime-Function-Error-Type: RangeError\r\nLambda-Runtime-Function-Error-Body: ${encodeErrorBody(document)}\r\n\r\n`,
    );
    expect(await post.response()).toMatchObject(ACCEPTED);
    expect((await body).toString()).toBe('hello');
    const { error } = await invocation.result;
    expect(error?.errorType).toBe('RangeError');
    expect(error?.source).toBe('function');
    expect(JSON.parse(error!.payload.toString())).toEqual(document);
  });

  it('keeps the error type but drops details that are not base64 (Swift sends "Requires base64")', async () => {
    const { server } = await startServer();
    const { invocation } = await delivered(server);
    invocation.body.resume();
    const post = await RawConnection.open(server.address);
    post.write(streamingHead('req-1'));
    post.write(
      '0\r\nLambda-Runtime-Function-Error-Type: Unhandled\r\nLambda-Runtime-Function-Error-Body: Requires base64\r\n\r\n',
    );
    expect((await post.response()).status).toBe(202);
    const { error } = await invocation.result;
    expect(JSON.parse(error!.payload.toString())).toEqual({ errorType: 'Unhandled', errorMessage: '' });
  });

  it('accepts /error without an error-type header and with `trace`, passing the document through verbatim', async () => {
    const { server } = await startServer();
    const { next, invocation } = await delivered(server);
    invocation.body.resume();
    const document = '{"errorType":"Error","errorMessage":"buffered fail","trace":["Error: buffered fail"]}';
    next.write(
      `${postHead('invocation/req-1/error', ['Content-Type: application/json', `Content-Length: ${document.length}`])}${document}`,
    );
    expect(await next.response()).toMatchObject(ACCEPTED);
    const { error } = await invocation.result;
    expect(error?.errorType).toBe('Error');
    expect(error?.payload.toString()).toBe(document);
  });

  it('builds the error document from the sanitised header when the /error body is not JSON', async () => {
    const { server } = await startServer();
    const { next, invocation } = await delivered(server);
    invocation.body.resume();
    next.write(
      `${postHead('invocation/req-1/error', ['Lambda-Runtime-Function-Error-Type: unhandled', 'Content-Length: 4'])}oops`,
    );
    expect((await next.response()).status).toBe(202);
    const { error } = await invocation.result;
    expect(JSON.parse(error!.payload.toString())).toEqual({
      errorType: 'Runtime.Unknown',
      errorMessage: 'oops',
    });
  });

  it('takes /init/error before the first /next and hands the error over', async () => {
    const { server, recorded } = await startServer();
    const connection = await RawConnection.open(server.address);
    const document =
      '{"errorType":"Runtime.ImportModuleError","errorMessage":"Error: Cannot find module \'x\'","trace":[]}';
    connection.write(
      `${postHead('init/error', ['Lambda-Runtime-Function-Error-Type: Runtime.ImportModuleError', `Content-Length: ${document.length}`])}${document}`,
    );
    expect(await connection.response()).toMatchObject(ACCEPTED);
    expect(recorded.initErrors.map((error) => error.payload.toString())).toEqual([document]);
    expect(server.state).toBe('InitError');
  });

  it('reports a streaming response cut off before its terminating chunk as truncated', async () => {
    const { server, recorded } = await startServer();
    const { invocation } = await delivered(server);
    invocation.body.resume();
    const post = await RawConnection.open(server.address);
    post.write(streamingHead('req-1'));
    post.write(chunk('half'));
    await sleep(20);
    post.socket.destroy();
    await sleep(50);
    expect(recorded.truncated).toEqual(['req-1']);
    expect(invocation.bodyEnded).toBe(true);
  });

  it('pauses the runtime when the caller does not read (backpressure), and loses nothing', async () => {
    const { server } = await startServer();
    const { invocation } = await delivered(server);
    const post = await RawConnection.open(server.address);
    post.write(streamingHead('req-1'));
    const piece = Buffer.alloc(64 * 1024, 0x62);
    const pieces = 128; // 8 MiB
    for (let i = 0; i < pieces; i++) post.write(chunk(piece));
    post.write('0\r\n\r\n');
    await sleep(300);
    // Nobody reads the invocation's body: the server must have stopped reading the runtime's request.
    expect(invocation.body.readableLength).toBeLessThanOrEqual(256 * 1024);
    expect(invocation.bytesWritten).toBeLessThan(pieces * piece.length);
    const body = await readAll(invocation);
    expect(body.length).toBe(pieces * piece.length);
    expect((await post.response()).status).toBe(202);
  });

  it('ends a streamed response at the limit with Function.ResponseSizeTooLarge and answers 413', async () => {
    const { server } = await startServer();
    const invocation = newInvocation('req-1', 10_000);
    const { invocation: same } = await delivered(server, invocation);
    const body = readAll(same);
    const post = await RawConnection.open(server.address);
    post.write(streamingHead('req-1'));
    for (let i = 0; i < 5; i++) post.write(chunk(Buffer.alloc(4000, 0x63)));
    post.write('0\r\n\r\n');
    const reply = await post.response();
    expect(reply.status).toBe(413);
    expect((await body).length).toBe(10_000);
    expect((await invocation.result).error?.errorType).toBe('Function.ResponseSizeTooLarge');
  });

  it('answers unknown paths like RAPID’s router', async () => {
    const { server } = await startServer();
    const connection = await RawConnection.open(server.address);
    connection.write('GET /2018-06-01/nope HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await connection.response()).toMatchObject({ status: 404, body: '404 page not found\n' });
    connection.write(`${postHead('invocation/next', ['Content-Length: 0'])}`);
    expect((await connection.response()).status).toBe(405);
  });
});
