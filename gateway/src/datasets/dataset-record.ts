import type { SplitMode } from './org-split';

/** What the registry keeps about one dataset (never the data itself). */
export interface DatasetRecord {
  id: string;
  source: 'csv' | 'synthetic';
  /** Path of the CSV file relative to the data directory, with `/` separators. */
  path: string;
  labelColumn: string;
  featureColumns: string[];
  validationFraction: number;
  /** Seed of the train/validation split. */
  seed: number;
  numRows: number;
  numTrain: number;
  numValidation: number;
  /** Share of rows labelled 1. */
  positiveRate: number;
  /** SHA-256 hex of the file at registration; `load` refuses a file that changed since. */
  fileSha256: string;
  registeredAt: string;
  /** How a synthetic dataset was generated (absent for CSV files). */
  synthetic?: { orgIndex: number; orgCount: number; rows: number; mode: SplitMode; alpha?: number; seed: number };
}
