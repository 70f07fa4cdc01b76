import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FedLedgerError } from '@fedledger/core';
import { type OrgSplitOptions, splitAcrossOrgs } from './org-split';

const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i, label: i % 10 < 3 ? 1 : 0 }));

function positiveRates(shares: { label: number }[][]): number[] {
  return shares.map((share) => share.reduce((sum, row) => sum + row.label, 0) / share.length);
}

/** Highest minus lowest positive rate over the shares. */
function spread(shares: { label: number }[][]): number {
  const rates = positiveRates(shares);
  return Math.max(...rates) - Math.min(...rates);
}

/** Splits `rows` twice with `options`: the same shares both times, and every row in exactly one. */
function deterministicPartition(options: OrgSplitOptions): (typeof rows)[number][][] {
  const shares = splitAcrossOrgs(rows, options);
  assert.deepEqual(splitAcrossOrgs(rows, options), shares);
  assert.deepEqual(
    shares
      .flat()
      .map((row) => row.id)
      .sort((a, b) => a - b),
    rows.map((row) => row.id),
  );
  return shares;
}

test('iid split is a deterministic partition into near-equal shares', () => {
  const shares = deterministicPartition({ orgs: 3, mode: 'iid', seed: 1 });
  assert.deepEqual(
    shares.map((share) => share.length),
    [334, 333, 333],
  );
  assert.notDeepEqual(splitAcrossOrgs(rows, { orgs: 3, mode: 'iid', seed: 2 }), shares);
  for (const share of shares) {
    // Each share keeps the original order.
    assert.deepEqual(
      share.map((row) => row.id),
      [...share.map((row) => row.id)].sort((a, b) => a - b),
    );
  }
});

test('dirichlet split is a deterministic partition whose label skew grows as alpha shrinks', () => {
  const skewed = deterministicPartition({ orgs: 4, mode: 'dirichlet', alpha: 0.1, seed: 3 });
  const mild = splitAcrossOrgs(rows, { orgs: 4, mode: 'dirichlet', alpha: 1000, seed: 3 });
  assert.ok(spread(mild) < 0.1, `mild spread ${spread(mild)}`);
  assert.ok(spread(skewed) > 0.3, `skewed spread ${spread(skewed)}`);
  for (const share of skewed) {
    assert.ok(share.length >= 1);
  }
});

test('equal-size dirichlet split gives every org the same number of rows and skews only the labels', () => {
  const split = deterministicPartition({
    orgs: 3,
    mode: 'dirichlet-equal-size',
    alpha: 0.1,
    seed: 3,
  });
  assert.deepEqual(
    split.map((share) => share.length),
    [334, 333, 333],
  );
  // Labels are drawn row by row, so one split's rates vary by chance: compare means over seeds.
  const meanSpread = (alpha: number): number => {
    let sum = 0;
    for (let seed = 1; seed <= 8; seed++) {
      sum += spread(splitAcrossOrgs(rows, { orgs: 3, mode: 'dirichlet-equal-size', alpha, seed }));
    }
    return sum / 8;
  };
  const mild = meanSpread(1000);
  const skewed = meanSpread(0.5);
  assert.ok(mild < 0.1, `mild mean spread ${mild}`);
  assert.ok(skewed > 0.3, `skewed mean spread ${skewed}`);
  assert.throws(
    () => splitAcrossOrgs(rows, { orgs: 2, mode: 'dirichlet-equal-size', seed: 1 }),
    new FedLedgerError(
      'INVALID_ARGUMENT',
      'dirichlet-equal-size mode needs alpha > 0, got undefined',
    ),
  );
});

test('split options are validated', () => {
  assert.throws(
    () => splitAcrossOrgs(rows, { orgs: 0, mode: 'iid', seed: 1 }),
    new FedLedgerError('INVALID_ARGUMENT', 'orgs must be a positive integer, got 0'),
  );
  assert.throws(
    () => splitAcrossOrgs(rows, { orgs: 2, mode: 'dirichlet', seed: 1 }),
    new FedLedgerError('INVALID_ARGUMENT', 'dirichlet mode needs alpha > 0, got undefined'),
  );
  assert.throws(
    () => splitAcrossOrgs(rows, { orgs: 2, mode: 'random' as 'iid', seed: 1 }),
    new FedLedgerError(
      'INVALID_ARGUMENT',
      'mode must be one of "iid", "dirichlet", "dirichlet-equal-size", got "random"',
    ),
  );
  assert.throws(
    () => splitAcrossOrgs(rows, { orgs: 2, mode: 'iid', seed: 0.5 }),
    new FedLedgerError('INVALID_ARGUMENT', 'seed must be an integer, got 0.5'),
  );
  assert.throws(
    () => splitAcrossOrgs(rows.slice(0, 3), { orgs: 2, mode: 'iid', seed: 1, minRowsPerOrg: 2 }),
    new FedLedgerError('FAILED_PRECONDITION', '3 rows cannot give 2 orgs 2 rows each'),
  );
  assert.throws(
    () =>
      splitAcrossOrgs(rows.slice(0, 20), {
        orgs: 10,
        mode: 'dirichlet',
        alpha: 0.001,
        seed: 1,
        minRowsPerOrg: 2,
      }),
    (error: unknown) =>
      error instanceof FedLedgerError &&
      error.code === 'FAILED_PRECONDITION' &&
      /no Dirichlet\(alpha=0.001\) split of 20 rows/.test(error.message),
  );
});
