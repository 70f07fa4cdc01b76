import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFixedPoint, decodeFixedPointMean, maxWeightFor, sumModulo } from './fixed-point';
import { decodeMasked, encodeMasked } from './masked-update-codec';
import { generateMaskingKeyPair, pairSeed } from './pairwise-masks';
import {
  dropoutSeeds,
  maskContribution,
  unmaskSum,
  type MaskingPeer,
  type PairReveal,
} from './secure-aggregation';
import { DEFAULT_FIXED_POINT } from './types';

const LENGTH = 257; // not a multiple of the AES block's 4 words, so the stream's tail is exercised

/** Deterministic pseudo-random deltas in [-3, 3] (a small LCG: the test must not depend on Math.random). */
function deltas(seed: number, length: number): Float64Array {
  let state = seed;
  return Float64Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648) * 6 - 3;
  });
}

function simulate(orgCount: number, droppedCount: number) {
  const orgs = Array.from({ length: orgCount }, (_, i) => ({
    mspId: `Org${String(i + 1).padStart(2, '0')}MSP`,
    keys: generateMaskingKeyPair(),
  }));
  const peers: MaskingPeer[] = orgs.map((org) => ({
    mspId: org.mspId,
    publicKey: org.keys.publicKey,
  }));
  // Drop orgs from the middle and the end of the MSP order, so both mask signs are removed.
  const dropped = new Set([1, orgCount - 1].slice(0, droppedCount).map((i) => orgs[i].mspId));
  const survivors = orgs.filter((org) => !dropped.has(org.mspId));
  const weights = new Map(orgs.map((org, i) => [org.mspId, 10 + 7 * i]));
  const plain: Uint32Array[] = [];
  const masked: Uint32Array[] = [];
  const reveals: PairReveal[] = [];
  for (const org of survivors) {
    const context = {
      federationId: 'fed-1',
      round: 3,
      self: org.mspId,
      privateKey: org.keys.privateKey,
    };
    const encoded = encodeFixedPoint(
      deltas(weights.get(org.mspId) as number, LENGTH),
      weights.get(org.mspId) as number,
      DEFAULT_FIXED_POINT,
    );
    plain.push(encoded);
    // Through the wire format, as the chaincode receives it.
    masked.push(
      decodeMasked(
        encodeMasked(maskContribution(encoded, peers, context)),
        LENGTH,
        'masked update',
      ),
    );
    const seeds = dropoutSeeds(
      peers.filter((peer) => dropped.has(peer.mspId)),
      context,
    );
    for (const [droppedMsp, seed] of Object.entries(seeds))
      reveals.push({ survivor: org.mspId, dropped: droppedMsp, seed });
  }
  return { plain, masked, reveals, survivors, weights };
}

for (const orgCount of [3, 4, 5, 7, 10]) {
  for (const droppedCount of [0, 1, 2]) {
    if (orgCount - droppedCount < 2) continue;
    test(`masks cancel bit-identically: ${orgCount} orgs, ${droppedCount} dropped`, () => {
      const { plain, masked, reveals } = simulate(orgCount, droppedCount);
      assert.equal(reveals.length, (orgCount - droppedCount) * droppedCount);
      const expected = sumModulo(plain, LENGTH);
      assert.deepEqual(unmaskSum(masked, reveals, LENGTH), expected);
      // Shuffled submission and reveal order give the same bits.
      assert.deepEqual(unmaskSum([...masked].reverse(), [...reveals].reverse(), LENGTH), expected);
    });
  }
}

test('a masked update reveals nothing of the plain one: no coordinate matches and the values are spread over 2^32', () => {
  const { plain, masked } = simulate(4, 0);
  const equal = plain[0].filter((value, j) => value === masked[0][j]).length;
  assert.ok(equal <= 1, `${equal} coordinates equal`);
  const high = masked[0].filter((value) => value >= 2 ** 31).length;
  assert.ok(high > LENGTH * 0.35 && high < LENGTH * 0.65, `${high} of ${LENGTH} in the upper half`);
});

