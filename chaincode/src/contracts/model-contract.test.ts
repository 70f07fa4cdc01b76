import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sha256Hex } from '@fedledger/core';
import {
  expectRejection,
  sampleConsortium,
  sampleSpec,
  sampleWeights,
  type SampleConsortium,
} from '../test-support';

const FED = 'fed-1';

/** Org1 and Org2 run a one-round federation to completion; Org3 is a member outside it. */
async function completedFederation(): Promise<SampleConsortium> {
  const c = await sampleConsortium();
  await c.admin.org1.createFederation(
    sampleSpec({ rounds: 1, invitedOrgs: ['Org2MSP'] }),
    sampleWeights(0),
  );
  await c.admin.org2.acceptInvitation(FED);
  await c.admin.org1.startFederation(FED);
  const w = sampleWeights(1);
  for (const org of [c.client.org1, c.client.org2]) {
    await org.submitUpdate(
      { federationId: FED, round: 1, numSamples: 5, digest: sha256Hex(w), metrics: {} },
      w,
    );
  }
  await c.client.org1.aggregate(FED, 1);
  return c;
}

describe('GetGlobalWeights access', () => {
  test('participants read; the auditor, a member outside the federation and outsiders are FORBIDDEN', async () => {
    const c = await completedFederation();
    const bytes = await c.client.org2.getGlobalWeights(FED, 1);
    assert.equal(sha256Hex(bytes), (await c.client.auditor.getModelVersion(FED, 1)).modelHash);
    await expectRejection(c.world, 'FORBIDDEN', () => c.client.auditor.getGlobalWeights(FED, 1));
    await expectRejection(c.world, 'FORBIDDEN', () => c.admin.org3.getGlobalWeights(FED, 1));
    await expectRejection(c.world, 'FORBIDDEN', () => c.outsider.getGlobalWeights(FED, 1));
    await expectRejection(c.world, 'NOT_FOUND', () => c.client.org1.getGlobalWeights(FED, 7));
    await expectRejection(c.world, 'NOT_FOUND', () => c.client.org1.getGlobalWeights('nope', 0));
    await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.client.org1.getGlobalWeights(FED, 1.5),
    );
  });
});

describe('ApproveModel and RecordPrediction', () => {
  test('prediction needs a deployed version; approval needs a participant org admin, once', async () => {
    const c = await completedFederation();
    const receipt = {
      federationId: FED,
      version: 1,
      inputHash: sha256Hex('i'),
      outputHash: sha256Hex('o'),
      count: 1,
    };
    await expectRejection(c.world, 'FAILED_PRECONDITION', () =>
      c.client.org1.recordPrediction(receipt),
    );
    await expectRejection(c.world, 'FORBIDDEN', () => c.client.org1.approveModel(FED, 1));
    await expectRejection(c.world, 'FORBIDDEN', () => c.admin.org3.approveModel(FED, 1));
    await expectRejection(c.world, 'FORBIDDEN', () => c.admin.auditor.approveModel(FED, 1));
    await expectRejection(c.world, 'NOT_FOUND', () => c.admin.org1.approveModel(FED, 4));
    await c.admin.org1.approveModel(FED, 1);
    await expectRejection(c.world, 'ALREADY_EXISTS', () => c.admin.org1.approveModel(FED, 1));
    await expectRejection(c.world, 'FAILED_PRECONDITION', () =>
      c.client.org1.recordPrediction(receipt),
    );
    const deployed = await c.admin.org2.approveModel(FED, 1);
    assert.equal(deployed.deployed, true);
    await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.client.org1.recordPrediction({ ...receipt, inputHash: 'nothex' }),
    );
    await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.client.org1.recordPrediction({ ...receipt, count: 0 }),
    );
    await expectRejection(c.world, 'FORBIDDEN', () => c.client.org3.recordPrediction(receipt));
    await expectRejection(c.world, 'FORBIDDEN', () => c.client.auditor.recordPrediction(receipt));
    const saved = await c.client.org1.recordPrediction(receipt);
    assert.equal(saved.count, 1);
    const history = await c.client.auditor.getKeyHistory('fl.prediction', [
      FED,
      '000001',
      saved.txId,
    ]);
    assert.deepEqual(
      history.map((h) => h.value),
      [saved],
    );
  });

  test('approval is refused once the federation is cancelled', async () => {
    const c = await sampleConsortium();
    await c.admin.org1.createFederation(sampleSpec(), sampleWeights(0));
    await c.admin.org1.cancelFederation(FED, 'stop');
    await expectRejection(c.world, 'FAILED_PRECONDITION', () => c.admin.org1.approveModel(FED, 0));
  });
});

