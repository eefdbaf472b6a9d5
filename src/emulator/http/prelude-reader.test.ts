import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePrelude } from '../../protocol/index.js';
import { PreludeReader, type PreludeStep } from './prelude-reader.js';

/** Cuts `bytes` at the given offsets. */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(bytes.subarray(start, point));
    start = point;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

function feed(reader: PreludeReader, pieces: Buffer[]): { step: PreludeStep; rest: Buffer[] } {
  for (let i = 0; i < pieces.length; i++) {
    const step = reader.push(pieces[i]!);
    if (step.kind !== 'incomplete') return { step, rest: pieces.slice(i + 1) };
  }
  return { step: { kind: 'incomplete' }, rest: [] };
}

describe('PreludeReader', () => {
  it('reads the prelude and the body whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(
        fc.record({
          statusCode: fc.integer({ min: 100, max: 599 }),
          headers: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 16 })),
          cookies: fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }),
        }),
        fc.uint8Array({ maxLength: 64 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (metadata, body, offsets) => {
          const stream = Buffer.concat([Buffer.from(encodePrelude(metadata)), Buffer.from(body)]);
          const { step, rest } = feed(new PreludeReader(), cut(stream, offsets));
          expect(step.kind).toBe('complete');
          if (step.kind !== 'complete') return;
          expect(step.metadata).toEqual(metadata);
          expect(Buffer.concat([step.body, ...rest]).equals(Buffer.from(body))).toBe(true);
        },
      ),
    );
  });

  it('refuses invalid JSON and a broken delimiter at once', () => {
    expect(new PreludeReader().push(Buffer.concat([Buffer.from('{"a":'), Buffer.alloc(8)]))).toMatchObject({
      kind: 'invalid',
      reason: expect.stringMatching(/not valid JSON/),
    });
    expect(new PreludeReader().push(Buffer.from('{}\0\0\0x'))).toMatchObject({ kind: 'invalid' });
    expect(new PreludeReader().push(Buffer.concat([Buffer.from('[1]'), Buffer.alloc(8)]))).toMatchObject({
      kind: 'invalid',
    });
  });

  it('refuses a prelude whose delimiter is not within the first 16 KB, without holding more', () => {
    const reader = new PreludeReader();
    let step: PreludeStep = { kind: 'incomplete' };
    let pushed = 0;
    while (step.kind === 'incomplete') {
      step = reader.push(Buffer.from('x'.repeat(1000)));
      pushed += 1000;
    }
    expect(step).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/16384 bytes/) });
    expect(pushed).toBeLessThanOrEqual(17_000);
    const huge = Buffer.concat([
      Buffer.from(JSON.stringify({ headers: { x: 'y'.repeat(20_000) } })),
      Buffer.alloc(8),
    ]);
    expect(new PreludeReader().push(huge)).toMatchObject({ kind: 'invalid' });
  });

  it('waits while the delimiter is incomplete', () => {
    const reader = new PreludeReader();
    expect(reader.push(Buffer.from('{"statusCode":201}\0\0\0'))).toEqual({ kind: 'incomplete' });
    expect(reader.push(Buffer.from('\0\0\0\0\0body'))).toMatchObject({
      kind: 'complete',
      metadata: { statusCode: 201 },
      body: Buffer.from('body'),
    });
  });
});
