/**
 * `streamingHandler`: the Swift runtime's `StreamingLambdaHandler` for TypeScript. The handler receives
 * the parsed event, a `LambdaResponseStreamWriter` and the context. The returned function is an ordinary
 * awslambda-style streaming handler, so the same export runs in sluice's runtime and on AWS's managed
 * Node.js runtime.
 */
import { type StreamifyHandler, type StreamifyOptions, streamifyResponse } from './awslambda.js';
import type { LambdaContext } from './context.js';
import { type LambdaResponseStreamWriter, ResponseStreamWriter } from './stream-writer.js';

/**
 * The body of a streaming handler.
 *
 * @example
 * const body: StreamingHandlerFunction<{ count: number }> = async (event, writer) => {
 *   for (let i = 0; i < event.count; i++) await writer.write(`${i}\n`);
 *   await writer.finish();
 * };
 */
export type StreamingHandlerFunction<TEvent = unknown> = (
  event: TEvent,
  writer: LambdaResponseStreamWriter,
  context: LambdaContext,
) => Promise<void>;

/**
 * Declares a streaming Lambda handler. A handler that returns without finishing is finished for it; one
 * that throws ends its response with the error trailers Lambda reports to the caller.
 *
 * @example
 * import { streamingHandler } from 'sluice';
 *
 * export const handler = streamingHandler<{ name?: string }>(async (event, writer, context) => {
 *   await writer.writeStatusAndHeaders({ statusCode: 200, headers: { 'Content-Type': 'text/plain' } });
 *   await writer.write(`hello ${event.name ?? 'world'}\n`);
 *   await writer.writeAndFinish(`request ${context.awsRequestId}\n`);
 * });
 */
export function streamingHandler<TEvent = unknown>(
  body: StreamingHandlerFunction<TEvent>,
  options?: StreamifyOptions,
): StreamifyHandler<TEvent> {
  const handler: StreamifyHandler<TEvent> = async (event, responseStream, context) => {
    const writer = new ResponseStreamWriter(responseStream);
    await body(event, writer, context);
    if (!writer.finished) await writer.finish();
  };
  return streamifyResponse(handler, options);
}
