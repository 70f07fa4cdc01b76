import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import {
  decodeFlat,
  dropoutSeeds,
  encodeFixedPoint,
  encodeMasked,
  epsilonAfterRounds,
  generateMaskingKeyPair,
  maskContribution,
  sha256Hex,
  type FederationSpec,
  type MaskingKeyPair,
  type MaskingPeer,
  type PrivacyConfig,
} from '@fedledger/core';
import {
  ManualClock,
  SAMPLE_ORGS,
  expectRejection,
  sampleConsortium,
  sampleSpec,
  sampleWeights,
  type SampleConsortium,
} from '../test-support';
import type { InProcessLedger } from '@fedledger/simulator';

const FED = 'fed-1';
const PARAMS = 6;
const FIXED_POINT = { scale: 65536, range: 4 };
const ORGS = ['org1', 'org2', 'org3'] as const;
type OrgName = (typeof ORGS)[number];

function secureSpec(
  privacy: PrivacyConfig = { secureAggregation: true, fixedPoint: FIXED_POINT },
  overrides: Partial<FederationSpec> = {},
): FederationSpec {
  return sampleSpec({ privacy, rounds: 5, ...overrides });
}

/** Every org's local model in round r: start + a delta that differs per org and coordinate. */
function localDelta(org: OrgName, round: number): Float64Array {
  const o = ORGS.indexOf(org) + 1;
  return Float64Array.from({ length: PARAMS }, (_, j) => ((o * 7 + j * 3 + round) % 11) / 10 - 0.5);
}

interface SecureConsortium extends SampleConsortium {
  keys: Record<OrgName, MaskingKeyPair>;
  peers: MaskingPeer[];
}

/** Org1 creates a secure federation, Org2 and Org3 accept, all register keys, Org1 starts it. */
async function secureFederation(
  privacy?: PrivacyConfig,
  clock = new ManualClock(),
): Promise<SecureConsortium> {
  const c = await sampleConsortium({ clock });
  await c.admin.org1.createFederation(secureSpec(privacy), sampleWeights(0));
  await c.admin.org2.acceptInvitation(FED);
  await c.admin.org3.acceptInvitation(FED);
  const keys = {
    org1: generateMaskingKeyPair(),
    org2: generateMaskingKeyPair(),
    org3: generateMaskingKeyPair(),
  };
  for (const org of ORGS) await c.client[org].registerMaskingKey(FED, keys[org].publicKey);
  await c.admin.org1.startFederation(FED);
  const peers = ORGS.map((org) => ({ mspId: SAMPLE_ORGS[org], publicKey: keys[org].publicKey }));
  return { ...c, keys, peers };
}

function maskedUpdate(
  c: SecureConsortium,
  org: OrgName,
  round: number,
  weight: number,
): Uint8Array {
  const encoded = encodeFixedPoint(localDelta(org, round), weight, FIXED_POINT);
  return encodeMasked(
    maskContribution(encoded, c.peers, {
      federationId: FED,
      round,
      self: SAMPLE_ORGS[org],
      privateKey: c.keys[org].privateKey,
    }),
  );
}

function submitMasked(
  c: SecureConsortium,
  org: OrgName,
  round: number,
  numSamples: number,
  bytes = maskedUpdate(c, org, round, numSamples),
) {
  return c.client[org].submitUpdate(
    { federationId: FED, round, numSamples, digest: sha256Hex(bytes), metrics: {} },
    bytes,
  );
}

function reveal(c: SecureConsortium, org: OrgName, round: number, dropped: OrgName[]) {
  const seeds = dropoutSeeds(
    c.peers.filter((peer) => dropped.some((d) => SAMPLE_ORGS[d] === peer.mspId)),
    { federationId: FED, round, self: SAMPLE_ORGS[org], privateKey: c.keys[org].privateKey },
  );
  return c.client[org].revealPairSeeds(FED, round, seeds);
}

