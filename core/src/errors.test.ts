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
