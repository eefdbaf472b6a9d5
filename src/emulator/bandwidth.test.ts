import { describe, expect, it } from 'vitest';
import { AWS_STREAM_BANDWIDTH, TokenBucket } from './bandwidth.js';

const MiB = 1024 * 1024;

describe('TokenBucket', () => {
  it('lets the 6 MiB burst through at once, then charges 2 MiB/s', () => {
    let now = 0;
    const bucket = new TokenBucket(AWS_STREAM_BANDWIDTH, () => now);
    expect(bucket.reserve(6 * MiB)).toBe(0);
    expect(bucket.reserve(2 * MiB)).toBeCloseTo(1000);
    now = 1000;
    // The debt is paid by now; the next 1 MiB costs half a second.
    expect(bucket.reserve(1 * MiB)).toBeCloseTo(500);
  });

  it('refills up to the burst size while idle, never beyond', () => {
    let now = 0;
    const bucket = new TokenBucket({ burstBytes: 100, bytesPerSecond: 100 }, () => now);
    expect(bucket.reserve(100)).toBe(0);
    now = 60_000;
    expect(bucket.reserve(100)).toBe(0);
    expect(bucket.reserve(50)).toBeCloseTo(500);
  });

  it('rejects non-positive settings', () => {
    expect(() => new TokenBucket({ burstBytes: 0, bytesPerSecond: 1 })).toThrow(RangeError);
  });
});
