import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MEMBER_COLLECTION, canonicalJsonBytes, encodeWeights, sha256Hex } from '@fedledger/core';
import {
  MemoryStub,
  expectRejection,
  sampleConsortium,
  sampleSpec,
  sampleWeights,
  type SampleConsortium,
} from '../test-support';

/** Org1 and Org2 both submitted round 1 of fed-1. */
async function submitted(): Promise<SampleConsortium> {
  const c = await sampleConsortium();
  await c.admin.org1.createFederation(sampleSpec(), sampleWeights(0));
  await c.admin.org2.acceptInvitation('fed-1');
  await c.admin.org1.startFederation('fed-1');
  for (const [org, value] of [
    [c.client.org1, 1],
    [c.client.org2, 2],
  ] as const) {
    const w = sampleWeights(value);
    await org.submitUpdate(
      { federationId: 'fed-1', round: 1, numSamples: 1, digest: sha256Hex(w), metrics: {} },
      w,
    );
  }
  return c;
}

/** Overwrites private keys directly, as a corrupted or malicious peer database would. */
async function tamper(
  c: SampleConsortium,
  entries: [string[], Uint8Array | null][],
  objectType = 'fl.weights.update',
): Promise<void> {
  const stub = new MemoryStub(c.world.state, {
    txId: 'tamper',
    timestamp: new Date(0),
    channelId: 'x',
    creator: { mspid: 'x', idBytes: new Uint8Array() },
    transient: new Map(),
    fcn: 'tamper',
    params: [],
  });
  for (const [attributes, value] of entries) {
    const privateKey = stub.createCompositeKey(objectType, attributes);
    await (value === null
      ? stub.deletePrivateData(MEMBER_COLLECTION, privateKey)
      : stub.putPrivateData(MEMBER_COLLECTION, privateKey, value));
  }
  c.world.state.commit(stub.writes, 'tamper', new Date(0));
}

test('Aggregate refuses a private update whose chunks no longer match their manifest', async () => {
  const c = await submitted();
  await tamper(c, [[['fed-1', '000001', 'Org1MSP', '000000'], sampleWeights(9)]]);
  const error = await expectRejection(c.world, 'INTERNAL', () =>
    c.client.org1.aggregate('fed-1', 1),
  );
  assert.match(error.message, /does not match its manifest digest/);
});

test('Aggregate refuses private weights swapped consistently but not matching the public digest', async () => {
  const c = await submitted();
  const other = sampleWeights(9);
  await tamper(c, [
    [
      ['fed-1', '000001', 'Org1MSP'],
      canonicalJsonBytes({ byteLength: other.length, chunkCount: 1, digest: sha256Hex(other) }),
    ],
    [['fed-1', '000001', 'Org1MSP', '000000'], other],
  ]);
  const error = await expectRejection(c.world, 'INTERNAL', () =>
    c.client.org1.aggregate('fed-1', 1),
  );
  assert.match(error.message, /do not match the public digest/);
});

/** Replaces the global weights of fed-1 version 0 with other valid weights, manifest and chunk alike. */
async function swapInitialModel(c: SampleConsortium): Promise<void> {
  const other = sampleWeights(5);
  await tamper(
    c,
    [
      [
        ['fed-1', '000000'],
        canonicalJsonBytes({ byteLength: other.length, chunkCount: 1, digest: sha256Hex(other) }),
      ],
      [['fed-1', '000000', '000000'], other],
    ],
    'fl.weights.global',
  );
}

test('GetGlobalWeights refuses private global weights swapped consistently but not matching the public model hash', async () => {
  const c = await submitted();
  await swapInitialModel(c);
  const error = await expectRejection(c.world, 'INTERNAL', () =>
    c.client.org1.getGlobalWeights('fed-1', 0),
  );
  assert.match(
    error.message,
    /private global weights of fed-1 version 0 do not match the public model hash/,
  );
});

