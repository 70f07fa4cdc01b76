import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FedLedgerError, canonicalJsonBytes, sha256Hex } from '@fedledger/core';
import { auditEntryRecord } from './audit-entry';
import { federationRecord } from './federation';
import { predictionRecord } from './prediction';
import { marshal, unmarshal } from './record';
import { roundRecord } from './round';

const KEY = '\u0000fl.round\u0000fed-1\u0000000001\u0000';

function rejects(run: () => unknown, pattern: RegExp): void {
  assert.throws(
    run,
    (error: unknown) =>
      error instanceof FedLedgerError && error.code === 'INTERNAL' && pattern.test(error.message),
  );
}

test('marshal is canonical JSON and unmarshal round-trips', () => {
  const round = {
    federationId: 'fed-1',
    round: 1,
    status: 'open' as const,
    openedAt: 't',
    deadline: 'd',
  };
  const bytes = marshal(roundRecord, round);
  assert.equal(
    new TextDecoder().decode(bytes),
    '{"deadline":"d","federationId":"fed-1","openedAt":"t","round":1,"status":"open"}',
  );
  assert.deepEqual(JSON.parse(JSON.stringify(unmarshal(roundRecord, bytes, KEY))), round);
});

test('unmarshal rejects stored data that is not exactly the record type, as INTERNAL naming the key', () => {
  rejects(
    () => unmarshal(roundRecord, new TextEncoder().encode('{nope'), KEY),
    /stored round at fl\.round\/fed-1\/000001 is not JSON/,
  );
  rejects(() => unmarshal(roundRecord, new Uint8Array([0xff, 0xfe]), KEY), /is not JSON/);
  rejects(() => unmarshal(roundRecord, canonicalJsonBytes([1]), KEY), /must be a JSON object/);
  rejects(
    () =>
      unmarshal(
        roundRecord,
        canonicalJsonBytes({
          federationId: 'f',
          round: 0,
          status: 'open',
          openedAt: 't',
          deadline: 'd',
        }),
        KEY,
      ),
    /round must be at least 1/,
  );
  rejects(
    () =>
      unmarshal(
        roundRecord,
        canonicalJsonBytes({
          federationId: 'f',
          round: 1,
          status: 'done',
          openedAt: 't',
          deadline: 'd',
        }),
        KEY,
      ),
    /status must be one of/,
  );
  rejects(
    () =>
      unmarshal(
        roundRecord,
        canonicalJsonBytes({
          federationId: 'f',
          round: 1,
          status: 'open',
          openedAt: 't',
          deadline: 'd',
          extra: 1,
        }),
        KEY,
      ),
    /unknown field\(s\): extra/,
  );
  rejects(
    () =>
      unmarshal(
        roundRecord,
        canonicalJsonBytes({ federationId: 'f', round: 1, status: 'open', openedAt: 't' }),
        KEY,
      ),
    /deadline is required/,
  );
  const receipt = {
    federationId: 'f',
    version: 1,
    modelHash: sha256Hex('m'),
    inputHash: sha256Hex('i'),
    outputHash: 'xyz',
    count: 1,
    requesterMsp: 'O',
    requesterId: 'i',
    recordedAt: 't',
    txId: 'x',
  };
  rejects(
    () => unmarshal(predictionRecord, canonicalJsonBytes(receipt), KEY),
    /outputHash must be 64 lowercase hex/,
  );
  const audit = {
    txId: 't',
    timestamp: 't',
    actorMsp: 'O',
    actorId: 'i',
    action: 'A',
    target: 'x',
    details: [1],
  };
  rejects(
    () => unmarshal(auditEntryRecord, canonicalJsonBytes(audit), KEY),
    /details must be an object/,
  );
});

test('a stored federation with bad shapes, a bad strategy or a bad feature scaling is INTERNAL', () => {
  const topology = '{}';
  const federation = {
    id: 'fed-1',
    name: 'n',
    modelSpec: { format: 'tfjs-layers', topology, topologyHash: sha256Hex(topology) },
    featureColumns: ['a'],
    labelColumn: 'y',
    hyperParameters: { epochs: 1, batchSize: 1, learningRate: 0.1 },
    strategy: { name: 'fedavg' },
    invitedOrgs: [],
    minParticipants: 1,
    roundDeadlineSeconds: 1,
    rounds: 1,
    maxUpdateBytes: 10,
    creatorMsp: 'O',
    status: 'pending',
    currentRound: 0,
    weightShapes: [[1]],
    paramCount: 1,
    initialModelHash: sha256Hex('w'),
    createdAt: 't',
    txId: 'x',
  };
  assert.equal(unmarshal(federationRecord, canonicalJsonBytes(federation), KEY).id, 'fed-1');
  rejects(
    () =>
      unmarshal(federationRecord, canonicalJsonBytes({ ...federation, weightShapes: [[-1]] }), KEY),
    /weightShapes \[0\] must be an array of non-negative integers/,
  );
  rejects(
    () =>
      unmarshal(
        federationRecord,
        canonicalJsonBytes({ ...federation, strategy: { name: 'nope' } }),
        KEY,
      ),
    /strategy/,
  );
  const scaled = { ...federation, featureScaling: { center: [1], scale: [2] } };
  assert.deepEqual(unmarshal(federationRecord, canonicalJsonBytes(scaled), KEY).featureScaling, {
    center: [1],
    scale: [2],
  });
  rejects(
    () =>
      unmarshal(
        federationRecord,
        canonicalJsonBytes({ ...federation, featureScaling: { center: [1], scale: [0] } }),
        KEY,
      ),
    /featureScaling\.scale\[0\] must be greater than 0/,
  );
});
