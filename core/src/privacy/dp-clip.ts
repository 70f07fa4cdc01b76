/**
 * Scales `delta` down (in place) so that its L2 norm is at most `clipNorm`; returns the norm before
 * clipping. This bound is the sensitivity of the federation's sum to one org's update, which the
 * Gaussian noise and the accountant are calibrated to.
 */
export function clipToNorm(delta: Float64Array, clipNorm: number): number {
  let squared = 0;
  for (let j = 0; j < delta.length; j++) squared += delta[j] * delta[j];
  const norm = Math.sqrt(squared);
  if (norm > clipNorm) {
    const factor = clipNorm / norm;
    for (let j = 0; j < delta.length; j++) delta[j] = delta[j] * factor;
  }
  return norm;
}

/**
 * Standard deviation of the Gaussian noise ONE org adds to its clipped delta so that the sum over
 * any `minSubmitters` or more orgs carries at least the federation's noise z·C: independent shares
 * add their variances, so minSubmitters shares of variance (zC)²/minSubmitters give (zC)².
 */
export function noiseShareStd(
  noiseMultiplier: number,
  clipNorm: number,
  minSubmitters: number,
): number {
  return (noiseMultiplier * clipNorm) / Math.sqrt(minSubmitters);
}
