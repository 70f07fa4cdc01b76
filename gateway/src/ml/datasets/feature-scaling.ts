import { FedLedgerError, type FeatureScaling } from '@fedledger/core';
import { applyStandardizer, type Standardizer } from './standardizer';

/** A federation's recorded scaling as a standardizer: `center` as means, `scale` as standard deviations. */
export function standardizerFromScaling(scaling: FeatureScaling): Standardizer {
  return { means: Float64Array.from(scaling.center), stds: Float64Array.from(scaling.scale) };
}

/** A standardizer as the plain arrays a federation records on the ledger. */
export function scalingFromStandardizer(standardizer: Standardizer): FeatureScaling {
  return { center: Array.from(standardizer.means), scale: Array.from(standardizer.stds) };
}

/**
 * Raw rows (one array of feature values each) standardised into model inputs. Rows go through
 * Float32 first, as dataset rows do, so a row gives the same input here as in training.
 * INVALID_ARGUMENT for a row of the wrong width.
 */
export function scaleRows(rows: readonly number[][], standardizer: Standardizer): number[][] {
  const width = standardizer.means.length;
  return rows.map((row, r) => {
    if (!Array.isArray(row) || row.length !== width) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `row ${r} has ${Array.isArray(row) ? row.length : 'no'} values; expected ${width}`,
      );
    }
    return Array.from(applyStandardizer(Float32Array.from(row), standardizer));
  });
}
