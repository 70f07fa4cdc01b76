/**
 * The `p`-th percentile (0–100) of a non-empty list by linear interpolation between the closest ranks
 * (numpy's default, "type 7"): p50 equals {@link import('./stats').median}, p0 the minimum, p100 the
 * maximum. With 50 samples p95 lies between the 47th and 48th smallest values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    throw new RangeError('percentile of an empty list');
  }
  if (!(p >= 0 && p <= 100)) {
    throw new RangeError(`percentile must be within 0..100, got ${p}`);
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(below + 1, sorted.length - 1);
  const lower = sorted[below];
  return lower + (rank - below) * (sorted[above] - lower);
}
