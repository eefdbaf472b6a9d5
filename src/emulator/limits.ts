/**
 * The emulator's payload limits, AWS's values by default and configurable for tests and experiments.
 */
import {
  MAX_ASYNC_REQUEST_BYTES,
  MAX_BUFFERED_RESPONSE_BYTES,
  MAX_STREAMED_RESPONSE_BYTES,
  MAX_SYNC_REQUEST_BYTES,
} from '../protocol/index.js';
import { EmulatorConfigError } from './errors.js';

/**
 * @example
 * await startEmulator({ functions, limits: { streamedResponseBytes: 1024 * 1024 } });
 */
export interface EmulatorLimits {
  /** Largest synchronous invoke payload: 6 291 456 bytes (413 RequestEntityTooLargeException beyond). */
  requestBytes: number;
  /** Largest `Event` invoke payload: 1 MiB. */
  asyncRequestBytes: number;
  /** Largest buffered response: 6 291 556 bytes (Function.ResponseSizeTooLarge beyond). */
  bufferedResponseBytes: number;
  /** Largest streamed response: 200 MiB (the stream ends with Function.ResponseSizeTooLarge beyond). */
  streamedResponseBytes: number;
}

/**
 * AWS's limits.
 *
 * @example
 * DEFAULT_LIMITS.bufferedResponseBytes; // 6291556
 */
export const DEFAULT_LIMITS: Readonly<EmulatorLimits> = Object.freeze({
  requestBytes: MAX_SYNC_REQUEST_BYTES,
  asyncRequestBytes: MAX_ASYNC_REQUEST_BYTES,
  bufferedResponseBytes: MAX_BUFFERED_RESPONSE_BYTES,
  streamedResponseBytes: MAX_STREAMED_RESPONSE_BYTES,
});

/**
 * Fills in AWS's defaults and checks each limit is a positive integer.
 *
 * @example
 * resolveLimits({ requestBytes: 1024 }).bufferedResponseBytes; // 6291556
 */
export function resolveLimits(overrides: Partial<EmulatorLimits> = {}): EmulatorLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new EmulatorConfigError(`limits.${key} must be a positive integer; got ${String(value)}.`);
    }
  }
  return limits;
}
