import { createHash } from 'node:crypto';
import {
  createSeededRandom,
  DIGIT_PIXELS,
  fitStandardizer,
  formatCsv,
  type LabeledRow,
  loadDigitImages,
  parseCsvDataset,
  pixelColumns,
  prepareDataset,
  seededPermutation,
} from '@fedledger/gateway/datasets';
import { VALIDATION_FRACTION, type DemoData, type HospitalData } from './demo-data';

/**
 * The image task: is a handwritten digit 5–9 (label 1) or 0–4 (label 0)? Each hospital holds only
 * some digits, each with both labels — a feature-skewed (non-IID) split: alone, a hospital never
 * sees most digit shapes and its model generalises poorly to the pooled held-out images.
 */
export const IMAGE_LABEL_COLUMN = 'high_digit';
export const IMAGE_HOSPITAL_DIGITS: readonly (readonly number[])[] = [
  [0, 1, 5, 6],
  [2, 3, 7, 8],
  [4, 9],
];

export interface ImageDataSettings {
  /** Images of each digit at the hospital that holds it (train + validation). */
  perDigit: number;
  /** Held-out images of every digit, disjoint from the hospitals' images. */
  testPerDigit: number;
  seed: number;
}

export const DEFAULT_IMAGE_DATA: ImageDataSettings = { perDigit: 250, testPerDigit: 100, seed: 2 };

/** One hospital's CSV, exactly the file its gateway registers, and the data built like the gateway builds it. */
export interface ImageDemoData extends DemoData {
  csvByHospital: string[];
}

/**
 * Splits the digit images: per digit a seeded shuffle, the first `testPerDigit` held out, the next
 * `perDigit` to the hospital holding that digit. Each share is written as CSV (196 pixel columns and
 * the label) and prepared with the gateway's own CSV parser and train/validation split (seed 0, the
 * gateway's default for registered CSV files), so the baselines see what the gateways see.
 */
export function buildImageDemoData(
  settings: ImageDataSettings = DEFAULT_IMAGE_DATA,
): ImageDemoData {
  const random = createSeededRandom(settings.seed);
  const featureColumns = pixelColumns();
  const shares: LabeledRow[][] = IMAGE_HOSPITAL_DIGITS.map(() => []);
  const heldOutRows: LabeledRow[] = [];
  for (let digit = 0; digit <= 9; digit++) {
    const images = loadDigitImages(digit);
    const needed = settings.perDigit + settings.testPerDigit;
    if (images.length < needed)
      throw new Error(
        `the mnist package has ${images.length} images of ${digit}; ${needed} needed`,
      );
    const order = seededPermutation(images.length, random);
    const row = (index: number): LabeledRow => ({
      features: Array.from(images[order[index]], round4),
      label: digit >= 5 ? 1 : 0,
    });
    for (let i = 0; i < settings.testPerDigit; i++) heldOutRows.push(row(i));
    const hospital = IMAGE_HOSPITAL_DIGITS.findIndex((digits) => digits.includes(digit));
    for (let i = settings.testPerDigit; i < needed; i++) shares[hospital].push(row(i));
  }
  const csvByHospital: string[] = [];
  const hospitals = shares.map((rows, index): HospitalData => {
    const csv = formatCsv({ featureColumns, labelColumn: IMAGE_LABEL_COLUMN, rows });
    csvByHospital.push(csv);
    const table = parseCsvDataset(csv, `digits-${index + 1}.csv`, {
      labelColumn: IMAGE_LABEL_COLUMN,
      featureColumns,
    });
    return {
      numRows: rows.length,
      positiveRate: rows.reduce((sum, r) => sum + r.label, 0) / rows.length,
      fileSha256: createHash('sha256').update(csv, 'utf8').digest('hex'),
      prepared: prepareDataset(table, { validationFraction: VALIDATION_FRACTION, seed: 0 }),
    };
  });
  const heldOut = matrix(heldOutRows);
  const pooled = matrix(shares.flat());
  return {
    featureColumns,
    labelColumn: IMAGE_LABEL_COLUMN,
    hospitals,
    csvByHospital,
    pooledTrain: { ...pooled, standardizer: fitStandardizer(pooled.features, DIGIT_PIXELS) },
    heldOut,
  };
}

/** Four decimals keep the CSV small (the source values have three). */
function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function matrix(rows: readonly LabeledRow[]): {
  features: Float32Array;
  labels: Float32Array;
  numFeatures: number;
} {
  const features = new Float32Array(rows.length * DIGIT_PIXELS);
  const labels = new Float32Array(rows.length);
  rows.forEach((row, r) => {
    features.set(row.features, r * DIGIT_PIXELS);
    labels[r] = row.label;
  });
  return { features, labels, numFeatures: DIGIT_PIXELS };
}
