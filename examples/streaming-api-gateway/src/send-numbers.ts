/**
 * SendNumbersWithPause behind an API Gateway REST API with responseTransferMode STREAM, from the Swift
 * runtime's Streaming+APIGateway example: status and headers first, then `Number: 1` to `Number: 3` one per
 * second, then `Streaming complete!`.
 */
import { streamingHandler } from 'sluice';

/** The fields of the REST proxy (payload 1.0) event this function relies on. */
interface ApiGatewayProxyEvent {
  resource: string;
  path: string;
  httpMethod: string;
  requestContext: { requestId: string; stage: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isApiGatewayEvent(event: unknown): event is ApiGatewayProxyEvent {
  const e = event as Partial<ApiGatewayProxyEvent> | null;
  return (
    typeof e?.httpMethod === 'string' && typeof e.path === 'string' && typeof e.requestContext === 'object'
  );
}

export const handler = streamingHandler(async (event, writer) => {
  // Like the Swift example, which decodes an APIGatewayRequest: anything else is a caller mistake.
  if (!isApiGatewayEvent(event)) throw new TypeError('Expected an API Gateway REST proxy (1.0) event');
  await writer.writeStatusAndHeaders({
    statusCode: 200,
    headers: { 'Content-Type': 'text/plain', 'x-my-custom-header': 'streaming-example' },
  });
  for (let number = 1; number <= 3; number++) {
    await writer.write(`Number: ${number}\n`);
    await sleep(1000);
  }
  await writer.writeAndFinish('Streaming complete!\n');
});
