import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  decodeFixedPointMean,
  decodeMasked,
  generateMaskingKeyPair,
  unmaskSum,
  type Federation,
} from '@fedledger/core';
import { buildMaskedUpdate } from './masked-update';
import { MaskingKeyStore } from './masking-key.store';
import { gaussianSamples } from './gaussian-noise';

const FIXED_POINT = { scale: 65536, range: 4 };

function federation(privacy: Federation['privacy']): Federation {
  return { id: 'fed-1', minParticipants: 2, participants: ['A', 'B', 'C'], privacy } as Federation;
}

describe('buildMaskedUpdate', () => {
  const keys = {
    A: generateMaskingKeyPair(),
    B: generateMaskingKeyPair(),
    C: generateMaskingKeyPair(),
  };
  const peers = (['A', 'B', 'C'] as const).map((mspId) => ({
    mspId,
    publicKey: keys[mspId].publicKey,
  }));
  const start = Float32Array.from([0.5, -0.5, 1, 0]);

  it('the three orgs’ masked updates sum to the sample-weighted mean delta (FedAvg weighting before masking)', () => {
    const fed = federation({ secureAggregation: true, fixedPoint: FIXED_POINT });
    const locals = { A: [0.6, -0.4, 1.5, 0.1], B: [0.4, -0.6, 0.5, -0.1], C: [0.5, -0.5, 1, 1] };
    const samples = { A: 10, B: 30, C: 60 };
    const masked = (['A', 'B', 'C'] as const).map((mspId) =>
      decodeMasked(
        buildMaskedUpdate({
          federation: fed,
          round: 1,
          mspId,
          keys: keys[mspId],
          peers,
          start,
          local: Float32Array.from(locals[mspId]),
          numSamples: samples[mspId],
        }).bytes,
        4,
        'u',
      ),
    );
    const mean = decodeFixedPointMean(unmaskSum(masked, [], 4), 100, FIXED_POINT);
    for (let j = 0; j < 4; j++) {
      const expected =
        (['A', 'B', 'C'] as const).reduce(
          (sum, msp) => sum + samples[msp] * (Math.fround(locals[msp][j]) - start[j]),
          0,
        ) / 100;
      assert.ok(Math.abs(mean[j] - expected) < 1e-6, `index ${j}`);
    }
  });

  it('under DP the delta is clipped to clipNorm and carries noise of std z·C/√minParticipants, with weight 1', () => {
    const dp = { epsilon: 3, delta: 1e-5, clipNorm: 0.5, noiseMultiplier: 2 };
    const fed = federation({ secureAggregation: true, fixedPoint: FIXED_POINT, dp });
    const unitNoise = (count: number) =>
      Float64Array.from({ length: count }, (_, j) => (j === 0 ? 1 : 0));
    const built = (['A', 'B', 'C'] as const).map((mspId) =>
      buildMaskedUpdate({
        federation: fed,
        round: 2,
        mspId,
        keys: keys[mspId],
        peers,
        start,
        local: Float32Array.from([3.5, -0.5, 1, 4]),
        numSamples: 999,
        noise: unitNoise,
      }),
    );
    assert.ok(built.every((b) => b.clipped && Math.abs(b.deltaNorm - 5) < 1e-6));
    const mean = decodeFixedPointMean(
      unmaskSum(
        built.map((b) => decodeMasked(b.bytes, 4, 'u')),
        [],
        4,
      ),
      3,
      FIXED_POINT,
    );
    // delta (3, 0, 0, 4) clipped to norm 0.5 is (0.3, 0, 0, 0.4); the noise share std is 2·0.5/√2.
    const std = (2 * 0.5) / Math.SQRT2;
    assert.ok(Math.abs(mean[0] - (0.3 + std)) < 1e-4, String(mean[0]));
    assert.ok(Math.abs(mean[3] - 0.4) < 1e-4, String(mean[3]));
  });

  it('gaussianSamples has mean ≈ 0 and variance ≈ 1', () => {
    const samples = gaussianSamples(200_001);
    let sum = 0;
    let squares = 0;
    for (const x of samples) {
      sum += x;
      squares += x * x;
    }
    const mean = sum / samples.length;
    assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
    assert.ok(
      Math.abs(squares / samples.length - mean * mean - 1) < 0.02,
      `variance ${squares / samples.length}`,
    );
  });
});

describe('MaskingKeyStore', () => {
  it('keeps one key pair per federation across restarts, readable only by its owner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'masking-keys-'));
    const first = new MaskingKeyStore(dir).getOrCreate('fed-1');
    const restarted = new MaskingKeyStore(dir);
    assert.deepEqual(restarted.find('fed-1'), first);
    assert.deepEqual(restarted.getOrCreate('fed-1'), first);
    assert.notDeepEqual(restarted.getOrCreate('fed-2'), first);
    assert.equal(restarted.find('fed-3'), undefined);
    assert.equal(statSync(join(dir, 'masking-keys', 'fed-1.json')).mode & 0o777, 0o600);
  });
});
