/**
 * SendNumbersWithPause, from the Swift runtime's streaming example: writes 1 to 10, one line per second.
 * Through a RESPONSE_STREAM function URL each number reaches `curl --no-buffer` as it is written.
 */
import { streamingHandler } from 'sluice';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const handler = streamingHandler(async (_event, writer) => {
  for (let number = 1; number <= 10; number++) {
    await writer.write(`${number}\n`);
    await sleep(1000);
  }
  await writer.finish();
});
