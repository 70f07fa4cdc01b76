import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TX, sha256Hex } from '@fedledger/core';
import { SAMPLE_ORGS, sampleConsortium, sampleProfile, sampleSchemaSpec, sampleSpec, sampleWeights } from './testing';

const READ_ONLY = new Set(['GetConsortium', 'GetRoleChange', 'GetFederation', 'ListFederations', 'GetRound', 'ListUpdates', 'GetModelVersion', 'ListModelVersions', 'GetGlobalWeights', 'VerifyModelHash', 'ListTimeline', 'ListConsortiumTimeline', 'GetKeyHistory', 'ListDataProfiles', 'GetModelSelection', 'GetCoalitionPlan', 'GetUpdateWeights', 'ListUtilities', 'GetContributions', 'ListContributions', 'GetRewardBalances']);

test('every committed write transaction appends exactly one audit entry and emits exactly one event', async () => {
  const { world, admin, client } = await sampleConsortium();
  const proposal = await admin.org1.proposeRoleChange('Org4MSP', 'member');
  await admin.org2.approveRoleChange(proposal.id);
  await admin.org1.createFederation(sampleSpec({ rounds: 1, invitedOrgs: [SAMPLE_ORGS.org2], incentives: { creditsPerRound: 10 } }), sampleWeights(0));
  await admin.org2.acceptInvitation('fed-1');
  await client.org1.startFederation('fed-1');
  for (const [org, value] of [[client.org1, 1], [client.org2, 2]] as const) {
    const w = sampleWeights(value);
    await org.submitUpdate({ federationId: 'fed-1', round: 1, numSamples: 1, digest: sha256Hex(w), metrics: {} }, w);
  }
  await client.org1.aggregate('fed-1', 1);
  await client.org2.recordEvaluation('fed-1', 1, 5, { accuracy: 1 });
  for (const org of [client.org1, client.org2]) {
    const plan = await org.getCoalitionPlan('fed-1', 1);
    await org.recordUtilities('fed-1', 1, 5, Object.fromEntries(plan.coalitions.map((coalition) => [coalition, 0.5])));
  }
  await client.org1.settleContributions('fed-1', 1);
  await admin.org1.approveModel('fed-1', 1);
  await admin.org2.approveModel('fed-1', 1);
  await client.org2.recordPrediction({ federationId: 'fed-1', version: 1, inputHash: sha256Hex('i'), outputHash: sha256Hex('o'), count: 1 });
  await admin.org2.createFederation(sampleSpec({ id: 'fed-2', invitedOrgs: [], minParticipants: 1 }), sampleWeights(0));
  await admin.org2.cancelFederation('fed-2', 'not needed');
  await admin.org1.createFederation(sampleSchemaSpec({ id: 'fed-3', invitedOrgs: [SAMPLE_ORGS.org2], minParticipants: 1 }), sampleWeights(0));
  await admin.org1.recordDataProfile('fed-3', sampleProfile());
  await admin.org2.recordDataProfile('fed-3', sampleProfile());
  await admin.org2.acceptInvitation('fed-3');
  await client.org1.startFederation('fed-3');
  await client.org2.reportTrainingFailure('fed-3', 1, 'the dataset cannot be read');

  const writes = Object.values(TX).flatMap((contract) => Object.values(contract)).filter((name) => !READ_ONLY.has(name));
  assert.deepEqual([...new Set(world.committed.map((tx) => tx.fcn))].sort(), writes.sort(), 'the scenario commits every write transaction');
  for (const tx of world.committed) {
    const auditKeys = tx.writtenKeys.filter((k) => k.startsWith('\u0000fl.audit.'));
    assert.equal(auditKeys.length, 1, `${tx.fcn} wrote ${auditKeys.length} audit entries`);
    assert.ok(auditKeys[0]?.includes(tx.txId), `${tx.fcn}'s audit key carries its tx id`);
    assert.equal(tx.event?.txId, tx.txId, `${tx.fcn} emitted its event`);
    assert.equal(tx.event?.payload['txId'], tx.txId);
  }
});
