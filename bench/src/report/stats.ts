/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) {
    throw new RangeError('median of an empty list');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Seconds since `start` (a `performance.now()` value). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

/** Runs `fn` `repeats` times and returns every duration in seconds (no warm-up: callers add one when they want it). */
export async function timeRepeats(repeats: number, fn: (repeat: number) => Promise<void> | void): Promise<number[]> {
  const seconds: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const start = performance.now();
    await fn(repeat);
    seconds.push(secondsSince(start));
  }
  return seconds;
}

/** `a / b` rounded for tables, or `n/a` when undefined. */
export function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}
