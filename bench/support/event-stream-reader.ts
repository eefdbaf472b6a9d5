/**
 * An incremental reader of AWS event-stream frames for the benchmark client: it hands each PayloadChunk's
 * payload bytes on as they arrive, without copying them or waiting for the frame to complete, so measuring
 * InvokeWithResponseStream costs the client about what reading a plain HTTP body does.
 *
 * Frame layout (AWS event stream encoding): total length (uint32 BE), headers length (uint32 BE), prelude CRC,
 * headers, payload, message CRC. CRCs are not checked here: the SDK and the emulator's own tests do that.
 */

const PRELUDE_BYTES = 12;
const TRAILER_BYTES = 4;

type Phase = 'prelude' | 'headers' | 'payload' | 'trailer';

/** Decodes the headers of one frame into name → value (strings, numbers, booleans, or bytes as hex). */
export function decodeEventStreamHeaders(bytes: Buffer): Record<string, string | number | boolean> {
  const headers: Record<string, string | number | boolean> = {};
  let offset = 0;
  while (offset < bytes.length) {
    const nameLength = bytes.readUInt8(offset);
    const name = bytes.toString('utf8', offset + 1, offset + 1 + nameLength);
    offset += 1 + nameLength;
    const type = bytes.readUInt8(offset++);
    switch (type) {
      case 0:
      case 1:
        headers[name] = type === 0;
        break;
      case 2:
        headers[name] = bytes.readInt8(offset);
        offset += 1;
        break;
      case 3:
        headers[name] = bytes.readInt16BE(offset);
        offset += 2;
        break;
      case 4:
        headers[name] = bytes.readInt32BE(offset);
        offset += 4;
        break;
      case 5:
      case 8:
        headers[name] = Number(bytes.readBigInt64BE(offset));
        offset += 8;
        break;
      case 6:
      case 7: {
        const length = bytes.readUInt16BE(offset);
        const value = bytes.subarray(offset + 2, offset + 2 + length);
        headers[name] = type === 7 ? value.toString('utf8') : value.toString('hex');
        offset += 2 + length;
        break;
      }
      case 9:
        headers[name] = bytes.toString('hex', offset, offset + 16);
        offset += 16;
        break;
      default:
        throw new Error(`event stream header ${name} has unknown type ${type}`);
    }
  }
  return headers;
}

/**
 * Feed it the body of an InvokeWithResponseStream response chunk by chunk.
 *
 * @example
 * const reader = new EventStreamReader((payload) => { received += payload.length; });
 * response.on('data', (chunk) => reader.push(chunk));
 * response.on('end', () => console.log(reader.invokeComplete)); // { ErrorCode?: ..., ... }
 */
export class EventStreamReader {
  /** Payload bytes of all PayloadChunk events so far. */
  payloadBytes = 0;
  /** Events seen, by `:event-type` (or `:exception-type` for exceptions). */
  readonly events: Record<string, number> = {};
  /** The parsed payload of the InvokeComplete event, once it arrived. */
  invokeComplete: Record<string, unknown> | undefined;
  readonly #onPayload: (payload: Buffer) => void;
  #phase: Phase = 'prelude';
  #collected: Buffer[] = [];
  #collectedBytes = 0;
  #need = PRELUDE_BYTES;
  #payloadRemaining = 0;
  #isPayloadChunk = false;
  #eventType = '';

  constructor(onPayload: (payload: Buffer) => void = () => {}) {
    this.#onPayload = onPayload;
  }

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#phase === 'payload' && this.#isPayloadChunk) {
        const take = Math.min(this.#payloadRemaining, chunk.length - offset);
        this.payloadBytes += take;
        this.#onPayload(chunk.subarray(offset, offset + take));
        offset += take;
        this.#payloadRemaining -= take;
        if (this.#payloadRemaining === 0) this.#enter('trailer', TRAILER_BYTES);
        continue;
      }
      const take = Math.min(this.#need - this.#collectedBytes, chunk.length - offset);
      this.#collected.push(chunk.subarray(offset, offset + take));
      this.#collectedBytes += take;
      offset += take;
      if (this.#collectedBytes === this.#need) this.#complete(Buffer.concat(this.#collected));
    }
  }

  /** True when no frame is half-read. */
  get atFrameBoundary(): boolean {
    return this.#phase === 'prelude' && this.#collectedBytes === 0;
  }

  #enter(phase: Phase, need: number): void {
    this.#phase = phase;
    this.#need = need;
    this.#collected = [];
    this.#collectedBytes = 0;
  }

  #complete(bytes: Buffer): void {
    switch (this.#phase) {
      case 'prelude': {
        const total = bytes.readUInt32BE(0);
        const headersLength = bytes.readUInt32BE(4);
        this.#payloadRemaining = total - headersLength - PRELUDE_BYTES - TRAILER_BYTES;
        this.#enter('headers', headersLength);
        if (headersLength === 0) this.#complete(Buffer.alloc(0));
        return;
      }
      case 'headers': {
        const headers = decodeEventStreamHeaders(bytes);
        this.#eventType = String(headers[':event-type'] ?? headers[':exception-type'] ?? 'unknown');
        this.events[this.#eventType] = (this.events[this.#eventType] ?? 0) + 1;
        this.#isPayloadChunk = this.#eventType === 'PayloadChunk';
        this.#enter('payload', this.#payloadRemaining);
        if (this.#payloadRemaining === 0) this.#enter('trailer', TRAILER_BYTES);
        return;
      }
      case 'payload':
        // Only events other than PayloadChunk are collected whole.
        if (this.#eventType === 'InvokeComplete') {
          this.invokeComplete = bytes.length ? JSON.parse(bytes.toString('utf8')) : {};
        }
        this.#enter('trailer', TRAILER_BYTES);
        return;
      case 'trailer':
        this.#enter('prelude', PRELUDE_BYTES);
        return;
    }
  }
}
