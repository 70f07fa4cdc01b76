import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SAMPLE_MEMBERS, rejectedWith, sampleSpec, sampleWeights } from '@fedledger/simulator';
import { type FedLedgerError, sha256Hex } from '@fedledger/core';
import { FabricConnection } from './fabric-connection';
import { DEFAULT_RETRY_POLICY } from './mvcc-retry';
import { TxValidationCode } from '@fedledger/simulator/fabric-peer';
import { startFakeFabric, type FakeFabric } from '../../testing/fake-fabric';

/**
 * The real FabricConnection / FabricLedgerClient / @hyperledger/fabric-gateway client over TLS gRPC
 * against the Gateway-service double, for what a live network cannot be made to do on demand:
 * commit failures injected by validation code, and two transactions held between endorsement and
 * commit so that they really conflict. The normal paths (lifecycle, every call, error codes) run
 * against real Fabric in test/src/fabric-network.e2e.test.ts.
 */
describe('FabricLedgerClient over gRPC against the fake Gateway peer', () => {
  let fabric: FakeFabric;
  const connections: Record<string, FabricConnection> = {};

  before(async () => {
    fabric = await startFakeFabric();
    for (const mspId of ['Org1MSP', 'Org2MSP', 'Org3MSP', 'AuditorMSP']) {
      connections[mspId] = await FabricConnection.open(fabric.config(mspId));
    }
    await federationWithOneVersion();
  });

  after(() => {
    Object.values(connections).forEach((connection) => {
      connection.close();
    });
    fabric.stop();
  });

  const org = (mspId: string) => connections[mspId];

  /** The state the fault tests act on: federation fed-grpc with global version 1. */
  async function federationWithOneVersion(): Promise<void> {
    await org('Org1MSP').ledgerFor('admin').initConsortium(SAMPLE_MEMBERS);
    await org('Org1MSP')
      .ledgerFor('admin')
      .createFederation(sampleSpec({ id: 'fed-grpc', rounds: 1 }), sampleWeights(0.5));
    await org('Org2MSP').ledgerFor('admin').acceptInvitation('fed-grpc');
    await org('Org3MSP').ledgerFor('admin').acceptInvitation('fed-grpc');
    await org('Org1MSP').ledgerFor('admin').startFederation('fed-grpc');
    for (const [mspId, value] of [
      ['Org1MSP', 1],
      ['Org2MSP', 2],
      ['Org3MSP', 3],
    ] as const) {
      const weights = sampleWeights(value);
      await org(mspId)
        .ledgerFor('scientist')
        .submitUpdate(
          {
            federationId: 'fed-grpc',
            round: 1,
            numSamples: 10,
            digest: sha256Hex(weights),
            metrics: { loss: 0.25 },
          },
          weights,
        );
    }
    await org('Org2MSP').ledgerFor('scientist').aggregate('fed-grpc', 1);
  }

  it('retries an injected MVCC_READ_CONFLICT with a fresh endorsement and succeeds', async () => {
    fabric.peer.channel.injectValidationCode(TxValidationCode.MVCC_READ_CONFLICT, 2);
    const evaluation = await org('Org1MSP')
      .ledgerFor('scientist')
      .recordEvaluation('fed-grpc', 1, 20, { accuracy: 0.75 });
    assert.equal(evaluation.mspId, 'Org1MSP');
    const endorsements = fabric.peer.callsFor('Endorse', 'round:RecordEvaluation');
    assert.equal(endorsements.length, 3);
    assert.equal(
      new Set(endorsements.map((call) => call.txId)).size,
      3,
      'each attempt is a new proposal with its own tx id',
    );
    const statuses = endorsements.map(
      (call) => fabric.peer.channel.status(call.txId)?.validationCode,
    );
    assert.deepEqual(statuses, [
      TxValidationCode.MVCC_READ_CONFLICT,
      TxValidationCode.MVCC_READ_CONFLICT,
      TxValidationCode.VALID,
    ]);
    assert.equal(evaluation.txId, endorsements[2]?.txId);
  });

  it('gives up after the retry bound with CONFLICT, and nothing is committed', async () => {
    fabric.peer.channel.injectValidationCode(
      TxValidationCode.MVCC_READ_CONFLICT,
      DEFAULT_RETRY_POLICY.maxAttempts,
    );
    const before = fabric.peer.channel.state.snapshot();
    const endorsedBefore = fabric.peer.callsFor('Endorse', 'round:RecordEvaluation').length;
    await assert.rejects(
      org('Org2MSP').ledgerFor('scientist').recordEvaluation('fed-grpc', 1, 10, { accuracy: 0.5 }),
      (error: unknown) => {
        rejectedWith('CONFLICT')(error);
        assert.equal((error as FedLedgerError).details?.['status'], 'MVCC_READ_CONFLICT');
        return true;
      },
    );
    assert.equal(
      fabric.peer.callsFor('Endorse', 'round:RecordEvaluation').length - endorsedBefore,
      DEFAULT_RETRY_POLICY.maxAttempts,
    );
    assert.deepEqual(fabric.peer.channel.state.snapshot(), before);
  });

  it('does not retry other commit failures', async () => {
    fabric.peer.channel.injectValidationCode(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    const endorsedBefore = fabric.peer.callsFor('Endorse', 'round:RecordEvaluation').length;
    await assert.rejects(
      org('Org2MSP').ledgerFor('scientist').recordEvaluation('fed-grpc', 1, 10, { accuracy: 0.5 }),
      (error: unknown) => {
        rejectedWith('INTERNAL')(error);
        assert.equal((error as FedLedgerError).details?.['status'], 'ENDORSEMENT_POLICY_FAILURE');
        return true;
      },
    );
    assert.equal(
      fabric.peer.callsFor('Endorse', 'round:RecordEvaluation').length - endorsedBefore,
      1,
    );
    // Not committed, so the same evaluation can still be recorded.
    const evaluation = await org('Org2MSP')
      .ledgerFor('scientist')
      .recordEvaluation('fed-grpc', 1, 10, { accuracy: 0.5 });
    assert.equal(evaluation.mspId, 'Org2MSP');
  });

  it('a real read conflict between two endorsed transactions: the loser re-executes on the new state', async () => {
    const admin1 = org('Org1MSP').ledgerFor('admin');
    await admin1.createFederation(sampleSpec({ id: 'fed-race' }), sampleWeights(1));
    await org('Org2MSP').ledgerFor('admin').acceptInvitation('fed-race');
    const release = fabric.peer.holdSubmits();
    const submitsBefore = fabric.peer.callsFor('Submit', 'federation:CancelFederation').length;
    // Both cancellations read the federation record before either commits.
    const first = admin1.cancelFederation('fed-race', 'first');
    const second = admin1.cancelFederation('fed-race', 'second');
    await fabric.peer.until(
      () =>
        fabric.peer.callsFor('Submit', 'federation:CancelFederation').length - submitsBefore === 2,
    );
    release();
    const results = await Promise.allSettled([first, second]);
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter(
      (result): result is PromiseRejectedResult => result.status === 'rejected',
    );
    assert.equal(fulfilled.length, 1);
    assert.equal(rejected.length, 1);
    // The retry re-endorsed against the committed cancellation, and the chaincode refused it.
    rejectedWith('FAILED_PRECONDITION')(rejected[0]?.reason);
    const cancellations = fabric.peer.callsFor('Endorse', 'federation:CancelFederation');
    assert.deepEqual(
      cancellations
        .map((call) => fabric.peer.channel.status(call.txId)?.validationCode ?? 'not committed')
        .sort(),
      [TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT, 'not committed'].sort(),
    );
  });

  it('retries a phantom read: two invited orgs accepting at once both join', async () => {
    await org('Org1MSP')
      .ledgerFor('admin')
      .createFederation(sampleSpec({ id: 'fed-phantom' }), sampleWeights(1));
    const acceptsBefore = fabric.peer.callsFor('Submit', 'federation:AcceptInvitation').length;
    const endorsementsBefore = fabric.peer.callsFor(
      'Endorse',
      'federation:AcceptInvitation',
    ).length;
    const release = fabric.peer.holdSubmits();
    // Each acceptance scans the federation's participant keys and adds its own key to that range.
    const both = Promise.all([
      org('Org2MSP').ledgerFor('admin').acceptInvitation('fed-phantom'),
      org('Org3MSP').ledgerFor('admin').acceptInvitation('fed-phantom'),
    ]);
    await fabric.peer.until(
      () =>
        fabric.peer.callsFor('Submit', 'federation:AcceptInvitation').length - acceptsBefore === 2,
    );
    release();
    await both;
    const codes = fabric.peer
      .callsFor('Endorse', 'federation:AcceptInvitation')
      .slice(endorsementsBefore)
      .map((call) => fabric.peer.channel.status(call.txId)?.validationCode);
    assert.deepEqual(
      codes.sort(),
      [
        TxValidationCode.VALID,
        TxValidationCode.VALID,
        TxValidationCode.PHANTOM_READ_CONFLICT,
      ].sort(),
    );
    const federation = await org('Org1MSP').ledgerFor('auditor').getFederation('fed-phantom');
    assert.deepEqual(federation.participants, ['Org1MSP', 'Org2MSP', 'Org3MSP']);
  });
});
