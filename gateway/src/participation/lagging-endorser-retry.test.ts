import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FedLedgerError } from '@fedledger/core';
import { retryWhileEndorserLags } from './lagging-endorser-retry';

const noSleep = async (): Promise<void> => undefined;

test('retries ROUND_NOT_OPEN until an endorser has caught up', async () => {
  let calls = 0;
  const retries: number[] = [];
  const result = await retryWhileEndorserLags(
    async () => {
      calls++;
      if (calls < 3) throw new FedLedgerError('ROUND_NOT_OPEN', 'round 1 is not open yet');
      return 'submitted';
    },
    (attempt) => retries.push(attempt),
    [1, 1, 1],
    noSleep,
  );
  assert.equal(result, 'submitted');
  assert.equal(calls, 3);
  assert.deepEqual(retries, [1, 2]);
});

test('gives up after the last delay with the refusal itself', async () => {
  let calls = 0;
  await assert.rejects(
    retryWhileEndorserLags(
      async () => {
        calls++;
        throw new FedLedgerError('ROUND_NOT_OPEN', 'still not open');
      },
      () => undefined,
      [1, 1],
      noSleep,
    ),
    { code: 'ROUND_NOT_OPEN', message: /still not open/ },
  );
  assert.equal(calls, 3);
});

test('never retries other errors (a closed round, a bad update)', async () => {
  for (const code of ['ROUND_CLOSED', 'INVALID_ARGUMENT', 'LEDGER_UNAVAILABLE'] as const) {
    let calls = 0;
    await assert.rejects(
      retryWhileEndorserLags(
        async () => {
          calls++;
          throw new FedLedgerError(code, 'no');
        },
        () => undefined,
        [1, 1],
        noSleep,
      ),
      { code },
    );
    assert.equal(calls, 1, code);
  }
});
