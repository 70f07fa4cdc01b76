import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FedLedgerError } from '@fedledger/core';
import { formatCsv, parseCsv, parseCsvDataset } from './csv-dataset';

const columns = { labelColumn: 'y', featureColumns: ['a', 'b'] };

/** Matches an INVALID_ARGUMENT FedLedgerError with exactly this reason. */
function invalid(reason: string): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof FedLedgerError);
    assert.equal(error.code, 'INVALID_ARGUMENT');
    assert.equal(error.reason, reason);
    return true;
  };
}

test('parses RFC 4180 quoting, CRLF line ends, a BOM and blank lines', () => {
  const text = '\ufeffname,"note, with comma",v\r\n"x ""quoted""","two\nlines",1\r\n\r\nplain,,2';
  assert.deepEqual(parseCsv(text, 'f.csv'), [
    { line: 1, fields: ['name', 'note, with comma', 'v'] },
    { line: 2, fields: ['x "quoted"', 'two\nlines', '1'] },
    { line: 5, fields: ['plain', '', '2'] },
  ]);
  assert.deepEqual(parseCsv('a,b\n1,2\n', 'f.csv').length, 2);
  assert.deepEqual(parseCsv('a\n""\n', 'f.csv'), [
    { line: 1, fields: ['a'] },
    { line: 2, fields: [''] },
  ]);
});

test('reads features in the requested order and 0/1 labels', () => {
  const table = parseCsvDataset('y,b,a,ignored\n1,2.5,-3,x\n0, 1e2 ,.5,y\n', 'ok.csv', columns);
  assert.deepEqual(table, {
    featureColumns: ['a', 'b'],
    labelColumn: 'y',
    rows: [
      { features: [-3, 2.5], label: 1 },
      { features: [0.5, 100], label: 0 },
    ],
  });
  assert.deepEqual(parseCsvDataset('a,y\n1,1.0\n', 'ok.csv', { labelColumn: 'y' }).featureColumns, [
    'a',
  ]);
});

test('formatCsv writes what parseCsvDataset reads back', () => {
  const table = {
    featureColumns: ['a', 'b,c'],
    labelColumn: 'y',
    rows: [{ features: [1.5, -2], label: 1 }],
  };
  assert.equal(formatCsv(table), 'a,"b,c",y\n1.5,-2,1\n');
  assert.deepEqual(
    parseCsvDataset(formatCsv(table), 'round.csv', {
      labelColumn: 'y',
      featureColumns: ['a', 'b,c'],
    }),
    table,
  );
});

test('an empty file or a header without rows is rejected', () => {
  assert.throws(
    () => parseCsvDataset('', 'empty.csv', columns),
    invalid('empty.csv is empty; a header row is required'),
  );
  assert.throws(
    () => parseCsvDataset('\n\n', 'blank.csv', columns),
    invalid('blank.csv is empty; a header row is required'),
  );
  assert.throws(
    () => parseCsvDataset('a,b,y\n', 'head.csv', columns),
    invalid('head.csv has a header but no data rows'),
  );
});

test('missing, duplicate or conflicting columns are named', () => {
  assert.throws(
    () => parseCsvDataset('a,b\n1,2\n', 'd.csv', columns),
    invalid('d.csv has no label column "y" (columns: a, b)'),
  );
  assert.throws(
    () => parseCsvDataset('a,y\n1,1\n', 'd.csv', columns),
    invalid('d.csv has no feature column "b" (columns: a, y)'),
  );
  assert.throws(
    () => parseCsvDataset('a,a,y\n1,1,1\n', 'd.csv', columns),
    invalid(
      'd.csv: 1 problem(s): column "a": the header names this column more than once (line 1)',
    ),
  );
  assert.throws(
    () => parseCsvDataset('a,,y\n1,1,1\n', 'd.csv', columns),
    invalid('d.csv: 1 problem(s): header column 2 has no name (line 1)'),
  );
  assert.throws(
    () => parseCsvDataset('a,y\n1,1\n', 'd.csv', { labelColumn: 'y', featureColumns: ['y'] }),
    invalid('d.csv: the label column "y" cannot also be a feature'),
  );
  assert.throws(
    () => parseCsvDataset('a,y\n1,1\n', 'd.csv', { labelColumn: 'y', featureColumns: ['a', 'a'] }),
    invalid('d.csv: feature column "a" is listed twice'),
  );
  assert.throws(
    () => parseCsvDataset('a,y\n1,1\n', 'd.csv', { labelColumn: 'y', featureColumns: [] }),
    invalid('d.csv: at least one feature column is required'),
  );
});

