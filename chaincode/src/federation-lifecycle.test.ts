import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENT, decodeFlat, sha256Hex, type LedgerEvent } from '@fedledger/core';
import {
  ManualClock,
  SAMPLE_ORGS,
  sampleConsortium,
  sampleSpec,
  sampleWeights,
} from './test-support';

test('a whole federation: create, accept, start, two rounds, evaluate, approve, predict, verify, audit', async () => {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  const { world, admin, client } = await sampleConsortium({ clock });
  const delivered: LedgerEvent[] = [];
  const subscription = await world.eventSource().listen((event) => {
    delivered.push(event);
    return Promise.resolve();
  });

  const initial = sampleWeights(0);
  const created = await admin.org1.createFederation(
    sampleSpec({ invitedOrgs: [SAMPLE_ORGS.org2, SAMPLE_ORGS.org3] }),
    initial,
  );
  assert.equal(created.status, 'pending');
  assert.deepEqual(created.participants, [SAMPLE_ORGS.org1]);
  assert.deepEqual(created.weightShapes, [[2, 2], [2]]);
  assert.equal(created.paramCount, 6);
  assert.equal(created.initialModelHash, sha256Hex(initial));

  const accepted = await admin.org2.acceptInvitation('fed-1');
  assert.deepEqual(accepted.participants, [SAMPLE_ORGS.org1, SAMPLE_ORGS.org2]);
  const started = await client.org1.startFederation('fed-1');
  assert.equal(started.status, 'running');
  assert.equal(started.currentRound, 1);

  // Round 1: both participants submit; FedAvg weighted 1:3 gives 0.25·1 + 0.75·3 = 2.5 everywhere.
  const w1 = sampleWeights(1);
  const w3 = sampleWeights(3);
  const update1 = await client.org1.submitUpdate(
    {
      federationId: 'fed-1',
      round: 1,
      numSamples: 10,
      digest: sha256Hex(w1),
      metrics: { loss: 0.5 },
    },
    w1,
  );
  assert.equal(update1.norm, Math.sqrt(6));
  await client.org2.submitUpdate(
    {
      federationId: 'fed-1',
      round: 1,
      numSamples: 30,
      digest: sha256Hex(w3),
      metrics: { loss: 0.4 },
    },
    w3,
  );
  assert.deepEqual((await client.org3.getRound('fed-1', 1)).submitted, [
    SAMPLE_ORGS.org1,
    SAMPLE_ORGS.org2,
  ]);

  const v1 = await client.org2.aggregate('fed-1', 1);
  assert.equal(v1.version, 1);
  assert.equal(v1.parentHash, sha256Hex(initial));
  assert.deepEqual(
    v1.contributors.map((c) => [c.mspId, c.accepted, c.weight]),
    [
      [SAMPLE_ORGS.org1, true, 0.25],
      [SAMPLE_ORGS.org2, true, 0.75],
    ],
  );
  const globalBytes = await client.org1.getGlobalWeights('fed-1', 1);
  assert.equal(sha256Hex(globalBytes), v1.modelHash);
  assert.deepEqual([...decodeFlat(globalBytes).flat], [2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
  const round1 = await client.org1.getRound('fed-1', 1);
  assert.equal(round1.status, 'aggregated');
  assert.equal(round1.modelVersion, 1);

  await client.org1.recordEvaluation('fed-1', 1, 50, { accuracy: 0.8 });
  await client.org2.recordEvaluation('fed-1', 1, 70, { accuracy: 0.9 });

  // Round 2 (last): completes the federation.
  const round2 = await client.org1.getRound('fed-1', 2);
  assert.equal(round2.status, 'open');
  assert.equal(round2.deadline, new Date(Date.parse(round2.openedAt) + 600_000).toISOString());
  const w4 = sampleWeights(4);
  await client.org1.submitUpdate(
    { federationId: 'fed-1', round: 2, numSamples: 10, digest: sha256Hex(w4), metrics: {} },
    w4,
  );
  await client.org2.submitUpdate(
    { federationId: 'fed-1', round: 2, numSamples: 10, digest: sha256Hex(w4), metrics: {} },
    w4,
  );
  const v2 = await client.org1.aggregate('fed-1', 2);
  assert.equal(v2.parentHash, v1.modelHash);
  const completed = await client.org3.getFederation('fed-1');
  assert.equal(completed.status, 'completed');
  assert.equal(completed.currentRound, 2);

  // Deployment: a majority (2 of 2) of participants must approve.
  const firstApproval = await admin.org1.approveModel('fed-1', 2);
  assert.equal(firstApproval.deployed, false);
  assert.equal(firstApproval.approvalsRequired, 2);
  const secondApproval = await admin.org2.approveModel('fed-1', 2);
  assert.equal(secondApproval.deployed, true);
  const receipt = await client.org2.recordPrediction({
    federationId: 'fed-1',
    version: 2,
    inputHash: sha256Hex('in'),
    outputHash: sha256Hex('out'),
    count: 5,
  });
  assert.equal(receipt.modelHash, v2.modelHash);
  assert.equal(receipt.requesterMsp, SAMPLE_ORGS.org2);

  const versions = await client.auditor.listModelVersions('fed-1');
  assert.deepEqual(
    versions.map((v) => [v.version, v.deployed]),
    [
      [0, false],
      [1, false],
      [2, true],
    ],
  );
  assert.deepEqual(
    versions[1]?.evaluations.map((e) => [e.mspId, e.metrics['accuracy']]),
    [
      [SAMPLE_ORGS.org1, 0.8],
      [SAMPLE_ORGS.org2, 0.9],
    ],
  );
  assert.deepEqual(await client.auditor.verifyModelHash(v2.modelHash), {
    modelHash: v2.modelHash,
    found: true,
    federationId: 'fed-1',
    version: 2,
    round: 2,
    createdAt: v2.createdAt,
    versions: [{ federationId: 'fed-1', version: 2 }],
  });
  assert.deepEqual(await client.auditor.verifyModelHash(sha256Hex('nothing')), {
    modelHash: sha256Hex('nothing'),
    found: false,
  });

  const timeline = await client.auditor.listTimeline('fed-1', 100, '');
  assert.deepEqual(
    timeline.items.map((entry) => entry.action),
    [
      'CreateFederation',
      'AcceptInvitation',
      'StartFederation',
      'SubmitUpdate',
      'SubmitUpdate',
      'Aggregate',
      'RecordEvaluation',
      'RecordEvaluation',
      'SubmitUpdate',
      'SubmitUpdate',
      'Aggregate',
      'ApproveModel',
      'ApproveModel',
      'RecordPrediction',
    ],
  );
  assert.equal(timeline.bookmark, '');

  await world.settled();
  subscription.close();
  assert.deepEqual(
    delivered.map((event) => event.name),
    [
      EVENT.FederationCreated,
      EVENT.InvitationAccepted,
      EVENT.RoundOpened,
      EVENT.UpdateSubmitted,
      EVENT.UpdateSubmitted,
      EVENT.RoundAggregated,
      EVENT.EvaluationRecorded,
      EVENT.EvaluationRecorded,
      EVENT.UpdateSubmitted,
      EVENT.UpdateSubmitted,
      EVENT.RoundAggregated,
      EVENT.ModelApproved,
      EVENT.ModelApproved,
      EVENT.PredictionRecorded,
    ],
  );
  const aggregated = delivered
    .filter((event) => event.name === EVENT.RoundAggregated)
    .map((event) => event.payload);
  assert.deepEqual(
    aggregated.map((p) => [p['round'], p['nextRound'], p['completed']]),
    [
      [1, 2, false],
      [2, null, true],
    ],
  );
  assert.ok(delivered.every((event) => event.payload.txId === event.txId));
  assert.deepEqual(
    delivered.map((event) => event.blockNumber),
    [...delivered.keys()].map((i) => BigInt(i + 2)),
  );
});
