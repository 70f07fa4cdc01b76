import { FedLedgerError } from '@fedledger/core';
import { createSeededRandom, seededPermutation, type SeededRandom } from './seeded-random';

export type SplitMode = 'iid' | 'dirichlet';

export interface OrgSplitOptions {
  orgs: number;
  /** `iid`: shuffled equal shares. `dirichlet`: per-label shares drawn from Dir(alpha), i.e. label skew. */
  mode: SplitMode;
  /** Dirichlet concentration (required for `dirichlet`): small values give strongly skewed label mixes. */
  alpha?: number;
  seed: number;
  /** Every org gets at least this many rows (default 1); Dirichlet draws are repeated until it holds. */
  minRowsPerOrg?: number;
}

/** How many Dirichlet draws are tried before giving up on `minRowsPerOrg`. */
const MAX_DIRICHLET_DRAWS = 1000;

/**
 * Deals rows to `orgs` organisations deterministically from `seed`; returns one array per org, each
 * in the original row order. Label-skewed (`dirichlet`) splits follow Hsu et al. (2019): for each
 * label, the label's rows are shuffled and cut by proportions drawn from Dir(alpha·1). Throws
 * INVALID_ARGUMENT on bad options and FAILED_PRECONDITION when `minRowsPerOrg` cannot be met.
 */
export function splitAcrossOrgs<T extends { label: number }>(
  rows: readonly T[],
  options: OrgSplitOptions,
): T[][] {
  const minRows = options.minRowsPerOrg ?? 1;
  validate(rows.length, options, minRows);
  const random = createSeededRandom(options.seed);
  const assignment =
    options.mode === 'iid'
      ? iidAssignment(rows.length, options.orgs, random)
      : dirichletAssignment(rows, options, minRows, random);
  const shares: T[][] = Array.from({ length: options.orgs }, () => []);
  rows.forEach((row, i) => {
    shares[assignment[i]].push(row);
  });
  return shares;
}

function iidAssignment(n: number, orgs: number, random: SeededRandom): Uint32Array {
  const order = seededPermutation(n, random);
  const assignment = new Uint32Array(n);
  order.forEach((row, position) => {
    assignment[row] = position % orgs;
  });
  return assignment;
}

function dirichletAssignment(
  rows: readonly { label: number }[],
  options: OrgSplitOptions,
  minRows: number,
  random: SeededRandom,
): Uint32Array {
  const byLabel = new Map<number, number[]>();
  rows.forEach((row, i) => {
    const list = byLabel.get(row.label) ?? [];
    list.push(i);
    byLabel.set(row.label, list);
  });
  const labels = [...byLabel.keys()].sort((a, b) => a - b);
  const alpha = options.alpha as number;
  for (let draw = 0; draw < MAX_DIRICHLET_DRAWS; draw++) {
    const assignment = new Uint32Array(rows.length);
    const counts = new Array<number>(options.orgs).fill(0);
    for (const label of labels) {
      const members = byLabel.get(label) as number[];
      const order = seededPermutation(members.length, random);
      const proportions = dirichlet(options.orgs, alpha, random);
      let position = 0;
      let cumulative = 0;
      for (let org = 0; org < options.orgs; org++) {
        cumulative += proportions[org];
        const end =
          org === options.orgs - 1 ? members.length : Math.round(cumulative * members.length);
        for (; position < end; position++) {
          assignment[members[order[position]]] = org;
          counts[org] = counts[org] + 1;
        }
      }
    }
    if (counts.every((count) => count >= minRows)) {
      return assignment;
    }
  }
  throw new FedLedgerError(
    'FAILED_PRECONDITION',
    `no Dirichlet(alpha=${alpha}) split of ${rows.length} rows gave every one of ${options.orgs} orgs ${minRows} rows in ${MAX_DIRICHLET_DRAWS} draws; raise alpha or lower minRowsPerOrg`,
  );
}

/** A draw from the symmetric Dirichlet(alpha, …, alpha) via normalised Gamma(alpha) variates. */
function dirichlet(k: number, alpha: number, random: SeededRandom): number[] {
  const draws = Array.from({ length: k }, () => random.gamma(alpha));
  const total = draws.reduce((sum, x) => sum + x, 0);
  // Gamma draws for tiny alpha can all underflow to 0; then give everything to one random org.
  if (!(total > 0)) {
    const winner = random.int(k);
    return draws.map((_, i) => (i === winner ? 1 : 0));
  }
  return draws.map((x) => x / total);
}

function validate(n: number, options: OrgSplitOptions, minRows: number): void {
  if (!Number.isInteger(options.orgs) || options.orgs < 1) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `orgs must be a positive integer, got ${options.orgs}`,
    );
  }
  // Exported for JavaScript callers and CLI-parsed options too, so the mode is checked as the value it is at run time.
  const mode: unknown = options.mode;
  if (mode !== 'iid' && mode !== 'dirichlet') {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `mode must be "iid" or "dirichlet", got "${String(mode)}"`,
    );
  }
  if (
    options.mode === 'dirichlet' &&
    (options.alpha === undefined || !(options.alpha > 0) || !Number.isFinite(options.alpha))
  ) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `dirichlet mode needs alpha > 0, got ${options.alpha}`,
    );
  }
  if (!Number.isInteger(options.seed)) {
    throw new FedLedgerError('INVALID_ARGUMENT', `seed must be an integer, got ${options.seed}`);
  }
  if (!Number.isInteger(minRows) || minRows < 0) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `minRowsPerOrg must be a non-negative integer, got ${minRows}`,
    );
  }
  if (minRows * options.orgs > n) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      `${n} rows cannot give ${options.orgs} orgs ${minRows} rows each`,
    );
  }
}
