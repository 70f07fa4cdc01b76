import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJsonBytes } from './canonical-json';
import { decodeLedgerEvent, EVENT, eventFederationId } from './ledger-events';

test('decodeLedgerEvent: a known event keeps its payload, typed by its name, with the transport txId', () => {
  const body = {
    federationId: 'f',
    round: 2,
    version: 2,
    modelHash: 'h',
    nextRound: 3,
    completed: false,
    deadline: '2026-01-01T00:00:00.000Z',
    participants: ['Org1MSP'],
  };
  const event = decodeLedgerEvent(EVENT.RoundAggregated, canonicalJsonBytes(body), 'tx1', 7n);
  assert.ok(event !== undefined && event.name === EVENT.RoundAggregated);
  // Narrowed by the name: no cast needed to read the round's fields.
  assert.equal(event.payload.deadline, body.deadline);
  assert.deepEqual(event.payload, { ...body, txId: 'tx1' });
  assert.equal(event.blockNumber, 7n);
  assert.equal(eventFederationId(event), 'f');
});

test('decodeLedgerEvent: unknown names and payloads that are not JSON objects are skipped', () => {
  assert.equal(decodeLedgerEvent('SomethingNew', canonicalJsonBytes({}), 'tx', 1n), undefined);
  assert.equal(
    decodeLedgerEvent(EVENT.RoundOpened, new TextEncoder().encode('not json'), 'tx', 1n),
    undefined,
  );
  assert.equal(
    decodeLedgerEvent(EVENT.RoundOpened, canonicalJsonBytes([1, 2]), 'tx', 1n),
    undefined,
  );
  assert.equal(
    decodeLedgerEvent(EVENT.RoundOpened, new TextEncoder().encode('null'), 'tx', 1n),
    undefined,
  );
});

test('eventFederationId: undefined for consortium-wide events', () => {
  const event = decodeLedgerEvent(
    EVENT.ConsortiumInitialized,
    canonicalJsonBytes({ members: [] }),
    'tx',
    1n,
  );
  assert.ok(event !== undefined);
  assert.equal(eventFederationId(event), undefined);
});
