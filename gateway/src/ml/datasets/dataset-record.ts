import type { SplitMode } from './org-split';

export const DATASET_FORMATS = ['numeric', 'raw'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** What the registry keeps about one dataset (never the data itself). */
export interface DatasetRecord {
  id: string;
  source: 'csv' | 'synthetic';
  /**
   * `numeric` (absent in older registries): every feature a number and the label 0/1, checked at
   * registration. `raw`: cells stay text (missing tokens, categories) until a federation's data
   * schema reads them; registration checks the file's structure only.
   */
  format?: DatasetFormat;
  /** Header of a raw dataset, in file order. */
  columns?: string[];
  /** Raw datasets: the column marking validation/test rows (`test`, `validation`, `1`, `true`), excluded from the features. */
  splitColumn?: string;
  /** Raw datasets: a separate file of validation/test rows (same columns, any order) and its SHA-256. */
  testPath?: string;
  testSha256?: string;
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
  /** Share of rows labelled 1 (numeric datasets; a raw label means something only under a schema). */
  positiveRate?: number;
  /** SHA-256 hex of the file at registration; `load` refuses a file that changed since. */
  fileSha256: string;
  registeredAt: string;
  /** How a synthetic dataset was generated (absent for CSV files). */
  synthetic?: {
    variant?: 'clinical' | 'multisite';
    orgIndex: number;
    orgCount: number;
    rows: number;
    mode?: SplitMode;
    alpha?: number;
    seed: number;
  };
}
