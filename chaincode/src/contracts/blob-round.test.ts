import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import {
  CONTRACT,
  MEMBER_COLLECTION,
  TRANSIENT,
  TX,
  aggregateBlobRound,
  sha256Hex,
  type AttestAggregateInput,
  type FederationSpec,
  type UpdateMetadata,
} from '@fedledger/core';
import {
  ManualClock,
  expectRejection,
  sampleConsortium,
  sampleSpec,
  sampleWeights,
  type SampleConsortium,
} from '../test-support';

const FED = 'fed-1';
const initial = sampleWeights(0);

/** A blob-path spec of the sample model: the initial model by digest, size and shapes only. */
function blobSpec(overrides: Partial<FederationSpec> = {}): FederationSpec {
  return sampleSpec({
    weightsPath: 'blob',
    initialBlob: {
      digest: sha256Hex(initial),
      byteLength: initial.length,
      weightShapes: [[2, 2], [2]],
    },
    ...overrides,
  });
}

/** Org1 creates a blob federation, Org2 and Org3 accept, round 1 is open. */
async function runningBlobFederation(clock = new ManualClock()): Promise<SampleConsortium> {
  const c = await sampleConsortium({ clock });
  await c.admin.org1.createFederation(blobSpec(), new Uint8Array(0));
  await c.admin.org2.acceptInvitation(FED);
  await c.admin.org3.acceptInvitation(FED);
  await c.admin.org1.startFederation(FED);
  return c;
}

const updates = { org1: sampleWeights(1), org2: sampleWeights(2), org3: sampleWeights(4) };

async function submitAll(c: SampleConsortium, round = 1): Promise<UpdateMetadata[]> {
  const out: UpdateMetadata[] = [];
  for (const org of ['org1', 'org2', 'org3'] as const) {
    const bytes = updates[org];
    out.push(
      await c.client[org].submitBlobUpdate(
        {
          federationId: FED,
          round,
          numSamples: 10,
          digest: sha256Hex(bytes),
          metrics: { loss: 1 },
        },
        bytes.length,
      ),
    );
  }
  return out;
}

/** What every honest gateway attests for round 1: the core strategy over the fetched blobs. */
function honestAttestation(metadata: UpdateMetadata[]): AttestAggregateInput {
  const byOrg = new Map(Object.values(updates).map((bytes) => [sha256Hex(bytes), bytes]));
  const fetched = metadata.map((m) => ({ metadata: m, bytes: byOrg.get(m.digest) as Uint8Array }));
  return aggregateBlobRound(
    { id: FED, strategy: { name: 'fedavg' }, weightShapes: [[2, 2], [2]] },
    1,
    initial,
    fetched,
  ).attestation;
}

describe('blob path: CreateFederation', () => {
  test('records weightsPath blob and version 0 by digest, served by the creator, with nothing in the private collection', async () => {
    const c = await sampleConsortium();
    const federation = await c.admin.org1.createFederation(blobSpec(), new Uint8Array(0));
    assert.equal(federation.weightsPath, 'blob');
    assert.equal(federation.initialModelHash, sha256Hex(initial));
    assert.equal(federation.paramCount, 6);
    const version = await c.client.org2.getModelVersion(FED, 0);
    assert.deepEqual(version.servedBy, ['Org1MSP']);
    assert.ok(
      ![...c.world.state.snapshot().keys()].some((k) => k.startsWith(`${MEMBER_COLLECTION} `)),
      'no private data on the blob path',
    );
    await expectRejection(c.world, 'FAILED_PRECONDITION', () =>
      c.client.org1.getGlobalWeights(FED, 0),
    );
  });

  test('a private-data federation records weightsPath private-data', async () => {
    const c = await sampleConsortium();
    assert.equal(
      (await c.admin.org1.createFederation(sampleSpec(), initial)).weightsPath,
      'private-data',
    );
  });

  const refusals: [string, FederationSpec, RegExp][] = [
    [
      'secure aggregation',
      blobSpec({ privacy: { secureAggregation: true } }),
      /privacy.*blob path/,
    ],
    ['incentives', blobSpec({ incentives: {} }), /incentives.*blob path/],
    [
      'server optimizer state',
      blobSpec({ strategy: { name: 'fedadam' } }),
      /server optimizer state/,
    ],
    [
      'byteLength not the size of the shapes',
      blobSpec({
        initialBlob: {
          digest: sha256Hex(initial),
          byteLength: initial.length + 4,
          weightShapes: [[2, 2], [2]],
        },
      }),
      /byteLength must be 56/,
    ],
    [
      'digest not hex',
      blobSpec({
        initialBlob: { digest: 'xyz', byteLength: initial.length, weightShapes: [[2, 2], [2]] },
      }),
      /digest/,
    ],
    [
      'blob path without initialBlob',
      sampleSpec({ weightsPath: 'blob' }),
      /initialBlob is required/,
    ],
    [
      'initialBlob on the private-data path',
      sampleSpec({
        weightsPath: 'private-data',
        initialBlob: {
          digest: sha256Hex(initial),
          byteLength: initial.length,
          weightShapes: [[2, 2], [2]],
        },
      }),
      /only allowed with weightsPath "blob"/,
    ],
  ];
  for (const [name, spec, message] of refusals) {
    test(`INVALID_ARGUMENT: ${name}`, async () => {
      const c = await sampleConsortium();
      const error = await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
        c.admin.org1.createFederation(spec, new Uint8Array(0)),
      );
      assert.match(error.message, message);
    });
  }

  test('INVALID_ARGUMENT: transient initialWeights with a blob spec', async () => {
    const c = await sampleConsortium();
    const error = await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.admin.org1.createFederation(blobSpec(), initial),
    );
    assert.match(error.message, /takes no transient initialWeights/);
  });
});

