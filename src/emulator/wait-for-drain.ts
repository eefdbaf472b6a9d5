/**
 * Backpressure on an HTTP response: when `write()` returned false, wait for `'drain'` before writing more,
 * or stop waiting when the response is gone (the client disconnected).
 */
import type { Writable } from 'node:stream';

/**
 * Resolves when `stream` can take more bytes, or at once if it is not full or already destroyed.
 *
 * @example
 * if (!res.write(chunk)) await waitForDrain(res);
 */
export function waitForDrain(stream: Writable): Promise<void> {
  if (stream.destroyed || !stream.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
