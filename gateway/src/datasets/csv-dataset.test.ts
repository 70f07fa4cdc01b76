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
  assert.deepEqual(parseCsv('a\n""\n', 'f.csv'), [{ line: 1, fields: ['a'] }, { line: 2, fields: [''] }]);
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
  assert.deepEqual(parseCsvDataset('a,y\n1,1.0\n', 'ok.csv', { labelColumn: 'y' }).featureColumns, ['a']);
});

test('formatCsv writes what parseCsvDataset reads back', () => {
  const table = { featureColumns: ['a', 'b,c'], labelColumn: 'y', rows: [{ features: [1.5, -2], label: 1 }] };
  assert.equal(formatCsv(table), 'a,"b,c",y\n1.5,-2,1\n');
  assert.deepEqual(parseCsvDataset(formatCsv(table), 'round.csv', { labelColumn: 'y', featureColumns: ['a', 'b,c'] }), table);
});

test('an empty file or a header without rows is rejected', () => {
  assert.throws(() => parseCsvDataset('', 'empty.csv', columns), invalid('empty.csv is empty; a header row is required'));
  assert.throws(() => parseCsvDataset('\n\n', 'blank.csv', columns), invalid('blank.csv is empty; a header row is required'));
  assert.throws(() => parseCsvDataset('a,b,y\n', 'head.csv', columns), invalid('head.csv has a header but no data rows'));
});

test('missing, duplicate or conflicting columns are named', () => {
  assert.throws(() => parseCsvDataset('a,b\n1,2\n', 'd.csv', columns), invalid('d.csv has no label column "y" (columns: a, b)'));
  assert.throws(() => parseCsvDataset('a,y\n1,1\n', 'd.csv', columns), invalid('d.csv has no feature column "b" (columns: a, y)'));
  assert.throws(() => parseCsvDataset('a,a,y\n1,1,1\n', 'd.csv', columns), invalid('d.csv line 1, column "a": the header names this column twice'));
  assert.throws(() => parseCsvDataset('a,,y\n1,1,1\n', 'd.csv', columns), invalid('d.csv line 1: header column 2 has no name'));
  assert.throws(() => parseCsvDataset('a,y\n1,1\n', 'd.csv', { labelColumn: 'y', featureColumns: ['y'] }), invalid('d.csv: the label column "y" cannot also be a feature'));
  assert.throws(() => parseCsvDataset('a,y\n1,1\n', 'd.csv', { labelColumn: 'y', featureColumns: ['a', 'a'] }), invalid('d.csv: feature column "a" is listed twice'));
  assert.throws(() => parseCsvDataset('a,y\n1,1\n', 'd.csv', { labelColumn: 'y', featureColumns: [] }), invalid('d.csv: at least one feature column is required'));
});

test('non-numeric values and bad labels name the line and column', () => {
  assert.throws(() => parseCsvDataset('a,b,y\n1,2,0\n1,abc,1\n', 'v.csv', columns), invalid('v.csv line 3, column "b": "abc" is not a finite number'));
  assert.throws(() => parseCsvDataset('a,b,y\n,2,0\n', 'v.csv', columns), invalid('v.csv line 2, column "a": "" is not a finite number'));
  assert.throws(() => parseCsvDataset('a,b,y\n0x10,2,0\n', 'v.csv', columns), invalid('v.csv line 2, column "a": "0x10" is not a finite number'));
  assert.throws(() => parseCsvDataset('a,b,y\nInfinity,2,0\n', 'v.csv', columns), invalid('v.csv line 2, column "a": "Infinity" is not a finite number'));
  assert.throws(() => parseCsvDataset('a,b,y\n1,2,2\n', 'v.csv', columns), invalid('v.csv line 2, column "y": label "2" must be 0 or 1'));
  assert.throws(() => parseCsvDataset('a,b,y\n1,2,yes\n', 'v.csv', columns), invalid('v.csv line 2, column "y": "yes" is not a finite number'));
});

test('errors carry the file, line and column as details', () => {
  assert.throws(
    () => parseCsvDataset('a,b,y\n1,x,0\n', 'v.csv', columns),
    (error: unknown) => error instanceof FedLedgerError && JSON.stringify(error.details) === JSON.stringify({ file: 'v.csv', line: 2, column: 'b' }),
  );
});

test('malformed records are rejected with their line', () => {
  assert.throws(() => parseCsvDataset('a,b,y\n1,2\n', 'm.csv', columns), invalid('m.csv line 2: 2 fields but the header has 3'));
  assert.throws(() => parseCsv('a,b\n"open,1\n', 'm.csv'), invalid('m.csv line 2: a quoted field is never closed'));
  assert.throws(() => parseCsv('a,b\n"x"y,1\n', 'm.csv'), invalid('m.csv line 2: unexpected "y" after a closing quote'));
  assert.throws(() => parseCsv('a,b\nx"y,1\n', 'm.csv'), invalid('m.csv line 2: a quote inside an unquoted field (quote the whole field and double inner quotes)'));
});