describe('CreateFederation privacy settings', () => {
  let c: SampleConsortium;
  beforeEach(async () => {
    c = await sampleConsortium();
  });
  const dp = { epsilon: 8, delta: 1e-5, clipNorm: 1, noiseMultiplier: 1 };
  const refused: [string, FederationSpec, RegExp][] = [
    [
      'a robust strategy with secure aggregation',
      secureSpec(undefined, { strategy: { name: 'median' } }),
      /spec\.strategy\.name median needs individual updates/,
    ],
    [
      'Krum with secure aggregation',
      secureSpec(undefined, { strategy: { name: 'krum' }, minParticipants: 3 }),
      /spec\.strategy\.name krum/,
    ],
    [
      'norm bounding with secure aggregation',
      secureSpec(undefined, { strategy: { name: 'fedavg', normBound: 1 } }),
      /spec\.strategy\.normBound/,
    ],
    [
      'ε = 0',
      secureSpec({ secureAggregation: true, dp: { ...dp, epsilon: 0 } }),
      /spec\.privacy\.dp\.epsilon must be greater than 0/,
    ],
    [
      'ε < 0',
      secureSpec({ secureAggregation: true, dp: { ...dp, epsilon: -1 } }),
      /spec\.privacy\.dp\.epsilon/,
    ],
    [
      'δ ≥ 1/n',
      secureSpec({ secureAggregation: true, dp: { ...dp, delta: 1 / 3 } }),
      /spec\.privacy\.dp\.delta must be greater than 0 and below 1\/n = 1\/3/,
    ],
    [
      'clipNorm = 0',
      secureSpec({ secureAggregation: true, dp: { ...dp, clipNorm: 0 } }),
      /spec\.privacy\.dp\.clipNorm must be greater than 0/,
    ],
    [
      'noiseMultiplier ≤ 0',
      secureSpec({ secureAggregation: true, dp: { ...dp, noiseMultiplier: -2 } }),
      /spec\.privacy\.dp\.noiseMultiplier/,
    ],
    [
      'a budget that pays for no round',
      secureSpec({ secureAggregation: true, dp: { ...dp, epsilon: 0.5 } }),
      /spec\.privacy\.dp\.epsilon 0\.5 does not pay for one round/,
    ],
    [
      'DP without secure aggregation',
      secureSpec({ dp }),
      /spec\.privacy\.dp needs secureAggregation: true/,
    ],
    [
      'a fixed point without secure aggregation',
      secureSpec({ fixedPoint: FIXED_POINT }),
      /spec\.privacy\.fixedPoint applies only with secureAggregation/,
    ],
    [
      'fixed-point scale 0',
      secureSpec({ secureAggregation: true, fixedPoint: { scale: 0, range: 1 } }),
      /spec\.privacy\.fixedPoint\.scale/,
    ],
    [
      'contribution scoring with secure aggregation',
      secureSpec(undefined, { incentives: { creditsPerRound: 10 } }),
      /spec\.incentives cannot be combined with privacy\.secureAggregation/,
    ],
    [
      'an unknown privacy field',
      secureSpec({ secureAggregation: true, homomorphic: true } as PrivacyConfig),
      /spec\.privacy has unknown field\(s\): homomorphic/,
    ],
  ];
  for (const [name, spec, message] of refused) {
    test(`INVALID_ARGUMENT: ${name}`, async () => {
      const error = await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
        c.admin.org1.createFederation(spec, sampleWeights(0)),
      );
      assert.match(error.message, message);
    });
  }

  test('secure aggregation gets the default fixed point; FedAdam is accepted', async () => {
    const federation = await c.admin.org1.createFederation(
      secureSpec({ secureAggregation: true }, { strategy: { name: 'fedadam' } }),
      sampleWeights(0),
    );
    assert.deepEqual(federation.privacy, {
      secureAggregation: true,
      fixedPoint: { scale: 65536, range: 4 },
    });
  });
});

