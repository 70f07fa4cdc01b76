import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatNumber, markdownTable } from './table';

test('formatNumber: 3 significant digits, integers above 100, k/M/G for large values', () => {
  assert.equal(formatNumber(0.001234), '0.00123');
  assert.equal(formatNumber(12.345), '12.3');
  assert.equal(formatNumber(3812.4), '3812');
  assert.equal(formatNumber(7), '7');
  assert.equal(formatNumber(33_812), '33.8k');
  assert.equal(formatNumber(113_000_000), '113M');
  assert.equal(formatNumber(2.5e9), '2.50G');
  assert.equal(formatNumber(Number.NaN), 'n/a');
  assert.equal(formatNumber(Number.POSITIVE_INFINITY), 'Infinity');
});

test('markdownTable pads columns and formats numbers', () => {
  assert.equal(
    markdownTable(
      ['a', 'value'],
      [
        ['x', 1.5],
        ['long', 20_000],
      ],
    ),
    ['| a    | value |', '| ---- | ----- |', '| x    | 1.50  |', '| long | 20.0k |'].join('\n'),
  );
});
