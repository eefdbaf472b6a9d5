import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodePrelude,
  type HttpResponseMetadata,
  MAX_PRELUDE_SCAN_BYTES,
  PRELUDE_CONTENT_TYPE,
  PRELUDE_DELIMITER_LENGTH,
  splitPrelude,
} from './prelude.js';

const encoder = new TextEncoder();

function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-f]/gi, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const NULS = new Uint8Array(PRELUDE_DELIMITER_LENGTH);

// runtime-api.md §2.2: the body aws-lambda-ric 3.3.0 and 4.0.2 send for this prelude and 'hello world'.
const GOLDEN_HEX =
  '7b22737461747573436f6465223a3230312c2268656164657273223a7b22436f6e74656e742d54797065223a22746578742f706c61696e222c22582d437573746f6d223a22796573227d2c22636f6f6b696573223a5b22613d31222c22623d32225d7d' +
  '0000000000000000' +
  '68656c6c6f20776f726c64';

describe('constants', () => {
  it('match runtime-api.md §2.2 and the API Gateway 16 KB rule', () => {
    expect(PRELUDE_CONTENT_TYPE).toBe('application/vnd.awslambda.http-integration-response');
    expect(PRELUDE_DELIMITER_LENGTH).toBe(8);
    expect(MAX_PRELUDE_SCAN_BYTES).toBe(16384);
  });
});

