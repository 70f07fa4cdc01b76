import { FedLedgerError } from '@fedledger/core';
import { createSeededRandom, seededPermutation, type SeededRandom } from './seeded-random';

/** How rows are dealt to orgs; see {@link OrgSplitOptions.mode}. */
export const SPLIT_MODES = ['iid', 'dirichlet', 'dirichlet-equal-size'] as const;
export type SplitMode = (typeof SPLIT_MODES)[number];

export interface OrgSplitOptions {
  orgs: number;
  /**
   * `iid`: shuffled equal shares. `dirichlet`: each label's rows cut across orgs by proportions
   * drawn from Dir(alpha), which skews both the orgs' label mixes and their sizes (one org can get
   * most rows). `dirichlet-equal-size`: equal shares, each org's label mix drawn from Dir(alpha):
   * label skew alone.
   */
  mode: SplitMode;
  /** Dirichlet concentration (required for both Dirichlet modes): small values give strongly skewed label mixes. */
  alpha?: number;
  seed: number;
  /** Every org gets at least this many rows (default 1); Dirichlet draws are repeated until it holds. */
  minRowsPerOrg?: number;
}

/** How many Dirichlet draws are tried before giving up on `minRowsPerOrg`. */
const MAX_DIRICHLET_DRAWS = 1000;

/**
 * Deals rows to `orgs` organisations deterministically from `seed`; returns one array per org, each
 * in the original row order.
 * - `dirichlet`: for each label, the label's rows are shuffled and cut by proportions drawn from
 *   Dir(alpha·1) over the orgs — the per-label ("LDA") partition common in FL benchmarks (Yurochkin
 *   et al. 2019; Li et al. 2022, NIID-Bench). Sizes follow the draws.
 * - `dirichlet-equal-size`: every org gets the same number of rows and its own label distribution,
 *   drawn from Dir(alpha·K·p) with p the pooled label distribution over K labels, as in Hsu et al.
 *   (2019, "Measuring the effects of non-identical data distribution"); rows are dealt one at a time
 *   to a random org with room, of a label drawn from its distribution among the labels with rows left.
 * Throws INVALID_ARGUMENT on bad options and FAILED_PRECONDITION when `minRowsPerOrg` cannot be met.
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
      : options.mode === 'dirichlet'
        ? dirichletAssignment(rows, options, minRows, random)
        : equalSizeDirichletAssignment(rows, options, random);
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

/** Row indexes per label, labels in ascending order. */
function rowsByLabel(rows: readonly { label: number }[]): number[][] {
  const byLabel = new Map<number, number[]>();
  rows.forEach((row, i) => {
    const list = byLabel.get(row.label) ?? [];
    list.push(i);
    byLabel.set(row.label, list);
  });
  const labels = [...byLabel.keys()].sort((a, b) => a - b);
  return labels.map((label) => byLabel.get(label) as number[]);
}

function dirichletAssignment(
  rows: readonly { label: number }[],
  options: OrgSplitOptions,
  minRows: number,
  random: SeededRandom,
): Uint32Array {
  const byLabel = rowsByLabel(rows);
  const alpha = options.alpha as number;
  for (let draw = 0; draw < MAX_DIRICHLET_DRAWS; draw++) {
    const assignment = new Uint32Array(rows.length);
    const counts = new Array<number>(options.orgs).fill(0);
    for (const members of byLabel) {
      const order = seededPermutation(members.length, random);
      const proportions = dirichlet(new Array<number>(options.orgs).fill(alpha), random);
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

function equalSizeDirichletAssignment(
  rows: readonly { label: number }[],
  options: OrgSplitOptions,
  random: SeededRandom,
): Uint32Array {
  const pools = rowsByLabel(rows).map((list) => {
    const order = seededPermutation(list.length, random);
    return Array.from(order, (k) => list[k]);
  });
  // Centred on the pooled label mix p: Dir(alpha·K·p), which is the symmetric Dir(alpha) when the K
  // labels are balanced. A symmetric draw on imbalanced labels would ask for more of the rare label
  // than there is, and the last orgs dealt would get none of it whatever alpha.
  const concentration = pools.map(
    (pool) => ((options.alpha as number) * pools.length * pool.length) / rows.length,
  );
  const mixes = Array.from({ length: options.orgs }, () => dirichlet(concentration, random));
  const room = Array.from(
    { length: options.orgs },
    (_, org) => Math.floor(rows.length / options.orgs) + (org < rows.length % options.orgs ? 1 : 0),
  );
  const open = room.map((_, org) => org);
  const assignment = new Uint32Array(rows.length);
  while (open.length > 0) {
    const slot = random.int(open.length);
    const org = open[slot];
    const label = drawLabel(mixes[org], pools, random);
    assignment[pools[label].pop() as number] = org;
    room[org] = room[org] - 1;
    if (room[org] === 0) open.splice(slot, 1);
  }
  return assignment;
}

/**
 * A label drawn from `mix` among the labels whose pools still have rows. When the mix puts all its
 * weight on exhausted labels, the label is drawn in proportion to the rows left instead.
 */
function drawLabel(
  mix: readonly number[],
  pools: readonly number[][],
  random: SeededRandom,
): number {
  const weights = mix.map((p, label) => (pools[label].length > 0 ? p : 0));
  const chosen = weights.some((w) => w > 0) ? weights : pools.map((pool) => pool.length);
  let u = random.next() * chosen.reduce((sum, w) => sum + w, 0);
  let last = 0;
  for (let label = 0; label < chosen.length; label++) {
    if (chosen[label] <= 0) continue;
    last = label;
    u -= chosen[label];
    if (u < 0) return label;
  }
  // Rounding can leave u a hair above 0 after the last weight.
  return last;
}

/** A draw from Dirichlet(concentration) via normalised Gamma variates. */
function dirichlet(concentration: readonly number[], random: SeededRandom): number[] {
  const draws = concentration.map((shape) => random.gamma(shape));
  const total = draws.reduce((sum, x) => sum + x, 0);
  // Gamma draws for tiny shapes can all underflow to 0; then give everything to one random part.
  if (!(total > 0)) {
    const winner = random.int(draws.length);
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
  if (!(SPLIT_MODES as readonly unknown[]).includes(mode)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `mode must be one of ${SPLIT_MODES.map((m) => `"${m}"`).join(', ')}, got "${String(mode)}"`,
    );
  }
  if (
    options.mode !== 'iid' &&
    (options.alpha === undefined || !(options.alpha > 0) || !Number.isFinite(options.alpha))
  ) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `${options.mode} mode needs alpha > 0, got ${options.alpha}`,
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