test('every bad cell is reported, grouped per column with counts, first lines and examples', () => {
  assert.throws(
    () => parseCsvDataset('a,b,y\n1,2,0\n1,abc,1\n', 'v.csv', columns),
    invalid(
      'v.csv: 1 problem(s): column "b": cells that are not finite numbers (line 3) e.g. "abc"',
    ),
  );
  assert.throws(
    () => parseCsvDataset('a,b,y\n0x10,2,0\nInfinity,2,0\n', 'v.csv', columns),
    invalid(
      'v.csv: 1 problem(s): column "a": cells that are not finite numbers ×2 (lines 2, 3) e.g. "0x10", "Infinity"',
    ),
  );
  assert.throws(
    () => parseCsvDataset('a,b,y\n1,2,2\n1,2,yes\n', 'v.csv', columns),
    invalid(
      'v.csv: 1 problem(s): column "y": labels that are not 0 or 1 ×2 (lines 2, 3) e.g. "2", "yes"',
    ),
  );
  // One site's file with hundreds of "?" cells: one grouped problem, not the first cell only.
  const rows = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? '?,1,0' : '1,,1'));
  try {
    parseCsvDataset(['a,b,y', ...rows].join('\n'), 'site.csv', columns);
    assert.fail('expected a rejection');
  } catch (error) {
    assert.ok(error instanceof FedLedgerError);
    assert.equal(error.code, 'INVALID_ARGUMENT');
    const problems = (
      error.details as { problems: { column: string; count: number; firstLines: number[] }[] }
    ).problems;
    assert.deepEqual(
      problems.map((p) => [p.column, p.count, p.firstLines]),
      [
        ['a', 150, [2, 4, 6, 8, 10]],
        ['b', 150, [3, 5, 7, 9, 11]],
      ],
    );
    assert.match(
      error.reason,
      /^site\.csv: 2 problem\(s\): column "a": cells that are not finite numbers ×150 \(lines 2, 4, 6, 8, 10, …\) e\.g\. "\?"; column "b": empty cells \(not a number\) ×150/,
    );
  }
});

test('a BOM, CRLF line ends, quoted fields and a trailing empty line parse like the plain file', () => {
  const plain = parseCsvDataset('a,b,y\n1,2,0\n3,4,1\n', 'p.csv', columns);
  assert.deepEqual(
    parseCsvDataset('\ufeff"a","b","y"\r\n"1",2,0\r\n3,"4",1\r\n\r\n', 'w.csv', columns),
    plain,
  );
});

test('malformed records are rejected with their line', () => {
  assert.throws(
    () => parseCsvDataset('a,b,y\n1,2\n', 'm.csv', columns),
    invalid(
      'm.csv: 1 problem(s): rows whose field count differs from the header\'s 3 (line 2) e.g. "2"',
    ),
  );
  assert.throws(
    () => parseCsv('a,b\n"open,1\n', 'm.csv'),
    invalid('m.csv line 2: a quoted field is never closed'),
  );
  assert.throws(
    () => parseCsv('a,b\n"x"y,1\n', 'm.csv'),
    invalid('m.csv line 2: unexpected "y" after a closing quote'),
  );
  assert.throws(
    () => parseCsv('a,b\nx"y,1\n', 'm.csv'),
    invalid(
      'm.csv line 2: a quote inside an unquoted field (quote the whole field and double inner quotes)',
    ),
  );
});
