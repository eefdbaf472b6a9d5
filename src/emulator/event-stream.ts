/**
 * The `application/vnd.amazon.eventstream` frames of an `InvokeWithResponseStream` body, encoded with AWS's
 * own codec (@smithy/eventstream-codec). Every frame carries `:event-type`, `:content-type` and
 * `:message-type: event`, in that order (invoke-api.md §3, §7): the JS SDK fails on a frame without
 * `:message-type`, and never sees `initial-response` from us.
 */
import { EventStreamCodec, type Message, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { type InvokeCompleteEvent, ResponseStreamEvent } from '../protocol/index.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/**
 * Largest payload per `PayloadChunk` frame. SDK decoders accept up to 16 MiB; smaller frames keep latency and
 * memory low (invoke-api.md §7: "a few KB to 64 KB per flush is sensible").
 *
 * @example
 * encodePayloadChunks(output, MAX_PAYLOAD_CHUNK_BYTES);
 */
export const MAX_PAYLOAD_CHUNK_BYTES = 256 * 1024;

function headers(eventType: string, contentType: string): MessageHeaders {
  return {
    ':event-type': { type: 'string', value: eventType },
    ':content-type': { type: 'string', value: contentType },
    ':message-type': { type: 'string', value: 'event' },
  };
}

/**
 * One `PayloadChunk` frame carrying raw function output bytes.
 *
 * @example
 * res.write(encodePayloadChunk(Buffer.from('Hello'))); // 111 bytes, invoke-api.md §7.1
 */
export function encodePayloadChunk(payload: Uint8Array): Uint8Array {
  return codec.encode({
    headers: headers(ResponseStreamEvent.payloadChunk, 'application/octet-stream'),
    body: payload,
  });
}

/**
 * Splits function output into `PayloadChunk` frames of at most `MAX_PAYLOAD_CHUNK_BYTES` each.
 *
 * @example
 * for (const frame of encodePayloadChunks(chunk)) res.write(frame);
 */
export function encodePayloadChunks(payload: Uint8Array, maxBytes = MAX_PAYLOAD_CHUNK_BYTES): Uint8Array[] {
  if (payload.byteLength <= maxBytes) return [encodePayloadChunk(payload)];
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset < payload.byteLength; offset += maxBytes) {
    frames.push(encodePayloadChunk(payload.subarray(offset, offset + maxBytes)));
  }
  return frames;
}

/**
 * The final `InvokeComplete` frame: `{}` on success, else `ErrorCode`/`ErrorDetails`, plus `LogResult` with
 * `X-Amz-Log-Type: Tail`.
 *
 * @example
 * res.end(encodeInvokeComplete({ ErrorCode: 'Unhandled', ErrorDetails: '{"errorType":"Error","errorMessage":"boom"}' }));
 */
export function encodeInvokeComplete(event: InvokeCompleteEvent): Uint8Array {
  const body: InvokeCompleteEvent = {};
  if (event.ErrorCode !== undefined) body.ErrorCode = event.ErrorCode;
  if (event.ErrorDetails !== undefined) body.ErrorDetails = event.ErrorDetails;
  if (event.LogResult !== undefined) body.LogResult = event.LogResult;
  return codec.encode({
    headers: headers(ResponseStreamEvent.invokeComplete, 'application/json'),
    body: fromUtf8(JSON.stringify(body)),
  });
}

/**
 * A decoded frame, for tests and tools: event type and raw payload.
 *
 * @example
 * const [first] = decodeEventStream(body); // { eventType: 'PayloadChunk', messageType: 'event', payload: Uint8Array }
 */
export interface DecodedEvent {
  eventType: string | undefined;
  messageType: string | undefined;
  contentType: string | undefined;
  payload: Uint8Array;
}

function stringHeader(message: Message, name: string): string | undefined {
  const header = message.headers[name];
  return header?.type === 'string' ? header.value : undefined;
}

function toDecoded(message: Message): DecodedEvent {
  return {
    eventType: stringHeader(message, ':event-type'),
    messageType: stringHeader(message, ':message-type'),
    contentType: stringHeader(message, ':content-type'),
    payload: message.body,
  };
}

/**
 * Decodes a complete event-stream body into its frames (throws on a truncated or corrupt frame).
 *
 * @example
 * const events = decodeEventStream(Buffer.concat(chunks));
 */
export function decodeEventStream(bytes: Uint8Array): DecodedEvent[] {
  const decoder = new EventStreamDecoder();
  const events = decoder.push(bytes);
  if (decoder.pendingBytes > 0) throw new Error('Truncated event message received.');
  return events;
}

/**
 * Incremental decoder for a body that arrives in pieces split anywhere.
 *
 * @example
 * const decoder = new EventStreamDecoder();
 * socket.on('data', (data) => { for (const event of decoder.push(data)) handle(event); });
 */
export class EventStreamDecoder {
  #pending: Buffer = Buffer.alloc(0);

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.#pending.byteLength;
  }

  push(data: Uint8Array): DecodedEvent[] {
    this.#pending = this.#pending.byteLength === 0 ? Buffer.from(data) : Buffer.concat([this.#pending, data]);
    const events: DecodedEvent[] = [];
    while (this.#pending.byteLength >= 4) {
      const total = this.#pending.readUInt32BE(0);
      if (this.#pending.byteLength < total) break;
      events.push(toDecoded(codec.decode(this.#pending.subarray(0, total))));
      this.#pending = this.#pending.subarray(total);
    }
    return events;
  }
}
