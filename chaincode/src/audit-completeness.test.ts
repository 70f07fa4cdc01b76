import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  TX,
  aggregateBlobRound,
  dropoutSeeds,
  encodeMasked,
  generateMaskingKeyPair,
  maskContribution,
  sha256Hex,
} from '@fedledger/core';
import {
  ManualClock,
  SAMPLE_ORGS,
  sampleConsortium,
  sampleProfile,
  sampleSchemaSpec,
  sampleSpec,
  sampleWeights,
  READ_ONLY_TRANSACTIONS,
} from './test-support';

test('every committed write transaction appends exactly one audit entry and emits exactly one event', async () => {
  const clock = new ManualClock();
  const { world, admin, client } = await sampleConsortium({ clock });
  const proposal = await admin.org1.proposeRoleChange('Org4MSP', 'member');
  await admin.org2.approveRoleChange(proposal.id);
  await admin.org1.createFederation(
    sampleSpec({ rounds: 1, invitedOrgs: [SAMPLE_ORGS.org2], incentives: { creditsPerRound: 10 } }),
    sampleWeights(0),
  );
  await admin.org2.acceptInvitation('fed-1');
  await client.org1.startFederation('fed-1');
  for (const [org, value] of [
    [client.org1, 1],
    [client.org2, 2],
  ] as const) {
    const w = sampleWeights(value);
    await org.submitUpdate(
      { federationId: 'fed-1', round: 1, numSamples: 1, digest: sha256Hex(w), metrics: {} },
      w,
    );
  }
  await client.org1.aggregate('fed-1', 1);
  await client.org2.recordEvaluation('fed-1', 1, 5, { accuracy: 1 });
  for (const org of [client.org1, client.org2]) {
    const plan = await org.getCoalitionPlan('fed-1', 1);
    await org.recordUtilities(
      'fed-1',
      1,
      5,
      Object.fromEntries(plan.coalitions.map((coalition) => [coalition, 0.5])),
    );
  }
  await client.org1.settleContributions('fed-1', 1);
  await admin.org1.approveModel('fed-1', 1);
  await admin.org2.approveModel('fed-1', 1);
  await client.org2.recordPrediction({
    federationId: 'fed-1',
    version: 1,
    inputHash: sha256Hex('i'),
    outputHash: sha256Hex('o'),
    count: 1,
  });
  await admin.org2.createFederation(
    sampleSpec({ id: 'fed-2', invitedOrgs: [], minParticipants: 1 }),
    sampleWeights(0),
  );
  await admin.org2.cancelFederation('fed-2', 'not needed');
  await admin.org1.createFederation(
    sampleSchemaSpec({ id: 'fed-3', invitedOrgs: [SAMPLE_ORGS.org2], minParticipants: 1 }),
    sampleWeights(0),
  );
  await admin.org1.recordDataProfile('fed-3', sampleProfile());
  await admin.org2.recordDataProfile('fed-3', sampleProfile());
  await admin.org2.acceptInvitation('fed-3');
  await client.org1.startFederation('fed-3');
  await client.org2.reportTrainingFailure('fed-3', 1, 'the dataset cannot be read');
  // Secure aggregation with a dropout: key registration, the fixed submitter set, seed reveals.
  await admin.org1.createFederation(
    sampleSpec({ id: 'fed-4', rounds: 1, privacy: { secureAggregation: true } }),
    sampleWeights(0),
  );
  await admin.org2.acceptInvitation('fed-4');
  await admin.org3.acceptInvitation('fed-4');
  const keys = [generateMaskingKeyPair(), generateMaskingKeyPair(), generateMaskingKeyPair()];
  const orgs = [client.org1, client.org2, client.org3];
  const peers = orgs.map((org, i) => ({ mspId: org.identity.mspId, publicKey: keys[i].publicKey }));
  for (const [i, org] of orgs.entries()) await org.registerMaskingKey('fed-4', keys[i].publicKey);
  await client.org1.startFederation('fed-4');
  for (const i of [0, 1]) {
    const context = {
      federationId: 'fed-4',
      round: 1,
      self: peers[i]?.mspId,
      privateKey: keys[i].privateKey,
    };
    const masked = encodeMasked(maskContribution(new Uint32Array(6), peers, context));
    await orgs[i].submitUpdate(
      { federationId: 'fed-4', round: 1, numSamples: 1, digest: sha256Hex(masked), metrics: {} },
      masked,
    );
  }
  clock.advance(601_000);
  await client.org1.closeSubmissions('fed-4', 1);
  for (const i of [0, 1]) {
    const context = {
      federationId: 'fed-4',
      round: 1,
      self: peers[i]?.mspId,
      privateKey: keys[i].privateKey,
    };
    await orgs[i].revealPairSeeds('fed-4', 1, dropoutSeeds([peers[2]], context));
  }
  await client.org2.aggregate('fed-4', 1);
  // Blob path (ADR 0022): digests only, one attestation per org, Aggregate accepts the majority.
  const initial = sampleWeights(0);
  await admin.org1.createFederation(
    sampleSpec({
      id: 'fed-5',
      rounds: 1,
      invitedOrgs: [SAMPLE_ORGS.org2],
      weightsPath: 'blob',
      initialBlob: {
        digest: sha256Hex(initial),
        byteLength: initial.length,
        weightShapes: [[2, 2], [2]],
      },
    }),
    new Uint8Array(0),
  );
  await admin.org2.acceptInvitation('fed-5');
  await client.org1.startFederation('fed-5');
  const blobUpdates = [];
  for (const [org, value] of [
    [client.org1, 1],
    [client.org2, 3],
  ] as const) {
    const w = sampleWeights(value);
    blobUpdates.push({
      metadata: await org.submitBlobUpdate(
        { federationId: 'fed-5', round: 1, numSamples: 1, digest: sha256Hex(w), metrics: {} },
        w.length,
      ),
      bytes: w,
    });
  }
  const { attestation } = aggregateBlobRound(
    { id: 'fed-5', strategy: { name: 'fedavg' }, weightShapes: [[2, 2], [2]] },
    1,
    initial,
    blobUpdates,
  );
  await client.org1.attestAggregate(attestation);
  await client.org2.attestAggregate(attestation);
  await client.org2.aggregate('fed-5', 1);

  const writes = Object.values(TX)
    .flatMap((contract) => Object.values(contract))
    .filter((name) => !READ_ONLY_TRANSACTIONS.has(name));
  assert.deepEqual(
    [...new Set(world.committed.map((tx) => tx.fcn))].sort(),
    writes.sort(),
    'the scenario commits every write transaction',
  );
  for (const tx of world.committed) {
    const auditKeys = tx.writtenKeys.filter((k) => k.startsWith('\u0000fl.audit.'));
    assert.equal(auditKeys.length, 1, `${tx.fcn} wrote ${auditKeys.length} audit entries`);
    assert.ok(auditKeys[0]?.includes(tx.txId), `${tx.fcn}'s audit key carries its tx id`);
    assert.equal(tx.event?.txId, tx.txId, `${tx.fcn} emitted its event`);
    assert.equal(tx.event.payload['txId'], tx.txId);
  }
});
