import { describe, expect, it } from 'vitest';
import {
  decodeEventStream,
  EventStreamDecoder,
  encodeInvokeComplete,
  encodePayloadChunk,
  encodePayloadChunks,
} from './event-stream.js';

// Test vectors from invoke-api.md §7.1, checked there against zlib's CRC32.
const HELLO_CHUNK =
  '0000006f0000005af5fe871f0b3a6576656e742d7479706507000c5061796c6f61644368756e6b0d3a636f6e74656e742d747970650700186170706c69636174696f6e2f6f637465742d73747265616d0d3a6d6573736167652d747970650700056576656e7448656c6c6fe8263d64';
const EMPTY_COMPLETE =
  '00000066000000541f56c8690b3a6576656e742d7479706507000e496e766f6b65436f6d706c6574650d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e747b7d7006d467';

describe('event-stream framing', () => {
  it('encodes a PayloadChunk byte for byte as the reference vector', () => {
    expect(Buffer.from(encodePayloadChunk(Buffer.from('Hello'))).toString('hex')).toBe(HELLO_CHUNK);
  });

  it('encodes an empty InvokeComplete byte for byte as the reference vector', () => {
    expect(Buffer.from(encodeInvokeComplete({})).toString('hex')).toBe(EMPTY_COMPLETE);
  });

  it('puts ErrorCode, ErrorDetails and LogResult in the InvokeComplete JSON', () => {
    const [event] = decodeEventStream(
      encodeInvokeComplete({
        ErrorCode: 'Unhandled',
        ErrorDetails: '{"errorType":"Error"}',
        LogResult: 'bG9n',
      }),
    );
    expect(event?.eventType).toBe('InvokeComplete');
    expect(event?.messageType).toBe('event');
    expect(event?.contentType).toBe('application/json');
    expect(JSON.parse(Buffer.from(event!.payload).toString('utf8'))).toEqual({
      ErrorCode: 'Unhandled',
      ErrorDetails: '{"errorType":"Error"}',
      LogResult: 'bG9n',
    });
  });

  it('splits large output into frames of bounded size, in order', () => {
    const payload = Buffer.alloc(1000, 7);
    for (let i = 0; i < payload.length; i++) payload[i] = i % 251;
    const frames = encodePayloadChunks(payload, 300);
    expect(frames).toHaveLength(4);
    const events = decodeEventStream(Buffer.concat(frames));
    expect(Buffer.concat(events.map((event) => event.payload))).toEqual(payload);
  });

  it('decodes frames split across reads at every possible boundary', () => {
    const body = Buffer.concat([
      encodePayloadChunk(Buffer.from('one')),
      encodePayloadChunk(Buffer.from('two')),
      encodeInvokeComplete({}),
    ]);
    for (let cut = 0; cut <= body.length; cut++) {
      const decoder = new EventStreamDecoder();
      const events = [...decoder.push(body.subarray(0, cut)), ...decoder.push(body.subarray(cut))];
      expect(events.map((event) => event.eventType)).toEqual([
        'PayloadChunk',
        'PayloadChunk',
        'InvokeComplete',
      ]);
      expect(decoder.pendingBytes).toBe(0);
    }
  });

  it('rejects a truncated body', () => {
    const frame = encodePayloadChunk(Buffer.from('Hello'));
    expect(() => decodeEventStream(frame.subarray(0, frame.length - 1))).toThrow(/Truncated/);
  });
});
