/**
 * The `awslambda` global of AWS's managed Node.js runtime (`streamifyResponse`, `HttpResponseStream`),
 * also exported as typed functions so code can import them instead of relying on a global that exists only
 * inside Lambda (the "awslambda is not defined" pain). The contract follows runtime-api.md §3.2–3.3: a
 * streaming handler is tagged with a well-known symbol and returned as the same function object.
 */
import type { Writable } from 'node:stream';
import { RuntimeEnv, RuntimeErrorType } from '../protocol/index.js';
import { PRELUDE_CONTENT_TYPE, PRELUDE_DELIMITER_LENGTH } from '../protocol/prelude.js';
import type { LambdaContext } from './context.js';
import { LambdaRuntimeError, RuntimeErrorCode } from './errors.js';
import type { BeforeFirstWriteHook } from './response-stream.js';

/** The tag AWS's runtime looks for on a handler; the value `'response'` means response streaming. */
export const STREAMING_HANDLER_TAG = Symbol.for('aws.lambda.runtime.handler.streaming');
/** Where `streamifyResponse` records its `highWaterMark` option. */
export const HIGH_WATER_MARK_TAG = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const STREAM_RESPONSE = 'response';

/**
 * What a streaming handler writes to: a Writable with `setContentType`. Inside sluice's runtime it is a
 * `ResponseStream`; on AWS's managed runtime it is that runtime's own stream.
 */
export type LambdaResponseStream = Writable & {
  setContentType(contentType: string): void;
  _onBeforeFirstWrite?: BeforeFirstWriteHook | undefined;
};

/**
 * An awslambda-style streaming handler.
 *
 * @example
 * const handler: StreamifyHandler<{ name: string }> = async (event, responseStream) => {
 *   responseStream.end(`hello ${event.name}`);
 * };
 */
export type StreamifyHandler<TEvent = unknown> = (
  event: TEvent,
  responseStream: LambdaResponseStream,
  context: LambdaContext,
) => Promise<void>;

/** What `streamifyResponse` accepts: a StreamifyHandler whose promise may carry a value (it is ignored). */
export type StreamifyHandlerFunction<TEvent = unknown> = (
  event: TEvent,
  responseStream: LambdaResponseStream,
  context: LambdaContext,
) => Promise<unknown>;

export interface StreamifyOptions {
  /** Bytes the response stream holds, beyond what its connection has accepted, before `write()` returns false. */
  highWaterMark?: number;
}

interface AwsLambdaGlobal {
  streamifyResponse: typeof streamifyResponse;
  HttpResponseStream: typeof HttpResponseStream;
}

function platformGlobal(): AwsLambdaGlobal | undefined {
  const candidate = (globalThis as { awslambda?: Partial<AwsLambdaGlobal> }).awslambda;
  // Delegate only to a different, complete implementation: the one AWS's managed runtime installed. Other
  // code also writes to this global (the AWS SDK's @aws/lambda-invoke-store sets `awslambda = {}`), so an
  // object without these functions is not a runtime.
  if (
    typeof candidate?.streamifyResponse !== 'function' ||
    typeof candidate.HttpResponseStream?.from !== 'function' ||
    candidate.streamifyResponse === streamifyResponse
  ) {
    return undefined;
  }
  return candidate as AwsLambdaGlobal;
}

/**
 * Marks a handler as a response-streaming handler. Returns the same function object, as AWS's runtime
 * does; on AWS's managed runtime it delegates to that runtime's `awslambda.streamifyResponse`.
 *
 * @example
 * import { streamifyResponse } from 'sluice';
 * export const handler = streamifyResponse(async (event, responseStream) => {
 *   responseStream.setContentType('text/plain');
 *   responseStream.write('hello ');
 *   responseStream.end('world');
 * });
 */
export function streamifyResponse<
  // biome-ignore lint/suspicious/noExplicitAny: the event's type is the caller's to declare, as in @types/aws-lambda.
  TEvent = any,
  THandler extends StreamifyHandlerFunction<TEvent> = StreamifyHandlerFunction<TEvent>,
>(handler: THandler, options?: StreamifyOptions): THandler {
  const platform = platformGlobal();
  if (platform) return platform.streamifyResponse(handler, options);
  const tagged = handler as unknown as Record<symbol, unknown>;
  tagged[STREAMING_HANDLER_TAG] = STREAM_RESPONSE;
  if (typeof options?.highWaterMark === 'number') {
    tagged[HIGH_WATER_MARK_TAG] = Number.parseInt(String(options.highWaterMark), 10);
  }
  return handler;
}

/**
 * Sets the HTTP status, headers and cookies of a streamed response for function URLs and API Gateway.
 * `from()` returns the same stream; the prelude goes out before the first body byte (and, unlike AWS's
 * runtime, also when the body is empty).
 *
 * @example
 * export const handler = streamifyResponse(async (event, responseStream) => {
 *   const stream = HttpResponseStream.from(responseStream, {
 *     statusCode: 200,
 *     headers: { 'Content-Type': 'text/plain' },
 *     cookies: ['session=1; HttpOnly'],
 *   });
 *   stream.end('ok');
 * });
 */
// biome-ignore lint/complexity/noStaticOnlyClass: AWS's runtime exposes a class with a static from(); code calls HttpResponseStream.from.
export class HttpResponseStream {
  static from<TStream extends LambdaResponseStream>(
    underlyingStream: TStream,
    prelude: {
      statusCode?: number;
      headers?: Record<string, string>;
      cookies?: string[];
      [key: string]: unknown;
    },
  ): TStream {
    const platform = platformGlobal();
    if (platform) return platform.HttpResponseStream.from(underlyingStream, prelude);
    underlyingStream.setContentType(PRELUDE_CONTENT_TYPE);
    const metadata = JSON.stringify(prelude);
    underlyingStream._onBeforeFirstWrite = (write) => {
      write(metadata);
      write(new Uint8Array(PRELUDE_DELIMITER_LENGTH));
    };
    return underlyingStream;
  }
}

/**
 * Installs `globalThis.awslambda` before user code loads, as AWS's runtime does, unless
 * `AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA` is `1` or `true`.
 *
 * @example
 * installAwsLambdaGlobal();
 * await import(userModule); // may call awslambda.streamifyResponse(...) at top level
 */
export function installAwsLambdaGlobal(env: NodeJS.ProcessEnv = process.env): void {
  const opt = env[RuntimeEnv.noGlobalAwsLambda];
  if (opt === '1' || opt === 'true') return;
  (globalThis as { awslambda?: AwsLambdaGlobal }).awslambda = { streamifyResponse, HttpResponseStream };
}

/**
 * How the runtime must call a handler: streaming (with its highWaterMark) or buffered.
 *
 * @example
 * handlerMode(streamifyResponse(async () => {})); // { streaming: true, highWaterMark: undefined }
 */
export function handlerMode(handler: unknown): { streaming: boolean; highWaterMark: number | undefined } {
  const tags = handler as Record<symbol, unknown>;
  const tag = tags[STREAMING_HANDLER_TAG];
  if (tag === undefined || tag === null || tag === false)
    return { streaming: false, highWaterMark: undefined };
  if (tag !== STREAM_RESPONSE) {
    throw new LambdaRuntimeError(
      RuntimeErrorType.malformedStreamingHandler,
      RuntimeErrorCode.malformedStreamingHandler,
      'Only response streaming is supported.',
    );
  }
  const hwm = Number.parseInt(String(tags[HIGH_WATER_MARK_TAG]), 10);
  return { streaming: true, highWaterMark: Number.isNaN(hwm) ? undefined : hwm };
}
