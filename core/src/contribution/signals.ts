/**
 * Cosine of the angle between an update's step (update − previous) and the aggregate's step
 * (aggregate − previous), in Float64 over the weights in order: 1 agrees, −1 opposes, 0 when either
 * step is zero (a free rider's returned global model has no direction).
 */
export function cosineToAggregate(
  update: Float32Array,
  previous: Float32Array,
  aggregate: Float32Array,
): number {
  let dot = 0;
  let uu = 0;
  let aa = 0;
  for (let j = 0; j < previous.length; j++) {
    const u = update[j] - previous[j];
    const a = aggregate[j] - previous[j];
    dot += u * a;
    uu += u * u;
    aa += a * a;
  }
  // Clamped: rounding can put a parallel pair a hair outside [−1, 1].
  return uu === 0 || aa === 0
    ? 0
    : Math.min(1, Math.max(-1, dot / (Math.sqrt(uu) * Math.sqrt(aa))));
}
