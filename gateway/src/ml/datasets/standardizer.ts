/**
 * Per-column standardisation (z-scores). Statistics are fitted on the training split only and then
 * applied to both splits, so validation data never leaks into training.
 */
export interface Standardizer {
  means: Float64Array;
  /** Population standard deviations; a constant column gets 1 so it maps to 0 instead of NaN. */
  stds: Float64Array;
}

/** Fits means and standard deviations of each of `numFeatures` columns of a row-major matrix. */
export function fitStandardizer(features: Float32Array, numFeatures: number): Standardizer {
  const rows = numFeatures === 0 ? 0 : features.length / numFeatures;
  const means = new Float64Array(numFeatures);
  const stds = new Float64Array(numFeatures);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < numFeatures; c++) {
      means[c] = means[c] + features[r * numFeatures + c];
    }
  }
  for (let c = 0; c < numFeatures; c++) {
    means[c] = rows === 0 ? 0 : means[c] / rows;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < numFeatures; c++) {
      const delta = features[r * numFeatures + c] - means[c];
      stds[c] = stds[c] + delta * delta;
    }
  }
  for (let c = 0; c < numFeatures; c++) {
    const std = rows === 0 ? 0 : Math.sqrt(stds[c] / rows);
    stds[c] = std > 1e-12 ? std : 1;
  }
  return { means, stds };
}

/** Returns a standardised copy of a row-major matrix. */
export function applyStandardizer(
  features: Float32Array,
  standardizer: Standardizer,
): Float32Array {
  const numFeatures = standardizer.means.length;
  const out = new Float32Array(features.length);
  for (let i = 0; i < features.length; i++) {
    const c = i % numFeatures;
    out[i] = (features[i] - standardizer.means[c]) / standardizer.stds[c];
  }
  return out;
}
