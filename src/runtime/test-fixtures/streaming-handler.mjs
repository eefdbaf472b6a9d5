// A sluice streamingHandler, loaded by AWS's own runtime client in ric-parity.test.ts.
import { streamingHandler } from '../../../dist/index.js';

export const handler = streamingHandler(async (event, writer) => {
  await writer.writeStatusAndHeaders({ statusCode: 200, headers: { 'Content-Type': 'text/plain' } });
  await writer.write(`hello ${event.name}\n`);
  await writer.writeAndFinish('bye\n');
});
