import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, FedLedgerError, isFedLedgerError, parseErrorCode } from './errors';

test('FedLedgerError prefixes its message with the code and keeps the reason and details', () => {
  const error = new FedLedgerError('SHAPE_MISMATCH', 'tensor 0 differs', { tensor: 0 });
  assert.equal(error.message, 'SHAPE_MISMATCH: tensor 0 differs');
  assert.equal(error.reason, 'tensor 0 differs');
  assert.equal(error.name, 'FedLedgerError');
  assert.deepEqual(error.details, { tensor: 0 });
  assert.ok(isFedLedgerError(error));
  assert.ok(!isFedLedgerError(new Error('SHAPE_MISMATCH: x')));
});

test('parseErrorCode recovers a known code from wrapped chaincode text', () => {
  assert.deepEqual(parseErrorCode('chaincode response 500, NOT_FOUND: federation fed-1'), {
    code: 'NOT_FOUND',
    reason: 'federation fed-1',
  });
  for (const code of ERROR_CODES) {
    assert.equal(parseErrorCode(new FedLedgerError(code, 'why').message)?.code, code);
  }
});

test('parseErrorCode ignores unknown codes and plain text', () => {
  assert.equal(parseErrorCode('SOMETHING_ELSE: x'), undefined);
  assert.equal(parseErrorCode('no code here'), undefined);
});

test('parseErrorCode looks past gRPC status prefixes to the chaincode code', () => {
  assert.deepEqual(
    parseErrorCode('10 ABORTED: failed to endorse: chaincode response 500, QUORUM_NOT_MET: 1 of 2'),
    {
      code: 'QUORUM_NOT_MET',
      reason: '1 of 2',
    },
  );
  // gRPC's INTERNAL status shares its name with our INTERNAL code: the numbered prefix is not ours.
  assert.deepEqual(
    parseErrorCode('13 INTERNAL: endorse: chaincode response 500, NOT_FOUND: federation fed-1'),
    {
      code: 'NOT_FOUND',
      reason: 'federation fed-1',
    },
  );
  assert.equal(parseErrorCode('2 UNKNOWN: nothing known here'), undefined);
  assert.equal(parseErrorCode('13 INTERNAL: peer crashed'), undefined);
});
