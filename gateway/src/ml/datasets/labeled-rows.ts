/** One example: numeric features in column order and a 0/1 label. */
export interface LabeledRow {
  features: number[];
  label: number;
}

/** A table of labelled rows with its column names. */
export interface LabeledTable {
  featureColumns: string[];
  labelColumn: string;
  rows: LabeledRow[];
}

/** Row-major Float32 features and labels, the form the trainer consumes. */
export interface FeatureMatrix {
  features: Float32Array;
  labels: Float32Array;
  numFeatures: number;
}

/** Packs rows into a {@link FeatureMatrix}. */
export function toFeatureMatrix(rows: readonly LabeledRow[], numFeatures: number): FeatureMatrix {
  const features = new Float32Array(rows.length * numFeatures);
  const labels = new Float32Array(rows.length);
  rows.forEach((row, r) => {
    features.set(row.features, r * numFeatures);
    labels[r] = row.label;
  });
  return { features, labels, numFeatures };
}