test('Aggregate refuses to start from a swapped previous global model', async () => {
  const c = await submitted();
  await swapInitialModel(c);
  const error = await expectRejection(c.world, 'INTERNAL', () =>
    c.client.org1.aggregate('fed-1', 1),
  );
  assert.match(error.message, /do not match the public model hash/);
});

test('SubmitUpdate refuses to measure its norm against a swapped starting model', async () => {
  const c = await sampleConsortium();
  await c.admin.org1.createFederation(sampleSpec(), sampleWeights(0));
  await c.admin.org2.acceptInvitation('fed-1');
  await c.admin.org1.startFederation('fed-1');
  await swapInitialModel(c);
  const w = sampleWeights(1);
  const error = await expectRejection(c.world, 'INTERNAL', () =>
    c.client.org1.submitUpdate(
      { federationId: 'fed-1', round: 1, numSamples: 1, digest: sha256Hex(w), metrics: {} },
      w,
    ),
  );
  assert.match(error.message, /do not match the public model hash/);
});

test('Aggregate refuses to restart a stateful strategy from fresh state when the saved state is missing on this peer', async () => {
  const c = await sampleConsortium();
  await c.admin.org1.createFederation(
    sampleSpec({ strategy: { name: 'fedavgm', params: { momentum: 0.5 } }, rounds: 3 }),
    sampleWeights(0),
  );
  await c.admin.org2.acceptInvitation('fed-1');
  await c.admin.org1.startFederation('fed-1');
  const submitBoth = async (round: number): Promise<void> => {
    for (const org of [c.client.org1, c.client.org2]) {
      const w = sampleWeights(round);
      await org.submitUpdate(
        { federationId: 'fed-1', round, numSamples: 1, digest: sha256Hex(w), metrics: {} },
        w,
      );
    }
  };
  await submitBoth(1);
  await c.client.org1.aggregate('fed-1', 1);
  await submitBoth(2);
  await tamper(
    c,
    [
      [['fed-1', '000001'], null],
      [['fed-1', '000001', '000000'], null],
    ],
    'fl.weights.serverState',
  );
  const error = await expectRejection(c.world, 'INTERNAL', () =>
    c.client.org1.aggregate('fed-1', 2),
  );
  assert.match(
    error.message,
    /the server state saved with version 1 of fed-1 is missing on this peer/,
  );
});

test('Aggregate refuses server optimizer state swapped consistently but not matching the hash its version records', async () => {
  const c = await sampleConsortium();
  await c.admin.org1.createFederation(
    sampleSpec({ strategy: { name: 'fedadam' }, rounds: 2 }),
    sampleWeights(0),
  );
  await c.admin.org2.acceptInvitation('fed-1');
  await c.admin.org1.startFederation('fed-1');
  for (const round of [1, 2]) {
    for (const org of [c.client.org1, c.client.org2]) {
      const w = sampleWeights(round);
      await org.submitUpdate(
        { federationId: 'fed-1', round, numSamples: 1, digest: sha256Hex(w), metrics: {} },
        w,
      );
    }
    if (round === 1) {
      const v1 = await c.client.org1.aggregate('fed-1', 1);
      assert.match(v1.serverStateHash ?? '', /^[0-9a-f]{64}$/);
    }
  }
  // Other moments of the same shape, stored with a manifest that matches them.
  const other = encodeWeights([
    { shape: [6], values: new Float32Array(6).fill(7) },
    { shape: [6], values: new Float32Array(6).fill(7) },
  ]);
  await tamper(
    c,
    [
      [
        ['fed-1', '000001'],
        canonicalJsonBytes({
          byteLength: other.length,
          chunkCount: 1,
          digest: sha256Hex(other),
          labels: ['m', 'v'],
        }),
      ],
      [['fed-1', '000001', '000000'], other],
    ],
    'fl.weights.serverState',
  );
  const error = await expectRejection(c.world, 'INTERNAL', () =>
    c.client.org1.aggregate('fed-1', 2),
  );
  assert.match(
    error.message,
    /private server state of fed-1 version 1 does not match the public server state hash/,
  );
});
