/** Binary-classification metrics in plain JS, so they are identical on every tfjs backend. */

/** Probabilities are clipped to [ε, 1-ε] before the logarithm, as Keras does. */
const EPSILON = 1e-7;

/** The largest mean cross-entropy {@link binaryMetrics} can return: every row predicted wrong with probability 1 − ε. */
export const MAX_BINARY_LOSS = -Math.log(EPSILON);

/**
 * A mean binary cross-entropy as a score in [0, 1]: 1 − loss / {@link MAX_BINARY_LOSS} (1 = every
 * row predicted right with certainty, 0 = every row wrong with certainty). Coalition utilities for
 * contribution scores use it instead of accuracy (ADR 0029): accuracy stops changing once a model
 * predicts one class for every row, so it cannot tell a coalition that an amplified, reversed
 * update drove to extreme outputs from one that is only undecided, and it rewards an update that
 * happens to undo another's damage as much as an honest one. An affine map of the loss, so Shapley
 * values keep the loss's order and only change scale.
 */
export function logLossScore(loss: number): number {
  if (!Number.isFinite(loss) || loss < 0) {
    throw new RangeError(`a mean cross-entropy is a finite number ≥ 0, got ${loss}`);
  }
  return Math.max(0, 1 - loss / MAX_BINARY_LOSS);
}

export interface BinaryMetrics {
  loss: number;
  accuracy: number;
  auc: number;
}

/**
 * Mean binary cross-entropy, accuracy at threshold 0.5 and ROC AUC of `probabilities` against 0/1
 * `labels`. AUC is the Mann–Whitney statistic with ties counted half; it is NaN when only one class
 * is present (undefined there).
 */
export function binaryMetrics(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
): BinaryMetrics {
  const n = labels.length;
  if (probabilities.length !== n) {
    throw new RangeError(`${probabilities.length} probabilities for ${n} labels`);
  }
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1 - EPSILON, Math.max(EPSILON, probabilities[i]));
    const y = labels[i];
    lossSum -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
    if ((p >= 0.5 ? 1 : 0) === y) {
      correct++;
    }
  }
  return {
    loss: n === 0 ? NaN : lossSum / n,
    accuracy: n === 0 ? NaN : correct / n,
    auc: rocAuc(probabilities, labels),
  };
}

/** ROC AUC via average ranks (O(n log n)); NaN without both classes. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  let start = 0;
  while (start < n) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]] === scores[order[start]]) {
      end++;
    }
    // Ranks are 1-based; every member of a tie group gets the group's average rank.
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k]] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    return NaN;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
