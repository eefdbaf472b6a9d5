/**
 * HappyPath (serverless-patterns lambda-streaming-sdk-sam): the words of a sentence, one every 500 ms, with
 * no separators. The TimeoutFunction runs this same code with a 1-second timeout.
 */
import { streamifyResponse } from 'sluice';

export const WORDS = 'This function is streaming the response back and now it is finished!'.split(' ');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const handler = streamifyResponse(async (_event, responseStream) => {
  for (const word of WORDS) {
    responseStream.write(word);
    await sleep(500);
  }
  responseStream.end();
});
