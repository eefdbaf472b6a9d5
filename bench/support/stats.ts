/**
 * Order statistics for benchmark samples. Quantiles use the nearest-rank method (the smallest sample with at
 * least q of the samples at or below it), so every reported figure is a value that was actually measured.
 */

/**
 * The q-quantile (0 < q ≤ 1) of `samples` by nearest rank.
 *
 * @example
 * quantile([5, 1, 3, 2, 4], 0.5); // 3
 * quantile([5, 1, 3, 2, 4], 0.99); // 5
 */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new RangeError('quantile of no samples');
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile q must be in (0, 1]; got ${q}`);
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1]!;
}

/**
 * The median (nearest-rank 0.5-quantile).
 *
 * @example
 * median([4, 1, 3, 2]); // 2
 */
export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

/**
 * Rounds to `digits` significant decimal places for reports (`0.0123` → `0.012` with 2).
 *
 * @example
 * round(1.23456, 2); // 1.23
 */
export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
