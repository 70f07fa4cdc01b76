import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roundMarkFromLog } from './fabric-run-result';

test('roundMarkFromLog: the start line is round 0, each "round r/R aggregated" line is round r', () => {
  let reads = 0;
  const bytes = (): number => 1000 + ++reads;
  assert.deepEqual(
    roundMarkFromLog(
      'Org1MSP started the federation; participation is automatic from here (gateways react to ledger events)',
      5,
      bytes,
    ),
    { round: 0, t: 5, loBytes: 1001 },
  );
  assert.deepEqual(
    roundMarkFromLog('round 3/5 aggregated in 4.2s → global accuracy 71.0%, model 0123…', 9, bytes),
    { round: 3, t: 9, loBytes: 1002 },
  );
});

test('roundMarkFromLog ignores other lines and does not read the counter for them', () => {
  const bytes = (): number => assert.fail('the counter must not be read');
  assert.equal(
    roundMarkFromLog('  round 2 · Org1MSP epoch 1/2 done (30 batches, loss 0.512)', 1, bytes),
    undefined,
  );
  assert.equal(
    roundMarkFromLog('Org2MSP accepted the invitation with its dataset "readmissions"', 1, bytes),
    undefined,
  );
});
