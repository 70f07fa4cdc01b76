/** Injection token for {@link DatasetsOptions}. */
export const DATASETS_OPTIONS = Symbol('DATASETS_OPTIONS');

export interface DatasetsOptions {
  /** Directory that holds the org's data files; no dataset may point outside it. */
  dataDir: string;
  /** Directory for the gateway's own state; the dataset registry lives in `datasets.json` there. */
  stateDir: string;
}
