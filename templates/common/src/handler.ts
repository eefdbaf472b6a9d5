import { setTimeout as sleep } from 'node:timers/promises';
import { streamingHandler } from 'sluice';

/** The parts of the event this handler reads: function URL (v2.0) and API Gateway (v1) events both have them. */
interface Request {
  queryStringParameters?: Record<string, string | undefined> | null;
}

/**
 * Streams a greeting a line at a time: each line reaches the caller as it is written (watch it with
 * `curl --no-buffer`). Status and headers go first, then the body, then the response is finished.
 */
export const handler = streamingHandler<Request>(async (event, writer, context) => {
  const name = event.queryStringParameters?.name ?? 'world';
  await writer.writeStatusAndHeaders({
    statusCode: 200,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' },
  });
  for (let i = 1; i <= 3; i++) {
    await writer.write(`Number: ${i}\n`);
    // Stop early if the invocation reaches its deadline.
    await sleep(300, undefined, { signal: context.signal }).catch(() => {});
  }
  await writer.writeAndFinish(`Hello, ${name}! (request ${context.awsRequestId})\n`);
});
