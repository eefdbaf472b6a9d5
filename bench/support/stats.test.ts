import { describe, expect, it } from 'vitest';
import { median, quantile, round } from './stats.js';

describe('quantile', () => {
  it('picks the nearest-rank sample', () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i); // 200..1, unsorted order
    expect(quantile(samples, 0.5)).toBe(100);
    expect(quantile(samples, 0.99)).toBe(198);
    expect(quantile(samples, 1)).toBe(200);
    expect(quantile([7], 0.01)).toBe(7);
  });

  it('does not reorder the caller’s array', () => {
    const samples = [3, 1, 2];
    quantile(samples, 0.5);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('rejects empty samples and q outside (0, 1]', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1], 0)).toThrow(RangeError);
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
  });

  it('median of an even count is the lower middle sample', () => {
    expect(median([4, 1, 3, 2])).toBe(2);
  });

  it('round keeps the given decimals', () => {
    expect(round(1.23456, 2)).toBe(1.23);
    expect(round(1824.6, 0)).toBe(1825);
  });
});
