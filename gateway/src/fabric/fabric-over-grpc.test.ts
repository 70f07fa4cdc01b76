import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sampleSpec, sampleWeights } from '@fedledger/chaincode/dist/testing';
import { FedLedgerError, sha256Hex, type ConsortiumMember } from '@fedledger/core';
import { FabricConnection } from './fabric-connection';
import { DEFAULT_RETRY_POLICY } from './mvcc-retry';
import { TxValidationCode } from './testing/fake-gateway-peer';
import { startFakeFabric, type FakeFabric } from './testing/fake-fabric';

/**
 * The real FabricConnection / FabricLedgerClient / @hyperledger/fabric-gateway client over TLS gRPC
 * against the Gateway-service double. This shows the code speaks the Gateway protocol as the protos
 * define it — not that it works against a real Fabric peer.
 */
const MEMBERS: ConsortiumMember[] = [
  { mspId: 'Org1MSP', role: 'member' },
  { mspId: 'Org2MSP', role: 'member' },
  { mspId: 'Org3MSP', role: 'member' },
  { mspId: 'AuditorMSP', role: 'auditor' },
];

function rejectsWith(code: string): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof FedLedgerError, `expected a FedLedgerError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  };
}

describe('FabricLedgerClient over gRPC against the fake Gateway peer', () => {
  let fabric: FakeFabric;
  const connections: Record<string, FabricConnection> = {};

  before(async () => {
    fabric = await startFakeFabric();
    for (const mspId of ['Org1MSP', 'Org2MSP', 'Org3MSP', 'AuditorMSP']) {
      connections[mspId] = await FabricConnection.open(fabric.config(mspId));
    }
  });

  after(() => {
    Object.values(connections).forEach((connection) => connection.close());
    fabric.stop();
  });

  const org = (mspId: string) => connections[mspId] as FabricConnection;

  it('runs a whole federation: init, create with transient weights, accept, start, submit, aggregate, download', async () => {
    const consortium = await org('Org1MSP').ledgerFor('admin').initConsortium(MEMBERS);
    assert.deepEqual(consortium.members.map((member) => member.mspId).sort(), ['AuditorMSP', 'Org1MSP', 'Org2MSP', 'Org3MSP']);
    const init = fabric.peer.callsFor('Endorse', 'consortium:InitConsortium');
    assert.deepEqual(init.map((call) => call.caller), [{ mspId: 'Org1MSP', role: 'admin' }]);

    const initial = sampleWeights(0.5);
    const spec = sampleSpec({ id: 'fed-grpc', rounds: 1 });
    const created = await org('Org1MSP').ledgerFor('admin').createFederation(spec, initial);
    assert.equal(created.id, 'fed-grpc');
    await org('Org2MSP').ledgerFor('admin').acceptInvitation('fed-grpc');
    await org('Org3MSP').ledgerFor('admin').acceptInvitation('fed-grpc');
    const started = await org('Org1MSP').ledgerFor('admin').startFederation('fed-grpc');
    assert.equal(started.currentRound, 1);

    const updates: Record<string, Uint8Array> = { Org1MSP: sampleWeights(1), Org2MSP: sampleWeights(2), Org3MSP: sampleWeights(3) };
    for (const [mspId, weights] of Object.entries(updates)) {
      const metadata = await org(mspId).ledgerFor('scientist').submitUpdate({ federationId: 'fed-grpc', round: 1, numSamples: 10, digest: sha256Hex(weights), metrics: { loss: 0.25 } }, weights);
      assert.equal(metadata.mspId, mspId);
      assert.equal(metadata.digest, sha256Hex(weights));
    }
    const version = await org('Org2MSP').ledgerFor('scientist').aggregate('fed-grpc', 1);
    assert.equal(version.version, 1);
    assert.deepEqual(version.contributors.map((contribution) => contribution.mspId).sort(), ['Org1MSP', 'Org2MSP', 'Org3MSP']);

    const global = await org('Org3MSP').ledgerFor('scientist').getGlobalWeights('fed-grpc', 1);
    assert.equal(sha256Hex(global), version.modelHash);
    assert.deepEqual(global, sampleWeights(2), 'FedAvg of 1, 2, 3 with equal sample counts');
    const initialDownload = await org('Org1MSP').ledgerFor('scientist').getGlobalWeights('fed-grpc', 0);
    assert.deepEqual(initialDownload, initial);

    const federation = await org('AuditorMSP').ledgerFor('auditor').getFederation('fed-grpc');
    assert.equal(federation.status, 'completed');
    assert.ok(fabric.peer.channel.blocks.every((block) => block.validationCode === 0));
  });

  it('maps chaincode errors from Evaluate and Endorse to FedLedgerError codes', async () => {
    const admin1 = org('Org1MSP').ledgerFor('admin');
    await assert.rejects(admin1.getFederation('no-such-federation'), rejectsWith('NOT_FOUND'));
    await assert.rejects(admin1.listFederations(0, ''), rejectsWith('INVALID_ARGUMENT'));
    await assert.rejects(org('AuditorMSP').ledgerFor('auditor').getGlobalWeights('fed-grpc', 1), rejectsWith('FORBIDDEN'));
    await assert.rejects(org('Org2MSP').ledgerFor('scientist').createFederation(sampleSpec({ id: 'fed-by-client' }), sampleWeights(1)), rejectsWith('FORBIDDEN'));
    await assert.rejects(org('Org2MSP').ledgerFor('admin').startFederation('fed-grpc'), rejectsWith('FORBIDDEN'));
    await assert.rejects(admin1.initConsortium(MEMBERS), rejectsWith('ALREADY_EXISTS'));
    const spec = sampleSpec({ id: 'fed-errors' });
    await assert.rejects(admin1.createFederation({ ...spec, modelSpec: { ...spec.modelSpec, topologyHash: 'ab'.repeat(32) } }, sampleWeights(1)), rejectsWith('DIGEST_MISMATCH'));
    // The endorse failure names the transaction, so a caller can correlate it with peer logs.
    const failure = await admin1.startFederation('no-such-federation').then(
      () => assert.fail('startFederation of an unknown federation succeeded'),
      (error: unknown) => error as FedLedgerError,
    );
    assert.equal(failure.code, 'NOT_FOUND');
    assert.match(String(failure.details?.['transactionId']), /^[0-9a-f]{64}$/);
  });

  it('retries an injected MVCC_READ_CONFLICT with a fresh endorsement and succeeds', async () => {
    fabric.peer.channel.injectValidationCode(TxValidationCode.MVCC_READ_CONFLICT, 2);
    const evaluation = await org('Org1MSP').ledgerFor('scientist').recordEvaluation('fed-grpc', 1, 20, { accuracy: 0.75 });
    assert.equal(evaluation.mspId, 'Org1MSP');
    const endorsements = fabric.peer.callsFor('Endorse', 'round:RecordEvaluation');
    assert.equal(endorsements.length, 3);
    assert.equal(new Set(endorsements.map((call) => call.txId)).size, 3, 'each attempt is a new proposal with its own tx id');
    const statuses = endorsements.map((call) => fabric.peer.channel.status(call.txId)?.validationCode);
    assert.deepEqual(statuses, [TxValidationCode.MVCC_READ_CONFLICT, TxValidationCode.MVCC_READ_CONFLICT, TxValidationCode.VALID]);
    assert.equal(evaluation.txId, endorsements[2]?.txId);
  });

  it('gives up after the retry bound with CONFLICT, and nothing is committed', async () => {
    fabric.peer.channel.injectValidationCode(TxValidationCode.MVCC_READ_CONFLICT, DEFAULT_RETRY_POLICY.maxAttempts);
    const before = fabric.peer.channel.state.snapshot();
    const endorsedBefore = fabric.peer.callsFor('Endorse', 'round:RecordEvaluation').length;
    await assert.rejects(org('Org2MSP').ledgerFor('scientist').recordEvaluation('fed-grpc', 1, 10, { accuracy: 0.5 }), (error: unknown) => {
      rejectsWith('CONFLICT')(error);
      assert.equal((error as FedLedgerError).details?.['status'], 'MVCC_READ_CONFLICT');
      return true;
    });
    assert.equal(fabric.peer.callsFor('Endorse', 'round:RecordEvaluation').length - endorsedBefore, DEFAULT_RETRY_POLICY.maxAttempts);
    assert.deepEqual(fabric.peer.channel.state.snapshot(), before);
  });

  it('does not retry other commit failures', async () => {
    fabric.peer.channel.injectValidationCode(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    const endorsedBefore = fabric.peer.callsFor('Endorse', 'round:RecordEvaluation').length;
    await assert.rejects(org('Org2MSP').ledgerFor('scientist').recordEvaluation('fed-grpc', 1, 10, { accuracy: 0.5 }), (error: unknown) => {
      rejectsWith('INTERNAL')(error);
      assert.equal((error as FedLedgerError).details?.['status'], 'ENDORSEMENT_POLICY_FAILURE');
      return true;
    });
    assert.equal(fabric.peer.callsFor('Endorse', 'round:RecordEvaluation').length - endorsedBefore, 1);
    // Not committed, so the same evaluation can still be recorded.
    const evaluation = await org('Org2MSP').ledgerFor('scientist').recordEvaluation('fed-grpc', 1, 10, { accuracy: 0.5 });
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
    await fabric.peer.until(() => fabric.peer.callsFor('Submit', 'federation:CancelFederation').length - submitsBefore === 2);
    release();
    const results = await Promise.allSettled([first, second]);
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    assert.equal(fulfilled.length, 1);
    assert.equal(rejected.length, 1);
    // The retry re-endorsed against the committed cancellation, and the chaincode refused it.
    rejectsWith('FAILED_PRECONDITION')(rejected[0]?.reason);
    const cancellations = fabric.peer.callsFor('Endorse', 'federation:CancelFederation');
    assert.deepEqual(
      cancellations.map((call) => fabric.peer.channel.status(call.txId)?.validationCode ?? 'not committed').sort(),
      [TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT, 'not committed'].sort(),
    );
  });

  it('retries a phantom read: two invited orgs accepting at once both join', async () => {
    await org('Org1MSP').ledgerFor('admin').createFederation(sampleSpec({ id: 'fed-phantom' }), sampleWeights(1));
    const acceptsBefore = fabric.peer.callsFor('Submit', 'federation:AcceptInvitation').length;
    const endorsementsBefore = fabric.peer.callsFor('Endorse', 'federation:AcceptInvitation').length;
    const release = fabric.peer.holdSubmits();
    // Each acceptance scans the federation's participant keys and adds its own key to that range.
    const both = Promise.all([org('Org2MSP').ledgerFor('admin').acceptInvitation('fed-phantom'), org('Org3MSP').ledgerFor('admin').acceptInvitation('fed-phantom')]);
    await fabric.peer.until(() => fabric.peer.callsFor('Submit', 'federation:AcceptInvitation').length - acceptsBefore === 2);
    release();
    await both;
    const codes = fabric.peer
      .callsFor('Endorse', 'federation:AcceptInvitation')
      .slice(endorsementsBefore)
      .map((call) => fabric.peer.channel.status(call.txId)?.validationCode);
    assert.deepEqual(codes.sort(), [TxValidationCode.VALID, TxValidationCode.VALID, TxValidationCode.PHANTOM_READ_CONFLICT].sort());
    const federation = await org('Org1MSP').ledgerFor('auditor').getFederation('fed-phantom');
    assert.deepEqual(federation.participants, ['Org1MSP', 'Org2MSP', 'Org3MSP']);
  });

  it('every other LedgerApi method round-trips through the shim\'s argument and result marshalling', async () => {
    // Runs after the lifecycle test: fed-grpc has version 1 and Org1/Org2 evaluations.
    const admin1 = org('Org1MSP').ledgerFor('admin');
    const auditor = org('AuditorMSP').ledgerFor('auditor');
    assert.deepEqual((await admin1.listUpdates('fed-grpc', 1)).map((update) => update.mspId), ['Org1MSP', 'Org2MSP', 'Org3MSP']);
    const versions = await admin1.listModelVersions('fed-grpc');
    assert.deepEqual(versions.map((version) => version.version), [0, 1]);
    await admin1.approveModel('fed-grpc', 1);
    const approved = await org('Org2MSP').ledgerFor('admin').approveModel('fed-grpc', 1);
    assert.deepEqual([approved.approvals, approved.deployed], [['Org1MSP', 'Org2MSP'], true]);
    const receipt = await org('Org3MSP').ledgerFor('scientist').recordPrediction({ federationId: 'fed-grpc', version: 1, inputHash: 'a'.repeat(64), outputHash: 'b'.repeat(64), count: 3 });
    assert.deepEqual([receipt.requesterMsp, receipt.count, receipt.modelHash], ['Org3MSP', 3, versions[1]?.modelHash]);
    const verification = await auditor.verifyModelHash(versions[1]?.modelHash as string);
    assert.deepEqual([verification.found, verification.federationId, verification.version], [true, 'fed-grpc', 1]);
    const firstPage = await auditor.listTimeline('fed-grpc', 2, '');
    assert.equal(firstPage.items.length, 2);
    const secondPage = await auditor.listTimeline('fed-grpc', 2, firstPage.bookmark);
    assert.notDeepEqual(secondPage.items[0], firstPage.items[0]);
    assert.ok((await auditor.listConsortiumTimeline(10, '')).items.some((entry) => entry.action === 'InitConsortium'));
    const history = await auditor.getKeyHistory('fl.federation', ['fed-grpc']);
    assert.ok(history.length >= 2);
    assert.ok(history.every((entry) => /^[0-9a-f]{64}$/.test(entry.txId)));
    const proposal = await admin1.proposeRoleChange('AuditorMSP', 'member');
    assert.deepEqual([proposal.status, proposal.approvals], ['open', ['Org1MSP']]);
    assert.equal((await auditor.getRoleChange(proposal.id)).id, proposal.id);
    const applied = await org('Org2MSP').ledgerFor('admin').approveRoleChange(proposal.id);
    assert.equal(applied.status, 'applied');
    assert.equal((await auditor.getConsortium()).members.find((member) => member.mspId === 'AuditorMSP')?.role, 'member');
  });
});
