import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { describe, expect, it } from 'vitest';
import { EventStreamReader } from './event-stream-reader.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function frame(eventType: string, payload: Uint8Array): Buffer {
  return Buffer.from(
    codec.encode({
      headers: {
        ':event-type': { type: 'string', value: eventType },
        ':message-type': { type: 'string', value: 'event' },
        ':content-type': { type: 'string', value: 'application/octet-stream' },
        'x-int': { type: 'integer', value: 7 },
        'x-flag': { type: 'boolean', value: true },
      },
      body: payload,
    }),
  );
}

describe('EventStreamReader', () => {
  const body = Buffer.concat([
    frame('PayloadChunk', Buffer.from('hello ')),
    frame('PayloadChunk', Buffer.alloc(70_000, 'x')),
    frame('PayloadChunk', Buffer.alloc(0)),
    frame('InvokeComplete', Buffer.from('{"ErrorCode":"Unhandled","LogResult":""}')),
  ]);

  it('hands on every payload byte and parses InvokeComplete, whatever the chunking', () => {
    for (const size of [1, 3, 12, 13, 4096, body.length]) {
      const payloads: Buffer[] = [];
      const reader = new EventStreamReader((payload) => payloads.push(Buffer.from(payload)));
      for (let offset = 0; offset < body.length; offset += size)
        reader.push(body.subarray(offset, offset + size));
      const joined = Buffer.concat(payloads);
      expect(joined.length).toBe(70_006);
      expect(reader.payloadBytes).toBe(70_006);
      expect(joined.subarray(0, 6).toString()).toBe('hello ');
      expect(joined.subarray(6).every((byte) => byte === 0x78)).toBe(true);
      expect(reader.events).toEqual({ PayloadChunk: 3, InvokeComplete: 1 });
      expect(reader.invokeComplete).toEqual({ ErrorCode: 'Unhandled', LogResult: '' });
      expect(reader.atFrameBoundary).toBe(true);
    }
  });

  it('reports a half-read frame', () => {
    const reader = new EventStreamReader();
    reader.push(body.subarray(0, 20));
    expect(reader.atFrameBoundary).toBe(false);
  });
});
