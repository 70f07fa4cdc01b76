import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attackedScenario, tamperFor } from './attacks';
import { holdOutValidation } from './coalition-utilities';
import type { Scenario } from './scenario';

const global = new Float32Array([1, 2]);
const trained = new Float32Array([1.5, 1]);

test('sign-flip ×10 reverses and scales the attacker’s step; honest orgs pass through', () => {
  const tamper = tamperFor('sign-flip-x10', [0]);
  assert.ok(tamper);
  assert.deepEqual(tamper(0, 1, trained, global), new Float32Array([1 - 5, 2 + 10]));
  assert.equal(tamper(1, 1, trained, global), trained);
});

test('free rider returns the global model; noise is seeded per round and org; none and label-flip need no hook', () => {
  assert.deepEqual(tamperFor('free-rider', [0])?.(0, 1, trained, global), global);
  const noise = tamperFor('gaussian-noise', [0]);
  assert.deepEqual(noise?.(0, 2, trained, global), noise?.(0, 2, trained, global));
  assert.notDeepEqual(noise?.(0, 2, trained, global), noise?.(0, 3, trained, global));
  assert.equal(tamperFor('none', [0]), undefined);
  assert.equal(tamperFor('label-flip', [0]), undefined);
});

function tinyScenario(): Scenario {
  const org = (mspId: string, labels: number[]) => ({
    mspId,
    features: new Float32Array(labels.length).map((_, i) => i),
    labels: new Float32Array(labels),
  });
  return {
    orgs: [org('Org1MSP', [1, 0, 1, 1, 0]), org('Org2MSP', [0, 0, 1, 0, 1])],
    numFeatures: 1,
  } as unknown as Scenario;
}

test('label flipping changes only the attackers’ labels', () => {
  const flipped = attackedScenario(tinyScenario(), 'label-flip', [0]);
  assert.deepEqual([...(flipped.orgs[0]?.labels ?? [])], [0, 1, 0, 0, 1]);
  assert.deepEqual([...(flipped.orgs[1]?.labels ?? [])], [0, 0, 1, 0, 1]);
  assert.equal(attackedScenario(tinyScenario(), 'sign-flip-x10', [0]).orgs[0]?.labels[0], 1);
});

test('validation hold-out: the last fifth of each share, pooled in org order', () => {
  const { scenario, pooled } = holdOutValidation(tinyScenario(), 0.2);
  assert.deepEqual(
    scenario.orgs.map((o) => o.labels.length),
    [4, 4],
  );
  assert.deepEqual([...pooled.labels], [0, 1]);
  assert.deepEqual([...pooled.features], [4, 4]);
});
