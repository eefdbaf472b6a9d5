/**
 * An in-memory `RuntimeClient`: the invoke loop's other side without sockets, in the spirit of the Swift
 * runtime's loop tests. It records what the loop sent, as the Runtime API would receive it.
 */
import type { ErrorDocument } from '../../src/protocol/index.js';
import type {
  Invocation,
  ResponseSink,
  RuntimeApiReply,
  RuntimeClient,
} from '../../src/runtime/runtime-client.js';

export type RecordedResponse =
  | { kind: 'buffered'; requestId: string; body: string; contentType: string }
  | { kind: 'error'; requestId: string; error: ErrorDocument }
  | { kind: 'init-error'; error: ErrorDocument }
  | {
      kind: 'stream';
      requestId: string;
      contentType: string;
      chunks: Buffer[];
      trailers: Record<string, string> | undefined;
    };

const ACCEPTED: RuntimeApiReply = { statusCode: 202, body: '{"status":"OK"}\n' };

export class MemoryRuntimeClient implements RuntimeClient {
  readonly responses: RecordedResponse[] = [];
  readonly #queue: Invocation[];
  /** Reply given to every post; tests change it to see how the loop reacts to a refusal. */
  reply: RuntimeApiReply = ACCEPTED;

  constructor(invocations: Invocation[]) {
    this.#queue = [...invocations];
  }

  async next(): Promise<Invocation> {
    const invocation = this.#queue.shift();
    if (!invocation) throw new Error('no more invocations queued');
    return invocation;
  }

  async postResponse(requestId: string, body: Uint8Array | string, contentType = 'application/json') {
    this.responses.push({
      kind: 'buffered',
      requestId,
      body: Buffer.from(body).toString('utf8'),
      contentType,
    });
    return this.reply;
  }

  async postError(requestId: string, error: ErrorDocument) {
    this.responses.push({ kind: 'error', requestId, error });
    return this.reply;
  }

  async postInitError(error: ErrorDocument) {
    this.responses.push({ kind: 'init-error', error });
    return this.reply;
  }

  openResponseStream(requestId: string): ResponseSink {
    const record: Extract<RecordedResponse, { kind: 'stream' }> = {
      kind: 'stream',
      requestId,
      contentType: '',
      chunks: [],
      trailers: undefined,
    };
    let started = false;
    let ended: Promise<RuntimeApiReply> | undefined;
    const client = this;
    return {
      contentType: 'application/octet-stream',
      get started() {
        return started;
      },
      write(chunk, done) {
        if (!started) {
          started = true;
          record.contentType = this.contentType;
          client.responses.push(record);
        }
        record.chunks.push(Buffer.from(chunk));
        done();
      },
      end(trailers) {
        if (ended) return ended;
        if (!started) {
          started = true;
          record.contentType = this.contentType;
          client.responses.push(record);
        }
        record.trailers = trailers;
        ended = Promise.resolve(client.reply);
        return ended;
      },
      abort() {},
    };
  }
}

/** An invocation with sensible defaults. */
export function invocation(
  requestId: string,
  event: unknown,
  overrides: Partial<Invocation> = {},
): Invocation {
  return {
    requestId,
    deadlineMs: Date.now() + 30_000,
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test',
    payload: Buffer.from(JSON.stringify(event)),
    ...overrides,
  };
}
