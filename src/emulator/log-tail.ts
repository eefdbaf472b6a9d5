/**
 * The last bytes of an invocation's execution log, kept in a fixed ring buffer: Lambda returns "the last 4 KB
 * of the execution log, base64-encoded" as `X-Amz-Log-Result` (Invoke) and `InvokeComplete.LogResult`
 * (InvokeWithResponseStream). Memory stays at the capacity however much the function prints.
 */
import { LOG_TAIL_BYTES } from '../protocol/index.js';

/**
 * @example
 * const tail = new LogTail();
 * tail.append('START RequestId: 1 Version: $LATEST\n');
 * response.setHeader('X-Amz-Log-Result', tail.toBase64());
 */
export class LogTail {
  readonly capacity: number;
  /** Allocated on the first append: most invocations never ask for their tail, and print nothing. */
  #ring: Buffer | undefined;
  /** Bytes ever appended; the ring holds the last min(total, capacity) of them. */
  #total = 0;

  constructor(capacity: number = LOG_TAIL_BYTES) {
    if (!Number.isInteger(capacity) || capacity <= 0)
      throw new RangeError('capacity must be a positive integer');
    this.capacity = capacity;
  }

  /** Bytes currently held (at most `capacity`). */
  get length(): number {
    return Math.min(this.#total, this.capacity);
  }

  append(data: string | Uint8Array): void {
    let bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (bytes.byteLength === 0) return;
    if (bytes.byteLength > this.capacity) {
      this.#total += bytes.byteLength - this.capacity;
      bytes = bytes.subarray(bytes.byteLength - this.capacity);
    }
    this.#ring ??= Buffer.alloc(this.capacity);
    const start = this.#total % this.capacity;
    const first = Math.min(bytes.byteLength, this.capacity - start);
    this.#ring.set(bytes.subarray(0, first), start);
    if (first < bytes.byteLength) this.#ring.set(bytes.subarray(first), 0);
    this.#total += bytes.byteLength;
  }

  /** The held bytes, oldest first (a copy). May start inside a UTF-8 sequence, as Lambda's tail may. */
  toBuffer(): Buffer {
    if (!this.#ring) return Buffer.alloc(0);
    if (this.#total <= this.capacity) return Buffer.from(this.#ring.subarray(0, this.#total));
    const start = this.#total % this.capacity;
    return Buffer.concat([this.#ring.subarray(start), this.#ring.subarray(0, start)]);
  }

  toBase64(): string {
    return this.toBuffer().toString('base64');
  }
}
