import { encodedColumns, type DataSchema } from '@fedledger/core';
import { generateSyntheticClinical } from './synthetic-clinical';
import { createSeededRandom, seededPermutation, type SeededRandom } from './seeded-random';

/**
 * Raw multi-site hospital data, as sites really deliver it, for tests and the demo: the synthetic
 * readmission population (see synthetic-clinical.ts) spread over sites with covariate shift (older
 * patients at some sites) and label shift (different readmission rates), written by each site in
 * its own way — its own column order, its own missing-value token, missing cells at its own rates,
 * categories as text (sex, smoking status, admission type; the label as yes/no), and one lab value
 * (HbA1c) that the second site never measured and records as 0 for everyone. {@link MULTISITE_SCHEMA}
 * describes all of it, so the whole path runs without preparing anything by hand.
 */
export const MULTISITE_LABEL = 'readmitted';

const NUMERIC: { name: string; source: number; min: number; max: number }[] = [
  { name: 'age', source: 0, min: 18, max: 100 },
  { name: 'bmi', source: 2, min: 10, max: 70 },
  { name: 'systolic_bp', source: 3, min: 60, max: 250 },
  { name: 'heart_rate', source: 4, min: 30, max: 200 },
  { name: 'hba1c', source: 5, min: 3, max: 16 },
  { name: 'ldl_cholesterol', source: 6, min: 20, max: 300 },
  { name: 'egfr', source: 7, min: 5, max: 150 },
  { name: 'prior_admissions', source: 8, min: 0, max: 30 },
  { name: 'length_of_stay', source: 9, min: 1, max: 60 },
  { name: 'num_medications', source: 10, min: 0, max: 40 },
];

/** The column the second site never measured (recorded as 0, declared a missing value in the schema). */
export const UNMEASURED_COLUMN = 'hba1c';
const MISSING_TOKENS = ['?', '', 'NA'];

/** The schema of the generated files: what a consortium would write for these sites. */
export const MULTISITE_SCHEMA: DataSchema = {
  columns: [
    ...NUMERIC.map(({ name, min, max }) => ({
      name,
      type: 'numeric' as const,
      min,
      max,
      ...(name === UNMEASURED_COLUMN ? { missingValues: [0] } : {}),
    })),
    { name: 'sex', type: 'categorical', levels: ['F', 'M'] },
    { name: 'smoking_status', type: 'categorical', levels: ['never', 'former', 'current'] },
    { name: 'admission_type', type: 'categorical', levels: ['elective', 'urgent', 'emergency'] },
    { name: MULTISITE_LABEL, type: 'categorical', levels: ['no', 'yes'] },
  ],
  label: { column: MULTISITE_LABEL, positiveValues: ['yes'] },
  missingTokens: MISSING_TOKENS,
  imputation: { method: 'mean', indicators: true },
};

/** The model inputs the schema encodes to (featureColumns of a federation created with it). */
export const MULTISITE_FEATURE_COLUMNS: string[] = encodedColumns(MULTISITE_SCHEMA);

export interface MultisiteOptions {
  /** Population before it is spread over the sites; every site generates it all and keeps its share. */
  rows: number;
  sites: number;
  seed: number;
}

/** The CSV text of one site (0-based), deterministic from the options. */
export function generateMultisiteCsv(options: MultisiteOptions, site: number): string {
  return generateMultisiteSites(options)[site];
}

/** The CSV text of every site. */
export function generateMultisiteSites(options: MultisiteOptions): string[] {
  const population = generateSyntheticClinical({ rows: options.rows, seed: options.seed });
  const random = createSeededRandom(options.seed ^ 0x5eed);
  const sites = options.sites;
  const rows: string[][][] = Array.from({ length: sites }, () => []);
  const header = [
    ...NUMERIC.map((column) => column.name),
    'sex',
    'smoking_status',
    'admission_type',
    MULTISITE_LABEL,
  ];
  for (const row of population.rows) {
    const f = row.features;
    const age = f[0];
    // Covariate shift (age) and label shift: site k favours older or younger, readmitted or not, patients.
    const weights = Array.from({ length: sites }, (_, k) => {
      const tilt = sites === 1 ? 0 : (2 * k) / (sites - 1) - 1;
      return Math.exp(0.9 * tilt * ((age - 62) / 15) - 0.6 * tilt * (row.label - 0.3));
    });
    const site = pick(weights, random);
    const smoking = f[11] === 1 ? 'current' : random.next() < 0.3 ? 'former' : 'never';
    const urgency = random.next() + 0.15 * f[8] + (row.label === 1 ? 0.25 : 0);
    const admission = urgency > 1.0 ? 'emergency' : urgency > 0.6 ? 'urgent' : 'elective';
    rows[site]?.push([
      ...NUMERIC.map((column) => String(f[column.source])),
      f[1] === 1 ? 'M' : 'F',
      smoking,
      admission,
      row.label === 1 ? 'yes' : 'no',
    ]);
  }
  return rows.map((siteRows, site) =>
    writeSite(siteRows, header, site, createSeededRandom(options.seed * 31 + site + 1)),
  );
}

function writeSite(
  siteRows: string[][],
  header: string[],
  site: number,
  random: SeededRandom,
): string {
  const token = MISSING_TOKENS[site % MISSING_TOKENS.length];
  const unmeasured = header.indexOf(UNMEASURED_COLUMN);
  // Each site misses each input at its own rate (0–12%); the label is always recorded.
  const rates = header.map((name) => (name === MULTISITE_LABEL ? 0 : 0.12 * random.next()));
  const order = Array.from(seededPermutation(header.length, random));
  const cells = siteRows.map((row) =>
    row.map((value, c) => {
      if (site === 1 && c === unmeasured) return '0';
      return random.next() < rates[c] ? token : value;
    }),
  );
  const line = (fields: string[]): string => order.map((c) => quote(fields[c])).join(',');
  // CRLF line ends at odd sites: files come from different systems.
  const eol = site % 2 === 1 ? '\r\n' : '\n';
  return [line(header), ...cells.map(line)].join(eol) + eol;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function pick(weights: number[], random: SeededRandom): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = random.next() * total;
  for (let k = 0; k < weights.length; k++) {
    u -= weights[k];
    if (u <= 0) return k;
  }
  return weights.length - 1;
}
