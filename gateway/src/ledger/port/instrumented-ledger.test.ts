import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FedLedgerError, type LedgerApi } from '@fedledger/core';
import { instrumentLedger } from './instrumented-ledger';

describe('instrumentLedger', () => {
  it('reports each call with its method and outcome and passes results and errors through', async () => {
    const observed: Array<[string, string]> = [];
    const fake = {
      getConsortium: () => Promise.resolve({ members: [] }),
      getFederation: () => Promise.reject(new FedLedgerError('NOT_FOUND', 'no')),
      aggregate: () => Promise.reject(new Error('boom')),
    } as unknown as LedgerApi;
    const ledger = instrumentLedger(fake, (method, seconds, outcome) => {
      assert.ok(seconds >= 0);
      observed.push([method, outcome]);
    });
    assert.deepEqual(await ledger.getConsortium(), { members: [] });
    await assert.rejects(ledger.getFederation('f'), /NOT_FOUND/);
    await assert.rejects(ledger.aggregate('f', 1), /boom/);
    assert.deepEqual(observed, [
      ['getConsortium', 'ok'],
      ['getFederation', 'NOT_FOUND'],
      ['aggregate', 'INTERNAL'],
    ]);
  });
});