describe('secure aggregation round', () => {
  let c: SecureConsortium;
  const clock = new ManualClock();
  beforeEach(async () => {
    c = await secureFederation(undefined, clock);
  });

  test('a federation does not start until every participant registered a key; keys are never replaced', async () => {
    const d = await sampleConsortium();
    await d.admin.org1.createFederation(secureSpec(), sampleWeights(0));
    await d.admin.org2.acceptInvitation(FED);
    await d.client.org1.registerMaskingKey(FED, generateMaskingKeyPair().publicKey);
    const error = await expectRejection(d.world, 'FAILED_PRECONDITION', () =>
      d.admin.org1.startFederation(FED),
    );
    assert.match(error.message, /Org2MSP must register a masking key/);
    await expectRejection(d.world, 'ALREADY_EXISTS', () =>
      d.client.org1.registerMaskingKey(FED, generateMaskingKeyPair().publicKey),
    );
    await expectRejection(d.world, 'INVALID_ARGUMENT', () =>
      d.client.org2.registerMaskingKey(FED, 'bm90IGEga2V5'),
    );
  });

  test('all three submit: the aggregate is the sample-weighted FedAvg of the plain models to fixed-point precision', async () => {
    const samples = { org1: 10, org2: 30, org3: 60 };
    for (const org of ORGS) await submitMasked(c, org, 1, samples[org]);
    const version = await c.client.org2.aggregate(FED, 1);
    const global = decodeFlat(await c.client.org3.getGlobalWeights(FED, 1)).flat;
    for (let j = 0; j < PARAMS; j++) {
      const expected =
        ORGS.reduce((sum, org) => sum + samples[org] * localDelta(org, 1)[j], 0) / 100;
      assert.ok(Math.abs(global[j] - expected) < 1e-6, `index ${j}: ${global[j]} vs ${expected}`);
    }
    assert.deepEqual(
      version.contributors.map((x) => [x.mspId, x.weight, x.score]),
      [
        ['Org1MSP', 0.1, undefined],
        ['Org2MSP', 0.3, undefined],
        ['Org3MSP', 0.6, undefined],
      ],
    );
    assert.match(version.contributors[0]?.reason ?? '', /no individual score/);
  });

  test('one dropout: fixed set after the deadline, late update refused, only dropout pairs revealed, survivors averaged', async () => {
    await submitMasked(c, 'org1', 1, 20);
    await submitMasked(c, 'org2', 1, 60);
    await expectRejection(c.world, 'FAILED_PRECONDITION', () => c.client.org1.aggregate(FED, 1));
    await expectRejection(c.world, 'QUORUM_NOT_MET', () => c.client.org1.closeSubmissions(FED, 1));
    await expectRejection(c.world, 'FAILED_PRECONDITION', () => reveal(c, 'org1', 1, ['org3']));
    clock.advance(601_000);
    const set = await c.client.org2.closeSubmissions(FED, 1);
    assert.deepEqual([set.submitters, set.dropped], [['Org1MSP', 'Org2MSP'], ['Org3MSP']]);
    const late = await expectRejection(c.world, 'ROUND_CLOSED', () =>
      submitMasked(c, 'org3', 1, 10),
    );
    assert.match(late.message, /a late update is refused/);
    const unmasking = await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      reveal(c, 'org1', 1, ['org2', 'org3']),
    );
    assert.match(
      unmasking.message,
      /seedsJson\.Org2MSP: Org2MSP is not a dropped org.*would unmask it/,
    );
    await expectRejection(c.world, 'FORBIDDEN', () => reveal(c, 'org3', 1, ['org1']));
    await reveal(c, 'org1', 1, ['org3']);
    const waiting = await expectRejection(c.world, 'FAILED_PRECONDITION', () =>
      c.client.org1.aggregate(FED, 1),
    );
    assert.match(waiting.message, /waits for the pair seeds Org2MSP/);
    await expectRejection(c.world, 'ALREADY_EXISTS', () => reveal(c, 'org1', 1, ['org3']));
    await reveal(c, 'org2', 1, ['org3']);
    const version = await c.client.org3.aggregate(FED, 1);
    assert.deepEqual(
      version.contributors.map((x) => x.mspId),
      ['Org1MSP', 'Org2MSP'],
    );
    const global = decodeFlat(await c.client.org1.getGlobalWeights(FED, 1)).flat;
    for (let j = 0; j < PARAMS; j++) {
      const expected = (20 * localDelta('org1', 1)[j] + 60 * localDelta('org2', 1)[j]) / 80;
      assert.ok(Math.abs(global[j] - expected) < 1e-6, `index ${j}`);
    }
    // Round 2 is open and masked against everyone again.
    assert.equal((await c.client.org1.getFederation(FED)).currentRound, 2);
  });

  test('masked updates of the wrong length or framing, and weights that could overflow, are refused', async () => {
    const short = encodeMasked(new Uint32Array(PARAMS - 1));
    await expectRejection(c.world, 'SHAPE_MISMATCH', () => submitMasked(c, 'org1', 1, 10, short));
    const plain = sampleWeights(1);
    const error = await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      submitMasked(c, 'org1', 1, 10, plain),
    );
    assert.match(error.message, /not a masked update/);
    const tooHeavy = await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      submitMasked(c, 'org1', 1, 5000),
    );
    assert.match(
      tooHeavy.message,
      /numSamples 5000 is too large for the federation's fixed-point encoding/,
    );
  });

  test('stored updates: a participant gets only the masked bytes; the auditor and outsiders get nothing', async () => {
    const bytes = maskedUpdate(c, 'org1', 1, 10);
    await submitMasked(c, 'org1', 1, 10, bytes);
    const seen = await c.client.org2.getStoredUpdate(FED, 1, SAMPLE_ORGS.org1);
    assert.deepEqual(seen, bytes);
    const plain = encodeFixedPoint(localDelta('org1', 1), 10, FIXED_POINT);
    const view = new DataView(seen.buffer, seen.byteOffset + 8);
    assert.ok(
      plain.every((value, j) => view.getUint32(4 * j, true) !== value),
      'no coordinate of the plain update is visible',
    );
    await expectRejection(c.world, 'FORBIDDEN', () =>
      c.client.auditor.getStoredUpdate(FED, 1, SAMPLE_ORGS.org1),
    );
    await expectRejection(c.world, 'FORBIDDEN', () =>
      c.outsider.getStoredUpdate(FED, 1, SAMPLE_ORGS.org1),
    );
  });
});

