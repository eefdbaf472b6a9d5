/**
 * Lambda's response-streaming bandwidth shaping as a token bucket: "The first 6 MB of your function's
 * response payload has uncapped bandwidth. After this initial burst, Lambda streams your response at a
 * maximum rate of 2 MBps" (AWS docs); RAPID implements it as a bucket of 6 MiB refilled at 2 MiB/s
 * (`bandwidthlimiter`). Off by default in the emulator.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { STREAM_BANDWIDTH_BURST_BYTES, STREAM_BANDWIDTH_BYTES_PER_SECOND } from '../protocol/index.js';

/**
 * @example
 * const shaping: BandwidthOptions = { burstBytes: 6 * 1024 * 1024, bytesPerSecond: 2 * 1024 * 1024 };
 */
export interface BandwidthOptions {
  /** Bytes that may pass at once before the rate applies. */
  burstBytes: number;
  /** Sustained rate. */
  bytesPerSecond: number;
}

/**
 * AWS's values: 6 MiB burst, then 2 MiB/s.
 *
 * @example
 * await startEmulator({ functions, bandwidth: AWS_STREAM_BANDWIDTH });
 */
export const AWS_STREAM_BANDWIDTH: Readonly<BandwidthOptions> = Object.freeze({
  burstBytes: STREAM_BANDWIDTH_BURST_BYTES,
  bytesPerSecond: STREAM_BANDWIDTH_BYTES_PER_SECOND,
});

/**
 * One bucket per response. Starts full. `reserve(n)` takes n tokens, letting the level go negative, and
 * returns how long the caller must wait before sending, so one large chunk is delayed by exactly its cost.
 *
 * @example
 * const bucket = new TokenBucket(AWS_STREAM_BANDWIDTH);
 * await bucket.take(chunk.byteLength);
 * res.write(chunk);
 */
export class TokenBucket {
  readonly #options: BandwidthOptions;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(options: BandwidthOptions, now: () => number = () => performance.now()) {
    if (!(options.burstBytes > 0) || !(options.bytesPerSecond > 0)) {
      throw new RangeError('burstBytes and bytesPerSecond must be positive');
    }
    this.#options = options;
    this.#now = now;
    this.#tokens = options.burstBytes;
    this.#updatedAt = now();
  }

  #refill(): void {
    const now = this.#now();
    const elapsedSeconds = Math.max(0, now - this.#updatedAt) / 1000;
    this.#tokens = Math.min(
      this.#options.burstBytes,
      this.#tokens + elapsedSeconds * this.#options.bytesPerSecond,
    );
    this.#updatedAt = now;
  }

  /** Takes `bytes` tokens and returns the milliseconds to wait before sending them (0 within the burst). */
  reserve(bytes: number): number {
    this.#refill();
    this.#tokens -= bytes;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.#options.bytesPerSecond) * 1000;
  }

  /** Waits until `bytes` may be sent. */
  async take(bytes: number): Promise<void> {
    const wait = this.reserve(bytes);
    if (wait > 0) await sleep(wait);
  }
}
