import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256Hex, type LedgerApi, type ModelVersion } from '@fedledger/core';
import type { LedgerProvider } from '../../ledger/port/ledger.tokens';
import { ModelWeightsService } from './model-weights.service';

/** A ledger whose GetGlobalWeights answers `weights` after a tick, counting the calls. */
function ledgerServing(weights: Uint8Array): { provider: LedgerProvider; calls: () => number } {
  let calls = 0;
  const ledger = {
    getGlobalWeights: async () => {
      calls += 1;
      await new Promise((resolve) => setImmediate(resolve));
      return weights;
    },
  } as unknown as LedgerApi;
  return {
    provider: { ledgerFor: () => ledger, waitForBlock: () => Promise.resolve() },
    calls: () => calls,
  };
}

const version = (modelHash: string): ModelVersion =>
  ({ federationId: 'f', version: 1, modelHash }) as ModelVersion;

describe('ModelWeightsService', () => {
  it('shares one fetch between concurrent asks for the same version, then serves it from the cache', async () => {
    const weights = new Uint8Array([1, 2, 3]);
    const { provider, calls } = ledgerServing(weights);
    const service = new ModelWeightsService(provider);
    const [a, b] = await Promise.all([
      service.weightsOf('scientist', version(sha256Hex(weights))),
      service.weightsOf('scientist', version(sha256Hex(weights))),
    ]);
    assert.deepEqual([a, b], [weights, weights]);
    assert.equal(calls(), 1);
    await service.weightsOf('scientist', version(sha256Hex(weights)));
    assert.equal(calls(), 1);
  });

  it('refuses weights whose hash is not the ledger’s, caches nothing, and asks again next time', async () => {
    const { provider, calls } = ledgerServing(new Uint8Array([9]));
    const service = new ModelWeightsService(provider);
    const expected = sha256Hex(new Uint8Array([1]));
    await assert.rejects(
      service.weightsOf('scientist', version(expected)),
      (error: unknown) => (error as { code: string }).code === 'DIGEST_MISMATCH',
    );
    await assert.rejects(service.weightsOf('scientist', version(expected)));
    assert.equal(calls(), 2);
  });
});
