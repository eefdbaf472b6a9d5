/**
 * The runtime's view of the Lambda Runtime API. The invoke loop is written against this interface, so it
 * can be tested without sockets (as the Swift runtime's loop is); `HttpRuntimeClient` is the real one.
 */
import type { ErrorDocument } from '../protocol/index.js';

/** One invocation, as `GET /next` delivers it. */
export interface Invocation {
  requestId: string;
  /** Epoch milliseconds at which Lambda stops the invocation. */
  deadlineMs: number;
  invokedFunctionArn: string;
  /** The raw event payload. */
  payload: Uint8Array;
  traceId?: string;
  /** Raw JSON of the `Lambda-Runtime-Client-Context` header. */
  clientContext?: string;
  /** Raw JSON of the `Lambda-Runtime-Cognito-Identity` header. */
  cognitoIdentity?: string;
  tenantId?: string;
}

/** What the Runtime API answered to a post. Lambda answers 202 when it accepted it. */
export interface RuntimeApiReply {
  statusCode: number;
  body: string;
}

/**
 * The body of one streaming `/response` POST. Writes go to the wire as they come (no coalescing); the
 * request head goes out with the first write or at `end`, so the content type can change until then.
 */
export interface ResponseSink {
  /** Content type sent in the request head; settable until the first write. */
  contentType: string;
  /** True once the request head is on its way (first write or end). */
  readonly started: boolean;
  /**
   * Sends `chunk`. `done` is called when the transport can take more (at once, or after it drained), or
   * with the error that broke the request.
   */
  write(chunk: Uint8Array, done: (error?: Error | null) => void): void;
  /**
   * Ends the body, with error trailers when `trailers` is given, and resolves with the Runtime API's reply.
   * Idempotent: later calls return the first call's promise.
   */
  end(trailers?: Record<string, string>): Promise<RuntimeApiReply>;
  /** Abandons the request (the connection is closed); used when the transport already failed. */
  abort(error: Error): void;
}

/**
 * The four calls a runtime makes.
 *
 * @example
 * for (;;) {
 *   const invocation = await client.next();
 *   await client.postResponse(invocation.requestId, '"ok"');
 * }
 */
export interface RuntimeClient {
  next(): Promise<Invocation>;
  postResponse(requestId: string, body: Uint8Array | string, contentType?: string): Promise<RuntimeApiReply>;
  postError(requestId: string, error: ErrorDocument): Promise<RuntimeApiReply>;
  postInitError(error: ErrorDocument): Promise<RuntimeApiReply>;
  openResponseStream(requestId: string): ResponseSink;
}
