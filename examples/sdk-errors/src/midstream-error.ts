/**
 * MidstreamError (serverless-patterns lambda-streaming-sdk-sam): the same words, but it throws after four of
 * them. The runtime ends the stream with error trailers; an InvokeWithResponseStream caller gets the four
 * words, then an InvokeComplete event carrying the error.
 */
import { streamifyResponse } from 'sluice';
import { WORDS } from './happy.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const handler = streamifyResponse(async (_event, responseStream) => {
  for (const [index, word] of WORDS.entries()) {
    if (index === 4) throw new Error('This is a custom error mid-stream!');
    responseStream.write(word);
    await sleep(500);
  }
  responseStream.end();
});