describe('after cancellation', () => {
  test('a version deployed before the federation was cancelled takes no predictions, and nothing is evaluated', async () => {
    const c = await sampleConsortium();
    await c.admin.org1.createFederation(sampleSpec({ invitedOrgs: ['Org2MSP'] }), sampleWeights(0));
    await c.admin.org2.acceptInvitation(FED);
    await c.admin.org1.startFederation(FED);
    await c.admin.org1.approveModel(FED, 0);
    assert.equal((await c.admin.org2.approveModel(FED, 0)).deployed, true);
    const receipt = {
      federationId: FED,
      version: 0,
      inputHash: sha256Hex('i'),
      outputHash: sha256Hex('o'),
      count: 1,
    };
    await c.client.org1.recordPrediction(receipt);
    await c.admin.org1.cancelFederation(FED, 'consent withdrawn');
    const prediction = await expectRejection(c.world, 'FAILED_PRECONDITION', () =>
      c.client.org1.recordPrediction(receipt),
    );
    assert.match(
      prediction.message,
      /RecordPrediction needs federation fed-1 to be running or completed, but it is cancelled/,
    );
    const evaluation = await expectRejection(c.world, 'FAILED_PRECONDITION', () =>
      c.client.org2.recordEvaluation(FED, 0, 10, { accuracy: 0.5 }),
    );
    assert.match(
      evaluation.message,
      /RecordEvaluation needs federation fed-1 to be pending or running or completed, but it is cancelled/,
    );
  });
});

describe('VerifyModelHash', () => {
  test('validates the hash and needs a consortium member', async () => {
    const c = await completedFederation();
    await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.client.auditor.verifyModelHash('ABC'),
    );
    await expectRejection(c.world, 'FORBIDDEN', () => c.outsider.verifyModelHash(sha256Hex('x')));
    const initial = await c.client.auditor.verifyModelHash(sha256Hex(sampleWeights(0)));
    assert.equal(initial.version, 0);
    assert.equal(initial.round, 0);
  });

  test('a hash shared by several versions names the first and lists every one', async () => {
    const c = await sampleConsortium();
    const initial = sampleWeights(0);
    await c.admin.org1.createFederation(
      sampleSpec({ rounds: 1, invitedOrgs: ['Org2MSP'] }),
      initial,
    );
    await c.admin.org2.acceptInvitation(FED);
    await c.admin.org1.startFederation(FED);
    // Both orgs send back the initial weights: the FedAvg aggregate (version 1) equals version 0.
    for (const org of [c.client.org1, c.client.org2]) {
      await org.submitUpdate(
        { federationId: FED, round: 1, numSamples: 5, digest: sha256Hex(initial), metrics: {} },
        initial,
      );
    }
    assert.equal((await c.client.org1.aggregate(FED, 1)).modelHash, sha256Hex(initial));
    await c.admin.org3.createFederation(
      sampleSpec({ id: 'fed-0', invitedOrgs: [], minParticipants: 1 }),
      initial,
    );
    const verification = await c.client.auditor.verifyModelHash(sha256Hex(initial));
    assert.equal(verification.federationId, FED);
    assert.equal(verification.version, 0);
    assert.deepEqual(verification.versions, [
      { federationId: 'fed-0', version: 0 },
      { federationId: FED, version: 0 },
      { federationId: FED, version: 1 },
    ]);
  });
});
