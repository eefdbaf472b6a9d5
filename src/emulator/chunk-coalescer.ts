/**
 * Joins the chunks of a runtime's response body that arrive together, so the caller side gets one piece per
 * socket read instead of one per chunk the function wrote.
 *
 * Why: Node's HTTP server feeds a socket read to its parser from native code, and the parser hands each chunk
 * of a chunked body to JavaScript in a callback of its own, with the tick and microtask queues run after each.
 * A function writing 1 KiB at a time (aws-lambda-nodejs-runtime-interface-client#102 is about exactly such
 * writes) therefore reached the caller 1 KiB at a time: a `write()`, a syscall and, for
 * InvokeWithResponseStream, an event-stream frame each, even when one read had brought sixty of them in. The
 * bench measured 66 MB/s through a function URL against 344 MB/s for a bare Node.js server doing the same writes.
 *
 * Chunks are held only until the event loop's next turn (`setImmediate`), which comes right after the poll
 * phase that read them: no timer, nothing held back once the read is parsed.
 */

/**
 * @example
 * const coalescer = new ChunkCoalescer((piece) => invocation.write(piece));
 * req.on('data', (chunk) => coalescer.push(chunk));
 * req.on('end', () => { coalescer.flush(); invocation.endBody(); });
 */
export class ChunkCoalescer {
  /** Pieces are passed on at once when this many bytes are waiting (a socket read is at most 64 KiB). */
  static readonly MAX_PENDING_BYTES = 256 * 1024;
  readonly #deliver: (piece: Buffer) => void;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #scheduled: NodeJS.Immediate | undefined;

  constructor(deliver: (piece: Buffer) => void) {
    this.#deliver = deliver;
  }

  /** Holds `chunk` until the event loop's next turn, with whatever else arrives before then. */
  push(chunk: Buffer): void {
    if (chunk.byteLength === 0) return;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.byteLength;
    if (this.#pendingBytes >= ChunkCoalescer.MAX_PENDING_BYTES) this.flush();
    else this.#scheduled ??= setImmediate(() => this.flush());
  }

  /** Passes on what is waiting now, as one piece (call before the body's end is handled). */
  flush(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    if (this.#pending.length === 0) return;
    const piece =
      this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#deliver(piece);
  }
}