describe('encodePrelude', () => {
  it('produces the exact bytes of the Node runtime (golden, 118 bytes with the body)', () => {
    const expected = fromHex(GOLDEN_HEX);
    expect(expected.length).toBe(118);
    const actual = concat(
      encodePrelude({
        statusCode: 201,
        headers: { 'Content-Type': 'text/plain', 'X-Custom': 'yes' },
        cookies: ['a=1', 'b=2'],
      }),
      bytes('hello world'),
    );
    expect(Buffer.from(actual).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
  });

  it('ends with exactly 8 NUL bytes and keeps key order', () => {
    const encoded = encodePrelude({ headers: { b: '2', a: '1' }, statusCode: 404 });
    const json = '{"headers":{"b":"2","a":"1"},"statusCode":404}';
    expect(encoded.length).toBe(json.length + 8);
    expect(new TextDecoder().decode(encoded.subarray(0, json.length))).toBe(json);
    expect([...encoded.subarray(json.length)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('escapes a NUL inside a header value, so the first NUL is always the delimiter', () => {
    const encoded = encodePrelude({ headers: { x: 'a\u0000b' } });
    expect(encoded.indexOf(0)).toBe(encoded.length - 8);
  });

  it('encodes non-ASCII as UTF-8', () => {
    const encoded = encodePrelude({ headers: { x: 'é€😀' } });
    expect(Buffer.from(encoded.subarray(0, encoded.length - 8)).toString('utf8')).toBe(
      '{"headers":{"x":"é€😀"}}',
    );
  });
});

describe('splitPrelude', () => {
  it('finds a complete prelude with an empty body', () => {
    const data = concat(bytes('{"statusCode":200}'), NULS);
    expect(splitPrelude(data)).toEqual({ kind: 'complete', metadata: { statusCode: 200 }, bodyOffset: 26 });
  });

  it('leaves body bytes, including NUL bytes, untouched after bodyOffset', () => {
    const body = Uint8Array.from([0, 0, 0x61, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x62]);
    const prelude = bytes('{"statusCode":500,"headers":{"a":"b"}}');
    const data = concat(prelude, NULS, body);
    const split = splitPrelude(data);
    expect(split).toEqual({
      kind: 'complete',
      metadata: { statusCode: 500, headers: { a: 'b' } },
      bodyOffset: prelude.length + 8,
    });
    if (split.kind !== 'complete') throw new Error('unreachable');
    expect([...data.subarray(split.bodyOffset)]).toEqual([...body]);
  });

  it('decodes the golden bytes', () => {
    const data = fromHex(GOLDEN_HEX);
    const split = splitPrelude(data);
    expect(split).toEqual({
      kind: 'complete',
      metadata: {
        statusCode: 201,
        headers: { 'Content-Type': 'text/plain', 'X-Custom': 'yes' },
        cookies: ['a=1', 'b=2'],
      },
      bodyOffset: 107,
    });
    expect(Buffer.from(data.subarray(107)).toString('utf8')).toBe('hello world');
  });

  it.each([
    ['empty input', ''],
    ['JSON without a NUL yet', '{"statusCode":200}'],
    ['a partial JSON object', '{"statusCo'],
  ])('is incomplete for %s', (_name, text) => {
    expect(splitPrelude(bytes(text))).toEqual({ kind: 'incomplete' });
  });

  it.each([1, 2, 7])('is incomplete when only %i of the 8 NUL bytes arrived', (count) => {
    expect(splitPrelude(concat(bytes('{}'), new Uint8Array(count)))).toEqual({ kind: 'incomplete' });
  });

  it.each([1, 4, 7])('is invalid when delimiter byte %i is not NUL', (position) => {
    const delimiter = new Uint8Array(8);
    delimiter[position] = 0x78;
    const split = splitPrelude(concat(bytes('{"statusCode":200}'), delimiter, bytes('body')));
    expect(split.kind).toBe('invalid');
    if (split.kind === 'invalid') expect(split.reason).toMatch(/delimiter/);
  });

  it('is invalid as soon as a non-NUL byte breaks a delimiter that has not fully arrived', () => {
    const split = splitPrelude(concat(bytes('{}'), Uint8Array.from([0, 0, 0x41])));
    expect(split.kind).toBe('invalid');
  });

  it.each([
    ['bad JSON', '{bad json}'],
    ['an empty prelude', ''],
    ['trailing garbage', '{"a":1} x'],
  ])('is invalid for %s', (_name, text) => {
    const split = splitPrelude(concat(bytes(text), NULS));
    expect(split.kind).toBe('invalid');
    if (split.kind === 'invalid') expect(split.reason).toMatch(/not valid JSON/);
  });

  it('is invalid for a prelude that is not UTF-8', () => {
    const split = splitPrelude(concat(Uint8Array.from([0x7b, 0xff, 0x7d]), NULS));
    expect(split.kind).toBe('invalid');
  });

  it.each([
    ['array', '[{"statusCode":200}]'],
    ['number', '42'],
    ['string', '"x"'],
    ['null', 'null'],
    ['boolean', 'true'],
  ])('is invalid for a JSON %s', (_name, text) => {
    const split = splitPrelude(concat(bytes(text), NULS, bytes('body')));
    expect(split).toEqual({ kind: 'invalid', reason: 'prelude is not a JSON object' });
  });
});

const text = fc.string({ unit: 'binary', maxLength: 20 });
const metadataArbitrary: fc.Arbitrary<HttpResponseMetadata> = fc.record(
  {
    statusCode: fc.integer(),
    headers: fc.dictionary(text, text, { maxKeys: 5 }),
    multiValueHeaders: fc.dictionary(text, fc.array(text, { maxLength: 3 }), { maxKeys: 3 }),
    cookies: fc.array(text, { maxLength: 4 }),
  },
  { requiredKeys: [] },
);

describe('prelude properties', () => {
  it('split(encode(m) ++ body) gives back m (as JSON sees it) and body', () => {
    fc.assert(
      fc.property(metadataArbitrary, fc.uint8Array({ maxLength: 64 }), (metadata, body) => {
        const prelude = encodePrelude(metadata);
        const data = concat(prelude, body);
        const split = splitPrelude(data);
        expect(split.kind).toBe('complete');
        if (split.kind !== 'complete') return;
        expect(split.metadata).toEqual(JSON.parse(JSON.stringify(metadata)));
        expect(split.bodyOffset).toBe(prelude.length);
        expect([...data.subarray(split.bodyOffset)]).toEqual([...body]);
      }),
    );
  });

  it('every strict prefix of prelude + delimiter is incomplete', () => {
    fc.assert(
      fc.property(metadataArbitrary, fc.uint8Array({ maxLength: 16 }), (metadata, body) => {
        const prelude = encodePrelude(metadata);
        const data = concat(prelude, body);
        for (let length = 0; length < prelude.length; length++) {
          expect(splitPrelude(data.subarray(0, length))).toEqual({ kind: 'incomplete' });
        }
      }),
      { numRuns: 50 },
    );
  });
});