describe('blob path: a round', () => {
  let c: SampleConsortium;
  beforeEach(async () => {
    c = await runningBlobFederation();
  });

  test('digests on the ledger, attestations under per-org keys, the majority hash becomes version 1', async () => {
    const metadata = await submitAll(c);
    assert.deepEqual(
      metadata.map((m) => m.servedBy),
      ['Org1MSP', 'Org2MSP', 'Org3MSP'],
    );
    assert.ok(
      ![...c.world.state.snapshot().keys()].some((k) => k.startsWith(`${MEMBER_COLLECTION} `)),
      'no weights in private data',
    );
    const claim = honestAttestation(metadata);
    await c.client.org2.attestAggregate(claim);
    await expectRejection(c.world, 'QUORUM_NOT_MET', () => c.client.org2.aggregate(FED, 1));
    await c.client.org3.attestAggregate(claim);
    const written = c.world.committed.slice(-2).map((tx) => tx.writtenKeys);
    assert.equal(written.length, 2);
    const [first, second] = written;
    assert.deepEqual(
      first.filter((k) => second.includes(k)),
      [],
      'two attestations share no written key',
    );
    assert.ok(
      !second.some(
        (k) =>
          k.includes('fl.round') || k.includes('fl.federation') || k.includes('fl.modelVersion'),
      ),
      second.join(' | '),
    );
    const version = await c.client.org1.aggregate(FED, 1);
    assert.equal(version.modelHash, claim.modelHash);
    assert.deepEqual(version.servedBy, ['Org2MSP', 'Org3MSP']);
    assert.deepEqual(version.contributors, claim.contributors);
    assert.equal((await c.client.org1.getFederation(FED)).currentRound, 2);
    assert.deepEqual(
      (await c.client.auditor.listAttestations(FED, 1)).map((a) => a.mspId),
      ['Org2MSP', 'Org3MSP'],
    );
    // The late third attestation finds the round closed; the winner's second Aggregate too.
    await expectRejection(c.world, 'ROUND_CLOSED', () => c.client.org1.attestAggregate(claim));
    await expectRejection(c.world, 'ROUND_CLOSED', () => c.client.org1.aggregate(FED, 1));
  });

  test('disagreeing attestations do not make a model until a majority agrees', async () => {
    const metadata = await submitAll(c);
    const claim = honestAttestation(metadata);
    await c.client.org1.attestAggregate({ ...claim, modelHash: 'a'.repeat(64) });
    await c.client.org2.attestAggregate(claim);
    const error = await expectRejection(c.world, 'QUORUM_NOT_MET', () =>
      c.client.org1.aggregate(FED, 1),
    );
    assert.match(error.message, /needs 2 of 3/);
    await c.client.org3.attestAggregate(claim);
    assert.equal((await c.client.org1.aggregate(FED, 1)).modelHash, claim.modelHash);
  });

  test('bad input to AttestAggregate: stable codes, no state change', async () => {
    const metadata = await submitAll(c);
    const claim = honestAttestation(metadata);
    await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.client.org1.attestAggregate({ ...claim, modelHash: 'ABC' }),
    );
    await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.client.org1.attestAggregate({ ...claim, contributors: claim.contributors.slice(1) }),
    );
    await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.client.org1.attestAggregate({ ...claim, contributors: [] }),
    );
    await expectRejection(c.world, 'SHAPE_MISMATCH', () =>
      c.client.org1.attestAggregate({ ...claim, byteLength: claim.byteLength - 4 }),
    );
    await expectRejection(c.world, 'FORBIDDEN', () => c.outsider.attestAggregate(claim));
    await expectRejection(c.world, 'FORBIDDEN', () => c.client.auditor.attestAggregate(claim));
    await expectRejection(c.world, 'NOT_FOUND', () =>
      c.client.org1.attestAggregate({ ...claim, federationId: 'no-such-fed' }),
    );
    await expectRejection(c.world, 'ROUND_NOT_OPEN', () =>
      c.client.org1.attestAggregate({ ...claim, round: 2 }),
    );
    await c.client.org1.attestAggregate(claim);
    await expectRejection(c.world, 'ALREADY_EXISTS', () => c.client.org1.attestAggregate(claim));
  });

  test('QUORUM_NOT_MET: attesting before the round can be aggregated', async () => {
    const bytes = updates.org1;
    await c.client.org1.submitBlobUpdate(
      { federationId: FED, round: 1, numSamples: 10, digest: sha256Hex(bytes), metrics: {} },
      bytes.length,
    );
    const claim = {
      federationId: FED,
      round: 1,
      modelHash: sha256Hex(bytes),
      byteLength: bytes.length,
      contributors: [
        { mspId: 'Org1MSP', numSamples: 10, digest: sha256Hex(bytes), accepted: true, weight: 1 },
      ],
    };
    await expectRejection(c.world, 'QUORUM_NOT_MET', () => c.client.org1.attestAggregate(claim));
  });

  test('bad input to SubmitBlobUpdate and the private-data transactions: stable codes, no state change', async () => {
    const bytes = updates.org1;
    const input = {
      federationId: FED,
      round: 1,
      numSamples: 10,
      digest: sha256Hex(bytes),
      metrics: {},
    };
    await expectRejection(c.world, 'SHAPE_MISMATCH', () =>
      c.client.org1.submitBlobUpdate(input, bytes.length + 1),
    );
    await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.client.org1.submitBlobUpdate({ ...input, digest: 'not-a-digest' }, bytes.length),
    );
    await expectRejection(c.world, 'FORBIDDEN', () =>
      c.outsider.submitBlobUpdate(input, bytes.length),
    );
    await expectRejection(c.world, 'FAILED_PRECONDITION', () =>
      c.client.org1.submitUpdate(input, bytes),
    );
    await c.client.org1.submitBlobUpdate(input, bytes.length);
    await expectRejection(c.world, 'ALREADY_EXISTS', () =>
      c.client.org1.submitBlobUpdate(input, bytes.length),
    );
  });

  test('ROUND_CLOSED: an update after aggregation began (someone attested)', async () => {
    // A round past its deadline with two updates can be attested; the third org is then too late.
    const clock = new ManualClock();
    const fresh = await runningBlobFederation(clock);
    const subset = [];
    for (const org of ['org1', 'org2'] as const) {
      const bytes = updates[org];
      subset.push(
        await fresh.client[org].submitBlobUpdate(
          { federationId: FED, round: 1, numSamples: 10, digest: sha256Hex(bytes), metrics: {} },
          bytes.length,
        ),
      );
    }
    clock.advance(601_000);
    const byDigest = new Map(Object.values(updates).map((bytes) => [sha256Hex(bytes), bytes]));
    const claim = aggregateBlobRound(
      { id: FED, strategy: { name: 'fedavg' }, weightShapes: [[2, 2], [2]] },
      1,
      initial,
      subset.map((m) => ({ metadata: m, bytes: byDigest.get(m.digest) as Uint8Array })),
    ).attestation;
    await fresh.client.org1.attestAggregate(claim);
    const late = updates.org3;
    await expectRejection(fresh.world, 'ROUND_CLOSED', () =>
      fresh.client.org3.submitBlobUpdate(
        { federationId: FED, round: 1, numSamples: 10, digest: sha256Hex(late), metrics: {} },
        late.length,
      ),
    );
  });
});

test('blob path: SubmitBlobUpdate takes its arguments as strings like every transaction (byteLength not an integer)', async () => {
  const c = await runningBlobFederation();
  await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
    c.world.invoke(c.client.org1.identity, {
      contract: CONTRACT.round,
      fcn: TX.round.SubmitBlobUpdate,
      params: [FED, '1', '10', sha256Hex(updates.org1), '5.5', '{}'],
      transient: { [TRANSIENT.weights]: new Uint8Array(0) },
      mode: 'submit',
    }),
  );
});
