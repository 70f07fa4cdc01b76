import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tailLines } from './network';

test('tailLines keeps the last non-empty lines', () => {
  assert.equal(tailLines('a\n\nb\nc\n\n', 2), 'b\nc');
  assert.equal(tailLines('only\n', 5), 'only');
  assert.equal(tailLines('', 3), '');
});
