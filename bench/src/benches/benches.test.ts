import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

/** Runs a compiled bench entry point as the scripts do and returns its stdout. */
function runEntry(name: string, args: string[]): string {
  return execFileSync(process.execPath, [path.join(__dirname, `${name}.js`), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

test('aggregation bench: one tiny cell per strategy, table on stdout, JSON result written', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-entry-'));
  try {
    const stdout = runEntry('aggregation', [
      '--params',
      '1000',
      '--updates',
      '3',
      '--results-dir',
      dir,
    ]);
    assert.match(stdout, /## aggregation\n/);
    assert.match(stdout, /\| 1000 +\| 3 +\| fedavg /);
    assert.match(stdout, /chaincode logic in process, no peers\/orderer\/gossip\/endorsement/);
    const result = JSON.parse(readFileSync(path.join(dir, 'aggregation.json'), 'utf8')) as {
      name: string;
      quick: boolean;
      data: { cells: { strategy: string; params: number; updates: number; repeats: number }[] };
    };
    assert.equal(result.name, 'aggregation');
    assert.equal(result.quick, false);
    assert.deepEqual(
      result.data.cells.map((c) => [c.strategy, c.params, c.updates, c.repeats]),
      [
        ['fedavg', 1000, 3, 5],
        ['median', 1000, 3, 5],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('scaling bench --quick: four cases, coordinator and in-process ledger timings for each', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-entry-'));
  try {
    const stdout = runEntry('scaling', ['--quick', '--results-dir', dir]);
    assert.match(stdout, /## scaling \(--quick\)\n/);
    const result = JSON.parse(readFileSync(path.join(dir, 'scaling.json'), 'utf8')) as {
      quick: boolean;
      data: {
        cases: {
          orgs: number;
          targetParams: number;
          ledger: { ledgerCalls?: number; total: number };
          coordinator: { ledgerCalls?: number };
        }[];
      };
    };
    assert.equal(result.quick, true);
    assert.deepEqual(
      result.data.cases.map((c) => [c.orgs, c.targetParams]),
      [
        [3, 20_000],
        [5, 20_000],
        [3, 100_000],
        [5, 100_000],
      ],
    );
    for (const c of result.data.cases) {
      assert.ok((c.ledger.ledgerCalls ?? 0) > 0 && (c.ledger.ledgerCalls ?? 0) < c.ledger.total);
      assert.equal(c.coordinator.ledgerCalls, undefined);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bench prints its help for --help and writes nothing', () => {
  const stdout = runEntry('scaling', ['--help']);
  assert.match(stdout, /^scaling: /);
  assert.match(stdout, /--quick/);
});

test('a bench exits non-zero on an unknown flag', () => {
  assert.throws(
    () => runEntry('round', ['--rounds', '3']),
    (error: { status?: number }) => error.status === 1,
  );
});

test('demo-seeds bench --quick: one seed of the demo in process, its goal read from the summary', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-entry-'));
  try {
    const stdout = runEntry('demo-seeds', ['--quick', '--results-dir', dir]);
    assert.match(stdout, /## demo-seeds \(--quick\)\n/);
    assert.match(stdout, /Goal met on [01] of 1 seeds \(1–1\)/);
    const result = JSON.parse(readFileSync(path.join(dir, 'demo-seeds.json'), 'utf8')) as {
      data: {
        ledger: string;
        rows: {
          seed: number;
          roundAccuracy: number[];
          selectedRound: number;
          verifiedByAuditor: boolean;
        }[];
      };
    };
    assert.equal(result.data.ledger, 'in-process');
    const row = result.data.rows.at(0);
    assert.ok(row, 'one row');
    assert.equal(row.seed, 1);
    assert.equal(row.roundAccuracy.length, 2);
    assert.ok(row.selectedRound >= 1 && row.selectedRound <= 2);
    assert.equal(row.verifiedByAuditor, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo-seeds refuses a backwards seed range', () => {
  assert.throws(
    () => runEntry('demo-seeds', ['--seeds', '5-2']),
    (error: { status?: number }) => error.status === 1,
  );
});
