import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  consortiumPreprocessing,
  encodedColumns,
  inputColumns,
  type DataSchema,
} from '@fedledger/core';
import { ProblemCollector } from '../datasets/column-problems';
import { parseRawTable } from '../datasets/csv-dataset';
import { fitStandardizer } from '../datasets/standardizer';
import {
  MULTISITE_SCHEMA,
  UNMEASURED_COLUMN,
  generateMultisiteSites,
} from '../datasets/synthetic-multisite';
import { encodeRows, profileRows } from './schema-encoding';
import { readSchemaRows, type SchemaRows } from './schema-table';

function read(csv: string, schema: DataSchema = MULTISITE_SCHEMA): SchemaRows {
  const problems = new ProblemCollector();
  const rows = readSchemaRows(parseRawTable(csv, 'site.csv'), schema, problems);
  assert.deepEqual(problems.list(), []);
  return rows as SchemaRows;
}

describe('the multi-site generator', () => {
  const sites = generateMultisiteSites({ rows: 2000, sites: 4, seed: 3 });

  it('writes each site its own way: column order, missing token, line ends, an unmeasured column, shifted rates', () => {
    const headers = sites.map((csv) => csv.split(/\r?\n/)[0]);
    assert.equal(new Set(headers).size, 4, 'every site orders its columns differently');
    assert.ok(sites[1]?.includes('\r\n') && !sites[0]?.includes('\r'), 'CRLF at odd sites only');
    assert.match(sites[0], /(^|,)\?(,|\n)/, 'site 1 writes "?"');
    assert.match(sites[2], /(^|,)NA(,|\n)/, 'site 3 writes "NA"');
    const site2 = parseRawTable(sites[1], 's2.csv');
    const hba1c = site2.columns.indexOf(UNMEASURED_COLUMN);
    assert.ok(
      site2.records.every((record) => record.fields[hba1c] === '0'),
      'site 2 never measured HbA1c and wrote 0',
    );
    const rows = sites.map((csv) => read(csv));
    const rates = rows.map((r) => r.labels.reduce((a, b) => a + b, 0) / r.labels.length);
    assert.ok(
      Math.max(...rates) - Math.min(...rates) > 0.05,
      `label shift between sites: ${rates.map((r) => r.toFixed(2)).join(', ')}`,
    );
    assert.equal(
      rows.reduce((total, r) => total + r.labels.length, 0),
      2000,
      'every patient is at exactly one site',
    );
    // Site 2's HbA1c reads as missing everywhere (the schema declares 0 a missing value).
    const profile = profileRows(rows[1], MULTISITE_SCHEMA);
    const column = profile.columns.find((c) => c.name === UNMEASURED_COLUMN);
    assert.equal(column?.missing, rows[1]?.labels.length);
  });

  it('the consortium preprocessing from per-site profiles equals what one holder of all rows computes', () => {
    const rows = sites.map((csv) => read(csv));
    const profiles = rows.map((r, k) => ({
      ...profileRows(r, MULTISITE_SCHEMA),
      mspId: `Org${k + 1}MSP`,
    }));
    const { imputation, featureScaling } = consortiumPreprocessing(MULTISITE_SCHEMA, profiles);
    // Pool every row, fill with the pooled mean, encode, fit the scaling: the same numbers.
    const pooled: SchemaRows = {
      cells: inputColumns(MULTISITE_SCHEMA).map((_, c) => rows.flatMap((r) => r.cells[c] ?? [])),
      labels: Uint8Array.from(rows.flatMap((r) => Array.from(r.labels))),
    };
    const age = pooled.cells[0]?.filter((cell) => cell.kind === 'number') ?? [];
    const ageMean = age.reduce((sum, cell) => sum + cell.value, 0) / age.length;
    assert.ok(Math.abs(imputation.values['age'] - ageMean) < 1e-9);
    const encoded = encodeRows(pooled, MULTISITE_SCHEMA, imputation);
    assert.equal(encoded.numFeatures, encodedColumns(MULTISITE_SCHEMA).length);
    const central = fitStandardizer(encoded.features, encoded.numFeatures);
    featureScaling.center.forEach((value, i) => {
      assert.ok(
        Math.abs(value - central.means[i]) < 1e-3 * Math.max(1, Math.abs(value)),
        `center ${i}`,
      );
    });
    featureScaling.scale.forEach((value, i) => {
      assert.ok(Math.abs(value - central.stds[i]) < 1e-3 * Math.max(1, value), `scale ${i}`);
    });
  });

  it('encodes levels one-hot, fills missing numbers and sets indicators', () => {
    const schema: DataSchema = {
      columns: [
        { name: 'x', type: 'numeric' },
        { name: 'c', type: 'categorical', levels: ['a', 'b'] },
        { name: 'y', type: 'numeric' },
      ],
      label: { column: 'y', positiveValues: ['1'] },
      missingTokens: ['', '?'],
      imputation: { method: 'mean', indicators: true },
    };
    const rows = read('c,y,x\nb,1,2\n?,0,?\na,1.0,4\n', schema);
    const { features, labels } = encodeRows(rows, schema, { values: { x: 3 } });
    assert.deepEqual(Array.from(labels), [1, 0, 1]);
    assert.deepEqual(Array.from(features), [2, 0, 0, 1, 0, /**/ 3, 1, 0, 0, 1, /**/ 4, 0, 1, 0, 0]);
  });
});

describe('a dataset against a schema: every problem at once', () => {
  it('lists missing columns, unknown levels, out-of-range values and bad labels with counts and lines', () => {
    const schema: DataSchema = {
      columns: [
        { name: 'age', type: 'numeric', min: 0, max: 120 },
        { name: 'smoker', type: 'categorical', levels: ['no', 'yes'] },
        { name: 'bmi', type: 'numeric' },
        { name: 'out', type: 'categorical', levels: ['no', 'yes'] },
      ],
      label: { column: 'out', positiveValues: ['yes'] },
      missingTokens: ['?'],
      imputation: { method: 'mean', indicators: false },
    };
    const problems = new ProblemCollector();
    assert.equal(
      readSchemaRows(parseRawTable('age,smoker,out\n1,no,yes\n', 'a.csv'), schema, problems),
      undefined,
    );
    assert.deepEqual(
      problems.list().map((p) => [p.column, p.problem]),
      [['bmi', 'the dataset has no such column']],
    );

    const cells = new ProblemCollector();
    readSchemaRows(
      parseRawTable(
        'out,bmi,smoker,age\nyes,1,no,130\nmaybe,1,sometimes,-1\n?,x,sometimes,5\n',
        'b.csv',
      ),
      schema,
      cells,
    );
    assert.deepEqual(
      cells.list().map((p) => [p.column, p.problem, p.count, p.firstLines, p.examples]),
      [
        ['age', 'values outside the valid range [0, 120]', 2, [2, 3], ['130', '-1']],
        [
          'smoker',
          'values that are not a declared level (no, yes) or a missing token',
          2,
          [3, 4],
          ['sometimes'],
        ],
        [
          'out',
          'labels: values that are not a declared level (no, yes) or a missing token',
          1,
          [3],
          ['maybe'],
        ],
        ['bmi', 'cells that are neither numbers nor missing tokens', 1, [4], ['x']],
        ['out', 'missing labels (rows without a label cannot be used)', 1, [4], ['?']],
      ],
    );
  });
});
