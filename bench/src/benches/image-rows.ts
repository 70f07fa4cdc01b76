import { buildImageDemoData } from '@fedledger/demo';

/** The image demo's training rows of all three hospitals pooled (each standardised as its gateway does): the CNN bench's data. */
export function pooledImageRows(): { features: Float32Array; labels: Float32Array } {
  const data = buildImageDemoData();
  const parts = data.hospitals.map((hospital) => hospital.prepared.train);
  const rows = parts.reduce((sum, part) => sum + part.labels.length, 0);
  const features = new Float32Array(rows * data.featureColumns.length);
  const labels = new Float32Array(rows);
  let offset = 0;
  for (const part of parts) {
    features.set(part.features, offset * data.featureColumns.length);
    labels.set(part.labels, offset);
    offset += part.labels.length;
  }
  return { features, labels };
}
