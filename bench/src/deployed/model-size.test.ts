import assert from 'node:assert/strict';
import { test } from 'node:test';
import { presetParamCount } from '@fedledger/gateway/training';
import { modelSizeFor, parseParamList, perSize } from './model-size';

test('modelSizeFor picks the 12→h→h→1 MLP nearest the target: 993 units for 1M, as §2 and §0c use', () => {
  const size = modelSizeFor(1_000_000, 12);
  assert.deepEqual(size.hiddenUnits, [993, 993]);
  assert.equal(size.params, 1_000_945);
  assert.equal(
    size.params,
    presetParamCount({ preset: 'mlp', inputDim: 12, hiddenUnits: [993, 993] }),
  );
});

test('modelSizeFor lands within one unit step of the target, on either side', () => {
  for (const target of [300_000, 5_000_000]) {
    const size = modelSizeFor(target, 12);
    const h = size.hiddenUnits[0];
    const at = (units: number): number =>
      presetParamCount({ preset: 'mlp', inputDim: 12, hiddenUnits: [units, units] });
    assert.ok(
      Math.abs(size.params - target) <= Math.abs(at(h - 1) - target) &&
        Math.abs(size.params - target) <= Math.abs(at(h + 1) - target),
      `${target}: ${h} units, ${size.params} params`,
    );
  }
});

test('modelSizeFor refuses a size that is not a positive integer', () => {
  assert.throws(() => modelSizeFor(0, 12), /positive integer/);
  assert.throws(() => modelSizeFor(1.5, 12), /positive integer/);
});

test('parseParamList reads plain counts and k/M suffixes, and refuses anything else', () => {
  assert.deepEqual(parseParamList('1000000,5000000'), [1_000_000, 5_000_000]);
  assert.deepEqual(parseParamList('1M, 5m,300k'), [1_000_000, 5_000_000, 300_000]);
  assert.deepEqual(parseParamList('2.5M'), [2_500_000]);
  assert.throws(() => parseParamList('1G'), /not a positive parameter count/);
  assert.throws(() => parseParamList('0'), /not a positive parameter count/);
  assert.throws(() => parseParamList(' , '), /at least one size/);
});

test('perSize repeats one value for every size or takes exactly one per size', () => {
  assert.deepEqual(perSize('3', 2, 'epochs'), [3, 3]);
  assert.deepEqual(perSize('3,1', 2, 'epochs'), [3, 1]);
  assert.throws(() => perSize('3,1,1', 2, 'epochs'), /one per size \(2\), got 3/);
  assert.throws(() => perSize('0', 1, 'rows'), /--rows: positive integers/);
});
