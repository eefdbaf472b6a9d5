/**
 * Reads the HTTP-integration prelude (`JSON || 8 × NUL`) off the start of a streamed response, whatever the
 * chunk boundaries: the JSON and the delimiter may arrive in any number of pieces, or in one piece together
 * with body bytes. It holds at most `maxBytes` (API Gateway: "the delimiter … must appear within the first
 * 16KB of stream data"); a prelude that has not ended by then is an error, not a wait without end.
 */
import { type HttpResponseMetadata, MAX_PRELUDE_SCAN_BYTES, splitPrelude } from '../../protocol/index.js';

/**
 * What the reader knows after a chunk.
 *
 * @example
 * const step = reader.push(chunk);
 * if (step.kind === 'complete') send(step.metadata, step.body);
 */
export type PreludeStep =
  | { kind: 'incomplete' }
  | { kind: 'complete'; metadata: HttpResponseMetadata; body: Buffer }
  | { kind: 'invalid'; reason: string };

/**
 * @example
 * const reader = new PreludeReader();
 * for await (const chunk of body) {
 *   const step = reader.push(chunk);
 *   if (step.kind !== 'incomplete') break;
 * }
 */
export class PreludeReader {
  readonly #maxBytes: number;
  #pending: Buffer = Buffer.alloc(0);
  #done = false;

  constructor(maxBytes: number = MAX_PRELUDE_SCAN_BYTES) {
    this.#maxBytes = maxBytes;
  }

  /** Bytes received so far while the prelude is incomplete. */
  get pendingBytes(): number {
    return this.#pending.byteLength;
  }

  /** Adds the next chunk of the stream. After `complete` or `invalid`, the reader must not be used again. */
  push(chunk: Buffer): PreludeStep {
    if (this.#done) throw new Error('PreludeReader: the prelude was already read');
    this.#pending = this.#pending.byteLength === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    // The delimiter must end within the first maxBytes bytes; look no further than that.
    const window = this.#pending.subarray(0, this.#maxBytes);
    const split = splitPrelude(window);
    if (split.kind === 'complete') {
      this.#done = true;
      const body = this.#pending.subarray(split.bodyOffset);
      this.#pending = Buffer.alloc(0);
      return { kind: 'complete', metadata: split.metadata, body };
    }
    if (split.kind === 'invalid') {
      this.#done = true;
      return { kind: 'invalid', reason: split.reason };
    }
    if (this.#pending.byteLength >= this.#maxBytes) {
      this.#done = true;
      return {
        kind: 'invalid',
        reason: `no prelude delimiter (8 NUL bytes) within the first ${this.#maxBytes} bytes`,
      };
    }
    return { kind: 'incomplete' };
  }
}
