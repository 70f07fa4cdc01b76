import { FedLedgerError } from '@fedledger/core';
import type { LabeledRow, LabeledTable } from './labeled-rows';
import { createSeededRandom, type SeededRandom } from './seeded-random';

/**
 * A synthetic 30-day hospital readmission task: 12 numeric patient features with realistic ranges and
 * correlations, and a label drawn from a nonlinear risk model (age, prior admissions, poorly controlled
 * diabetes, kidney function, a smoking × age interaction, a U-shaped BMI effect, …) plus noise. It is
 * invented, not fitted to any real cohort. It exists so demos and tests have a learnable task (Bayes
 * AUC ≈ 0.9) whose thresholds, U-shape and interaction a linear model can only approximate.
 */
export const CLINICAL_FEATURE_COLUMNS = [
  'age',
  'sex_male',
  'bmi',
  'systolic_bp',
  'heart_rate',
  'hba1c',
  'ldl_cholesterol',
  'egfr',
  'prior_admissions',
  'length_of_stay',
  'num_medications',
  'smoker',
] as const;

export const CLINICAL_LABEL_COLUMN = 'readmitted_30d';

/**
 * Largest population a gateway generates. Generation runs on the event loop and every org generates
 * the whole population to take its share: 1,000,000 rows blocked a gateway 8–9 s and kept 75–470 MB;
 * 100,000 rows took 0.25 s and 37 MB of heap (generate + prepare, one measurement here), and are far more than a demo or a test needs.
 * Larger local data belongs in a CSV file (`POST /datasets`).
 */
export const MAX_SYNTHETIC_ROWS = 100_000;

export interface SyntheticClinicalOptions {
  rows: number;
  seed: number;
}

/** Generates `rows` patients deterministically from `seed`; INVALID_ARGUMENT on a bad row count. */
export function generateSyntheticClinical(options: SyntheticClinicalOptions): LabeledTable {
  if (!Number.isInteger(options.rows) || options.rows < 1 || options.rows > MAX_SYNTHETIC_ROWS) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `rows must be an integer in [1, ${MAX_SYNTHETIC_ROWS}], got ${options.rows}`,
    );
  }
  if (!Number.isInteger(options.seed)) {
    throw new FedLedgerError('INVALID_ARGUMENT', `seed must be an integer, got ${options.seed}`);
  }
  const random = createSeededRandom(options.seed);
  const rows: LabeledRow[] = [];
  for (let i = 0; i < options.rows; i++) {
    rows.push(generatePatient(random));
  }
  return {
    featureColumns: [...CLINICAL_FEATURE_COLUMNS],
    labelColumn: CLINICAL_LABEL_COLUMN,
    rows,
  };
}

function generatePatient(random: SeededRandom): LabeledRow {
  const age = clamp(62 + 15 * random.normal(), 18, 95);
  const sexMale = random.next() < 0.48 ? 1 : 0;
  const bmi = clamp(27.5 + 5.5 * random.normal(), 16, 55);
  const systolicBp = clamp(
    118 + 0.45 * (age - 50) + 0.6 * (bmi - 27) + 15 * random.normal(),
    85,
    220,
  );
  const heartRate = clamp(78 + 12 * random.normal(), 45, 140);
  const diabetic = random.next() < 0.12 + 0.012 * Math.max(0, bmi - 25) ? 1 : 0;
  const hba1c = clamp(
    diabetic === 1 ? 7.6 + 1.5 * random.normal() : 5.4 + 0.4 * random.normal(),
    4,
    14,
  );
  const ldl = clamp(125 + 35 * random.normal(), 40, 260);
  const egfr = clamp(
    100 - 0.8 * Math.max(0, age - 40) - 4 * diabetic + 14 * random.normal(),
    8,
    130,
  );
  const smoker = random.next() < (sexMale === 1 ? 0.24 : 0.17) ? 1 : 0;
  const priorAdmissions = poisson(0.4 + 0.025 * Math.max(0, age - 50) + 0.6 * diabetic, random);
  const lengthOfStay = Math.round(
    clamp(Math.exp(1.3 + 0.15 * priorAdmissions + 0.55 * random.normal()), 1, 45),
  );
  const numMedications = Math.round(
    clamp(
      3 + 0.08 * (age - 40) + 2.5 * diabetic + 0.7 * priorAdmissions + 2 * random.normal(),
      0,
      25,
    ),
  );

  // A risk score on the logit scale, sharpened below so that the task is learnable (Bayes AUC ≈ 0.9)
  // with a readmission rate near 30%.
  const risk =
    -2.1 +
    0.035 * (age - 62) +
    0.55 * Math.sqrt(priorAdmissions) +
    1.1 * sigmoid(2 * (hba1c - 8.5)) +
    0.9 * sigmoid((45 - egfr) / 6) +
    0.012 * Math.max(0, systolicBp - 150) +
    0.004 * (bmi - 27) * (bmi - 27) +
    0.04 * smoker * Math.max(0, age - 50) +
    0.06 * Math.max(0, lengthOfStay - 7) +
    0.05 * Math.max(0, numMedications - 10) +
    0.015 * Math.max(0, heartRate - 100) +
    0.15 * sexMale +
    0.35 * random.normal();
  const label = random.next() < sigmoid(2.5 * (risk + 0.8)) ? 1 : 0;

  return {
    features: [
      round(age, 0),
      sexMale,
      round(bmi, 1),
      round(systolicBp, 0),
      round(heartRate, 0),
      round(hba1c, 1),
      round(ldl, 0),
      round(egfr, 0),
      priorAdmissions,
      lengthOfStay,
      numMedications,
      smoker,
    ],
    label,
  };
}

function poisson(mean: number, random: SeededRandom): number {
  // Knuth's method; the means here are small (< 3).
  const limit = Math.exp(-mean);
  let count = 0;
  let product = random.next();
  while (product > limit) {
    count++;
    product *= random.next();
  }
  return count;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function clamp(x: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, x));
}

function round(x: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(x * scale) / scale;
}