describe('differential-privacy budget', () => {
  // z = 2, δ = 1e-5: the budget between ε(2) and ε(3) pays for exactly 2 of the 5 rounds.
  const z = 2;
  const budget =
    (epsilonAfterRounds(2, z, 1e-5).epsilon + epsilonAfterRounds(3, z, 1e-5).epsilon) / 2;
  const privacy: PrivacyConfig = {
    secureAggregation: true,
    fixedPoint: FIXED_POINT,
    dp: { epsilon: budget, delta: 1e-5, clipNorm: 1, noiseMultiplier: z },
  };

  async function aggregateRound(c: SecureConsortium, round: number, by: InProcessLedger) {
    for (const org of ORGS) await submitMasked(c, org, round, 1);
    return by.aggregate(FED, round);
  }

  test('the federation stops when the next round would exceed ε; that round is refused with PRIVACY_BUDGET_EXHAUSTED', async () => {
    const c = await secureFederation(privacy);
    await expectRejection(c.world, 'PRIVACY_BUDGET_EXHAUSTED', () => submitMasked(c, 'org1', 3, 1));
    await aggregateRound(c, 1, c.client.org1);
    await aggregateRound(c, 2, c.client.org2);
    const federation = await c.client.org1.getFederation(FED);
    assert.equal(federation.status, 'completed');
    assert.equal(federation.currentRound, 2);
    const error = await expectRejection(c.world, 'PRIVACY_BUDGET_EXHAUSTED', () =>
      submitMasked(c, 'org1', 3, 1),
    );
    assert.match(
      error.message,
      /round 3 of fed-1 would bring the ε spent to .* the budget allows 2 round/,
    );
    const view = await c.client.auditor.getPrivacyBudget(FED);
    assert.equal(view.roundsAllowed, 2);
    assert.deepEqual(
      view.spends.map((s) => s.round),
      [1, 2],
    );
    assert.equal(view.epsilonSpent, epsilonAfterRounds(2, z, 1e-5).epsilon);
    assert.equal(view.epsilonRemaining, budget - view.epsilonSpent);
    assert.equal(
      (view.spends[0]?.epsilonRound ?? 0) + (view.spends[1]?.epsilonRound ?? 0),
      view.epsilonSpent,
    );
  });

  test('under DP every org weighs 1 whatever its sample count (the noise is calibrated to one org)', async () => {
    const c = await secureFederation(privacy);
    await submitMasked(c, 'org1', 1, 5, maskedUpdate(c, 'org1', 1, 1));
    await submitMasked(c, 'org2', 1, 50, maskedUpdate(c, 'org2', 1, 1));
    await submitMasked(c, 'org3', 1, 500, maskedUpdate(c, 'org3', 1, 1));
    const version = await c.client.org1.aggregate(FED, 1);
    assert.deepEqual(
      version.contributors.map((x) => x.weight),
      [1 / 3, 1 / 3, 1 / 3],
    );
  });

  test('a federation without privacy has no budget: the view says so', async () => {
    const c = await sampleConsortium();
    await c.admin.org1.createFederation(sampleSpec(), sampleWeights(0));
    assert.deepEqual(await c.client.auditor.getPrivacyBudget(FED), {
      federationId: FED,
      secureAggregation: false,
      dp: null,
      roundsAllowed: null,
      spends: [],
      epsilonSpent: 0,
      epsilonRemaining: null,
    });
  });
});
