/** Default of {@link DatasetsOptions.maxCsvBytes} (the gateway's FEDLEDGER_MAX_CSV_SIZE default). */
export const DEFAULT_DATASET_CSV_BYTES = 256 * 1024 * 1024;

/** Injection token for {@link DatasetsOptions}. */
export const DATASETS_OPTIONS = Symbol('DATASETS_OPTIONS');

export interface DatasetsOptions {
  /** Directory that holds the org's data files; no dataset may point outside it. */
  dataDir: string;
  /** Directory for the gateway's own state; the dataset registry lives in `datasets.json` there. */
  stateDir: string;
  /** Largest CSV accepted (PAYLOAD_TOO_LARGE before reading); defaults to {@link DEFAULT_DATASET_CSV_BYTES}. */
  maxCsvBytes?: number;
}
