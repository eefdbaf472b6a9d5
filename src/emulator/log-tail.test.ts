import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogTail } from './log-tail.js';

describe('LogTail', () => {
  it('keeps everything while under capacity', () => {
    const tail = new LogTail(16);
    tail.append('hello ');
    tail.append(Buffer.from('world'));
    expect(tail.toBuffer().toString()).toBe('hello world');
    expect(tail.toBase64()).toBe(Buffer.from('hello world').toString('base64'));
  });

  it('defaults to the 4 KB Lambda returns', () => {
    const tail = new LogTail();
    tail.append('x'.repeat(10_000));
    expect(tail.length).toBe(4096);
  });

  it('always holds exactly the last `capacity` bytes of everything appended', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 30 }),
        (capacity, pieces) => {
          const tail = new LogTail(capacity);
          for (const piece of pieces) tail.append(piece);
          const all = Buffer.concat(pieces.map((piece) => Buffer.from(piece)));
          expect(tail.toBuffer()).toEqual(all.subarray(Math.max(0, all.length - capacity)));
        },
      ),
    );
  });
});
