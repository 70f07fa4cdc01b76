import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillBenchTables } from './doc-tables';
import type { BenchResult } from './results';

const result = (name: string, quick: boolean): BenchResult<unknown> => ({
  name,
  quick,
  finishedAt: '2026-11-21T06:30:12.000Z',
  machine: {
    cpus: 2,
    cpuModel: 'x',
    memoryGiB: 24,
    node: 'v20',
    platform: 'linux',
    loadAverage: [0.5, 0.4, 0.3],
  },
  notes: ['first', 'second'],
  table: '| a |\n| - |\n| 1 |',
  data: {},
});

test('fillBenchTables replaces only the blocks it has results for', () => {
  const doc =
    'intro\n<!-- bench:alpha -->\nold\n<!-- /bench:alpha -->\nmiddle\n<!-- bench:beta -->\nkeep\n<!-- /bench:beta -->\n';
  const { text, filled } = fillBenchTables(doc, (name) =>
    name === 'alpha' ? result('alpha', true) : undefined,
  );
  assert.deepEqual(filled, ['alpha']);
  assert.equal(
    text,
    'intro\n<!-- bench:alpha -->\n_Run of 2026-11-21 06:30 UTC, --quick run; load average at the end (1/5/15 min) 0.50 / 0.40 / 0.30 on 2 cores._\n\n| a |\n| - |\n| 1 |\n\n- first\n- second\n<!-- /bench:alpha -->\nmiddle\n<!-- bench:beta -->\nkeep\n<!-- /bench:beta -->\n',
  );
});

test('fillBenchTables is idempotent', () => {
  const doc = '<!-- bench:alpha -->\n<!-- /bench:alpha -->';
  const once = fillBenchTables(doc, () => result('alpha', false)).text;
  assert.equal(fillBenchTables(once, () => result('alpha', false)).text, once);
});
