/**
 * sluice: AWS Lambda response streaming for TypeScript.
 *
 * @example
 * import { streamingHandler } from 'sluice';
 *
 * export const handler = streamingHandler(async (event, writer) => {
 *   await writer.writeStatusAndHeaders({ statusCode: 200, headers: { 'Content-Type': 'text/plain' } });
 *   await writer.write('hello ');
 *   await writer.writeAndFinish('world');
 * });
 */
export * from './protocol/index.js';
export * from './runtime/index.js';
