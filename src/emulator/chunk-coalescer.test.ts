import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ChunkCoalescer } from './chunk-coalescer.js';

describe('ChunkCoalescer', () => {
  it('passes chunks that arrive in one turn of the event loop on as one piece, in order', async () => {
    const pieces: string[] = [];
    const coalescer = new ChunkCoalescer((piece) => pieces.push(piece.toString()));
    for (const word of ['a', 'b', 'c']) coalescer.push(Buffer.from(word));
    await Promise.resolve(); // microtasks and ticks between the parser's callbacks do not flush
    coalescer.push(Buffer.from('d'));
    expect(pieces).toEqual([]);
    await nextTurn();
    expect(pieces).toEqual(['abcd']);
    coalescer.push(Buffer.from('e'));
    await nextTurn();
    expect(pieces).toEqual(['abcd', 'e']);
  });

  it('flush passes on what waits at once, and nothing when nothing waits', async () => {
    const pieces: string[] = [];
    const coalescer = new ChunkCoalescer((piece) => pieces.push(piece.toString()));
    coalescer.flush();
    coalescer.push(Buffer.from('x'));
    coalescer.push(Buffer.alloc(0));
    coalescer.flush();
    expect(pieces).toEqual(['x']);
    await nextTurn();
    expect(pieces).toEqual(['x']);
  });

  it('does not hold more than MAX_PENDING_BYTES', () => {
    const sizes: number[] = [];
    const coalescer = new ChunkCoalescer((piece) => sizes.push(piece.byteLength));
    const chunk = Buffer.alloc(64 * 1024);
    for (let i = 0; i < 5; i++) coalescer.push(chunk);
    expect(sizes).toEqual([ChunkCoalescer.MAX_PENDING_BYTES]);
    coalescer.flush();
    expect(sizes).toEqual([ChunkCoalescer.MAX_PENDING_BYTES, 64 * 1024]);
  });
});
