import { FedLedgerError } from '../errors';
import type { StrategyConfig } from '../types';
import { configFor } from './diagnostics';
import { mean, pairwiseSquaredDistances, toFloat32 } from './math';
import type {
  AggregationInput,
  AggregationResult,
  AggregationStrategy,
  UpdateDiagnostic,
} from './strategy';
import { paramOrDefault } from './strategy-params';
import { validateAggregationInput } from './validate-input';

/**
 * Krum scores: for each update, the sum of squared distances to its n − f − 2 nearest other
 * updates (neighbour distances summed in ascending order). Requires n ≥ 2f + 3.
 */
export function krumScores(vectors: readonly Float32Array[], f: number): number[] {
  const neighbours = vectors.length - f - 2;
  const distances = pairwiseSquaredDistances(vectors);
  return distances.map((row, i) => {
    const others = Float64Array.from(row.filter((_, j) => j !== i)).sort();
    let score = 0;
    for (let k = 0; k < neighbours; k++) {
      score += others[k];
    }
    return score;
  });
}

/**
 * Krum and Multi-Krum: score every update by its distance to its closest peers, select the `m`
 * lowest scores (ties broken by id) and average them unweighted (so inflated sample counts buy
 * nothing). Krum is m = 1: the selected update itself. Tolerates `f` Byzantine updates out of
 * n ≥ 2f + 3 (else QUORUM_NOT_MET). Multi-Krum's `m` defaults to n − f.
 * Blanchard, El Mhamdi, Guerraoui, Stainer, "Machine Learning with Adversaries: Byzantine Tolerant
 * Gradient Descent", NeurIPS 2017.
 */
export class KrumStrategy implements AggregationStrategy {
  readonly config: StrategyConfig;
  readonly #f: number;
  readonly #m: number | undefined;

  constructor(variant: 'krum' | 'multi-krum', params: Record<string, number> = {}) {
    const resolved = configFor(variant, params);
    this.config = resolved.config;
    this.#f = paramOrDefault(variant, resolved.params, 'f');
    this.#m = variant === 'krum' ? 1 : resolved.params['m'];
  }

  aggregate(input: AggregationInput): AggregationResult {
    const f = this.#f;
    const sorted = validateAggregationInput(input, 2 * f + 3);
    const n = sorted.length;
    const m = this.#m ?? n - f;
    if (m > n) {
      throw new FedLedgerError(
        'QUORUM_NOT_MET',
        `${this.config.name} selects m = ${m} updates but only ${n} were given`,
        {
          required: m,
          received: n,
        },
      );
    }
    const vectors = sorted.map((update) => update.weights);
    const scores = krumScores(vectors, f);
    // Sorted ids make index order the id order, so equal scores fall back to the smaller id.
    const ranking = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b] || a - b);
    const selected = new Set(ranking.slice(0, m));
    const cutoff = scores[ranking[m - 1]];
    const weights = toFloat32(mean(vectors.filter((_, i) => selected.has(i))));
    const diagnostics: UpdateDiagnostic[] = sorted.map((update, i) => {
      const score = scores[i];
      if (selected.has(i)) {
        return { id: update.id, accepted: true, weight: 1 / m, score };
      }
      return {
        id: update.id,
        accepted: false,
        weight: 0,
        score,
        reason: `Krum score ${score} is not among the ${m} lowest (cut-off ${cutoff}, f = ${f})`,
      };
    });
    return { weights, diagnostics };
  }
}
