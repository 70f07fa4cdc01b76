import type { MspId } from '../msp-id';

/**
 * One org's summary of its training rows for a schema federation, recorded on the ledger before it
 * accepts. Sums, counts and (for the median) coarse histograms only, never rows: the consortium's
 * imputation values and input scaling are computed from all participants' profiles, and the
 * per-column missing rates explain differences between sites.
 */
export interface NumericColumnProfile {
  name: string;
  type: 'numeric';
  /** Rows where the value is missing (a missing token or one of the column's `missingValues`). */
  missing: number;
  /** Sum and sum of squares of the observed values. */
  sum: number;
  sumSquares: number;
  /** Counts of observed values in {@link MEDIAN_HISTOGRAM_BINS} equal bins over [min, max]; median imputation only. */
  histogram?: number[];
}

export interface CategoricalColumnProfile {
  name: string;
  type: 'categorical';
  missing: number;
  /** Rows per level, in the schema's `levels` order. */
  levelCounts: number[];
}

export type ColumnProfile = NumericColumnProfile | CategoricalColumnProfile;

/** What an org submits: its training-row count, positives, and one profile per input column in schema order. */
export interface DataProfileInput {
  rows: number;
  positives: number;
  columns: ColumnProfile[];
}

/** A recorded profile. */
export interface DataProfile extends DataProfileInput {
  federationId: string;
  mspId: MspId;
  recordedBy: string;
  recordedAt: string;
  txId: string;
}

/**
 * The consortium's preprocessing, fixed when the federation starts: the value each numeric input is
 * filled with when missing, computed from the profiles of `fromOrgs` (`rows` training rows in all).
 * The input scaling computed with it is the federation's `featureScaling`.
 */
export interface Imputation {
  values: Record<string, number>;
  fromOrgs: MspId[];
  rows: number;
}