test('without a dropped pair reveal the sum does not decode (the range check catches the stray mask)', () => {
  const { masked, reveals, survivors, weights } = simulate(5, 1);
  const totalWeight = survivors.reduce((sum, org) => sum + (weights.get(org.mspId) as number), 0);
  const incomplete = unmaskSum(masked, reveals.slice(1), LENGTH);
  assert.throws(
    () => decodeFixedPointMean(incomplete, totalWeight, DEFAULT_FIXED_POINT),
    /INVALID_ARGUMENT: the unmasked sum at index/,
  );
  const complete = unmaskSum(masked, reveals, LENGTH);
  assert.equal(decodeFixedPointMean(complete, totalWeight, DEFAULT_FIXED_POINT).length, LENGTH);
});

test('the decoded sum is the weighted mean of the clipped deltas to fixed-point precision', () => {
  const { masked, reveals, survivors, weights } = simulate(6, 2);
  const totalWeight = survivors.reduce((sum, org) => sum + (weights.get(org.mspId) as number), 0);
  const mean = decodeFixedPointMean(
    unmaskSum(masked, reveals, LENGTH),
    totalWeight,
    DEFAULT_FIXED_POINT,
  );
  for (let j = 0; j < LENGTH; j++) {
    let expected = 0;
    for (const org of survivors)
      expected +=
        (weights.get(org.mspId) as number) * deltas(weights.get(org.mspId) as number, LENGTH)[j];
    expected /= totalWeight;
    // Each org's rounding is at most 0.5 / scale in weight units.
    assert.ok(
      Math.abs(mean[j] - expected) <=
        (0.5 * survivors.length) / (DEFAULT_FIXED_POINT.scale * totalWeight) + 1e-12,
      `index ${j}`,
    );
  }
});

test('both orgs of a pair derive the same seed, and it differs per round and per federation', () => {
  const a = generateMaskingKeyPair();
  const b = generateMaskingKeyPair();
  const seedAB = pairSeed(a.privateKey, b.publicKey, {
    federationId: 'f',
    round: 1,
    self: 'A',
    peer: 'B',
  });
  assert.equal(
    pairSeed(b.privateKey, a.publicKey, { federationId: 'f', round: 1, self: 'B', peer: 'A' }),
    seedAB,
  );
  assert.notEqual(
    pairSeed(a.privateKey, b.publicKey, { federationId: 'f', round: 2, self: 'A', peer: 'B' }),
    seedAB,
  );
  assert.notEqual(
    pairSeed(a.privateKey, b.publicKey, { federationId: 'g', round: 1, self: 'A', peer: 'B' }),
    seedAB,
  );
});

test('encoding clips to the range and maxWeightFor keeps any sum inside int32', () => {
  const config = { scale: 4, range: 2 };
  assert.deepEqual(
    [...encodeFixedPoint([5, -5, 0.5], 3, config)].map((v) => v | 0),
    [24, -24, 6],
  );
  const weight = maxWeightFor(DEFAULT_FIXED_POINT, 10);
  const extreme = Array.from({ length: 10 }, () =>
    encodeFixedPoint([1e9], weight, DEFAULT_FIXED_POINT),
  );
  assert.equal(
    sumModulo(extreme, 1)[0] | 0,
    10 * weight * DEFAULT_FIXED_POINT.range * DEFAULT_FIXED_POINT.scale,
  );
});

test('masked update framing: a wrong length is refused', () => {
  const bytes = encodeMasked(new Uint32Array(5));
  assert.throws(
    () => decodeMasked(bytes, 6, 'the update'),
    /SHAPE_MISMATCH: the update has 5 elements; the federation's model has 6/,
  );
  assert.throws(
    () => decodeMasked(bytes.subarray(0, bytes.length - 1), 5, 'the update'),
    /INVALID_ARGUMENT: the update declares 5 elements/,
  );
  assert.throws(
    () => decodeMasked(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]), 0, 'the update'),
    /INVALID_ARGUMENT: the update is not a masked update/,
  );
});
