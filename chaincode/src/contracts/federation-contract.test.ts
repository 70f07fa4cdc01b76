import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodeFlat, sha256Hex } from '@fedledger/core';
import {
  SAMPLE_ORGS,
  createFederationFromText,
  expectRejection,
  sampleConsortium,
  sampleSpec,
  sampleWeights,
} from '../test-support';

describe('CreateFederation', () => {
  const invalidSpecs: [string, Record<string, unknown>][] = [
    ['missing id', { id: undefined }],
    ['id with a slash', { id: 'a/b' }],
    ['name not a string', { name: 42 }],
    ['empty feature columns', { featureColumns: [] }],
    ['duplicate feature columns', { featureColumns: ['x', 'x'] }],
    ['label is a feature', { labelColumn: 'x1' }],
    ['unknown field', { colour: 'blue' }],
    [
      'epochs not an integer',
      { hyperParameters: { epochs: 1.5, batchSize: 8, learningRate: 0.1 } },
    ],
    ['learning rate zero', { hyperParameters: { epochs: 1, batchSize: 8, learningRate: 0 } }],
    ['hyper parameters missing', { hyperParameters: undefined }],
    ['unknown strategy', { strategy: { name: 'best' } }],
    ['minParticipants above 1 + invited', { minParticipants: 4 }],
    ['minParticipants zero', { minParticipants: 0 }],
    ['rounds zero', { rounds: 0 }],
    ['deadline negative', { roundDeadlineSeconds: -5 }],
    [
      'model format',
      { modelSpec: { format: 'onnx', topology: 'x', topologyHash: '0'.repeat(64) } },
    ],
    ['invited org not a member', { invitedOrgs: ['Org9MSP'] }],
    ['invited auditor', { invitedOrgs: [SAMPLE_ORGS.auditor] }],
    ['invited self', { invitedOrgs: [SAMPLE_ORGS.org1] }],
    ['maxUpdateBytes too large', { maxUpdateBytes: 1e12 }],
    [
      'krum with fewer than 2f + 3 guaranteed updates',
      { strategy: { name: 'krum' }, minParticipants: 2 },
    ],
    [
      'krum f = 1 with three orgs',
      { strategy: { name: 'krum', params: { f: 1 } }, minParticipants: 3 },
    ],
    [
      'multi-krum selecting more than minParticipants',
      { strategy: { name: 'multi-krum', params: { m: 4 } }, minParticipants: 3 },
    ],
    [
      'trimmed mean with the default beta trimming nothing for 3 orgs',
      { strategy: { name: 'trimmed-mean' }, minParticipants: 3 },
    ],
    [
      'trimmed mean beta 0.2 trimming nothing when 2 updates suffice',
      { strategy: { name: 'trimmed-mean', params: { beta: 0.2 } }, minParticipants: 2 },
    ],
  ];
  for (const [name, change] of invalidSpecs) {
    test(`INVALID_ARGUMENT: ${name}`, async () => {
      const { world, admin } = await sampleConsortium();
      const spec = { ...sampleSpec(), ...change };
      const error = await expectRejection(world, 'INVALID_ARGUMENT', () =>
        admin.org1.createFederation(spec, sampleWeights(0)),
      );
      assert.match(error.message, /spec|strategy/);
    });
  }

  test('INVALID_ARGUMENT: malformed JSON and a JSON array', async () => {
    const { world, admin } = await sampleConsortium();
    for (const text of ['{"id":', '[]']) {
      await expectRejection(world, 'INVALID_ARGUMENT', () =>
        createFederationFromText(world, admin.org1, text),
      );
    }
  });

  test('INVALID_ARGUMENT (not a crash) for strategy params named after Object.prototype members', async () => {
    const { world, admin } = await sampleConsortium();
    for (const key of ['__proto__', 'constructor', 'toString']) {
      const text = JSON.stringify(sampleSpec({ strategy: { name: 'fedavgm' } })).replace(
        '"name":"fedavgm"',
        `"name":"fedavgm","params":{"${key}":1}`,
      );
      const error = await expectRejection(world, 'INVALID_ARGUMENT', () =>
        createFederationFromText(world, admin.org1, text),
      );
      assert.match(
        error.message,
        new RegExp(`strategy: strategy\\.params\\.${key} is not a parameter of fedavgm`),
      );
    }
  });

  test('Krum is accepted once minParticipants guarantees 2f + 3 updates', async () => {
    const { admin } = await sampleConsortium();
    const federation = await admin.org1.createFederation(
      sampleSpec({ strategy: { name: 'multi-krum', params: { m: 3 } }, minParticipants: 3 }),
      sampleWeights(0),
    );
    assert.deepEqual(federation.strategy, { name: 'multi-krum', params: { m: 3 } });
  });

  test('trimmed mean that would trim nothing: refused naming beta and the smallest beta that trims, nothing stored', async () => {
    const { world, admin } = await sampleConsortium();
    const spec = sampleSpec({ strategy: { name: 'trimmed-mean' }, minParticipants: 3 });
    const error = await expectRejection(world, 'INVALID_ARGUMENT', () =>
      admin.org1.createFederation(spec, sampleWeights(0)),
    );
    assert.match(
      error.message,
      /spec\.strategy\.params\.beta = 0\.1 \(default\) trims ⌊β·3⌋ = 0 updates/,
    );
    assert.match(error.message, /at least 0\.3333/);
    await expectRejection(world, 'NOT_FOUND', () => admin.org1.getFederation(spec.id));
    const accepted = await admin.org1.createFederation(
      sampleSpec({
        strategy: { name: 'trimmed-mean', params: { beta: 0.34 } },
        minParticipants: 3,
      }),
      sampleWeights(0),
    );
    assert.deepEqual(accepted.strategy, { name: 'trimmed-mean', params: { beta: 0.34 } });
  });

  test('INVALID_ARGUMENT when the topology is not JSON object text (even with a matching hash)', async () => {
    const { world, admin } = await sampleConsortium();
    for (const topology of ['not json', '[1,2]', '42', '{"a":']) {
      const spec = sampleSpec({
        modelSpec: { format: 'tfjs-layers', topology, topologyHash: sha256Hex(topology) },
      });
      const error = await expectRejection(world, 'INVALID_ARGUMENT', () =>
        admin.org1.createFederation(spec, sampleWeights(0)),
      );
      assert.match(
        error.message,
        /spec\.modelSpec\.topology (is not valid JSON|must be JSON object text)/,
      );
    }
  });

  test('weights problems: missing, malformed, non-finite, too large', async () => {
    const { world, admin } = await sampleConsortium();
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      admin.org1.createFederation(sampleSpec(), new Uint8Array(0)),
    );
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      admin.org1.createFederation(sampleSpec(), new Uint8Array([70, 76, 87, 49, 9])),
    );
    await expectRejection(world, 'NON_FINITE_VALUE', () =>
      admin.org1.createFederation(sampleSpec(), sampleWeights(Number.NaN)),
    );
    const manyTensors = encodeFlat(
      [[1], ...new Array<number[]>(4096).fill([0])],
      new Float32Array(1),
    );
    assert.match(
      (
        await expectRejection(world, 'INVALID_ARGUMENT', () =>
          admin.org1.createFederation(sampleSpec(), manyTensors),
        )
      ).message,
      /4097 tensors; at most 4096/,
    );
    const deep = encodeFlat([[1, 1, 1, 1, 1, 1, 1, 1, 1]], new Float32Array(1));
    assert.match(
      (
        await expectRejection(world, 'INVALID_ARGUMENT', () =>
          admin.org1.createFederation(sampleSpec(), deep),
        )
      ).message,
      /tensor 0 has rank 9; at most 8/,
    );
    for (const empty of [
      encodeFlat([], new Float32Array(0)),
      encodeFlat([[0], [2, 0]], new Float32Array(0)),
    ]) {
      const error = await expectRejection(world, 'INVALID_ARGUMENT', () =>
        admin.org1.createFederation(sampleSpec(), empty),
      );
      assert.match(error.message, /initialWeights hold no values/);
    }
    const large = encodeFlat([[100]], new Float32Array(100));
    await expectRejection(world, 'PAYLOAD_TOO_LARGE', () =>
      admin.org1.createFederation(sampleSpec({ maxUpdateBytes: 100 }), large),
    );
  });

  test('DIGEST_MISMATCH when the topology hash is wrong', async () => {
    const { world, admin } = await sampleConsortium();
    const spec = sampleSpec();
    spec.modelSpec = { ...spec.modelSpec, topologyHash: 'f'.repeat(64) };
    await expectRejection(world, 'DIGEST_MISMATCH', () =>
      admin.org1.createFederation(spec, sampleWeights(0)),
    );
  });

  test('FORBIDDEN for a client identity, the auditor and an outsider; ALREADY_EXISTS for a duplicate id', async () => {
    const { world, admin, client, outsider } = await sampleConsortium();
    await expectRejection(world, 'FORBIDDEN', () =>
      client.org1.createFederation(sampleSpec(), sampleWeights(0)),
    );
    await expectRejection(world, 'FORBIDDEN', () =>
      admin.auditor.createFederation(
        sampleSpec({ invitedOrgs: [], minParticipants: 1 }),
        sampleWeights(0),
      ),
    );
    await expectRejection(world, 'FORBIDDEN', () =>
      outsider.createFederation(sampleSpec(), sampleWeights(0)),
    );
    await admin.org1.createFederation(sampleSpec(), sampleWeights(0));
    await expectRejection(world, 'ALREADY_EXISTS', () =>
      admin.org2.createFederation(
        sampleSpec({ invitedOrgs: [SAMPLE_ORGS.org1] }),
        sampleWeights(0),
      ),
    );
  });

  test('stores the initial model as version 0 readable by the creator', async () => {
    const { admin, client } = await sampleConsortium();
    const weights = sampleWeights(0.5);
    await admin.org1.createFederation(
      sampleSpec({
        description: 'demo',
        hyperParameters: { epochs: 2, batchSize: 4, learningRate: 0.01, proximalMu: 0.1 },
      }),
      weights,
    );
    assert.deepEqual(await client.org1.getGlobalWeights('fed-1', 0), weights);
    const v0 = await client.org2.getModelVersion('fed-1', 0);
    assert.equal(v0.parentHash, null);
    assert.deepEqual(v0.contributors, []);
    const federation = await client.auditor.getFederation('fed-1');
    assert.equal(federation.description, 'demo');
    assert.equal(federation.maxUpdateBytes, 32 * 1024 * 1024);
  });
});

describe('AcceptInvitation, StartFederation, CancelFederation', () => {
  test('acceptance rules', async () => {
    const { world, admin, client, outsider } = await sampleConsortium();
    await admin.org1.createFederation(
      sampleSpec({ invitedOrgs: [SAMPLE_ORGS.org2], minParticipants: 2 }),
      sampleWeights(0),
    );
    await expectRejection(world, 'FORBIDDEN', () => admin.org3.acceptInvitation('fed-1'));
    await expectRejection(world, 'FORBIDDEN', () => client.org2.acceptInvitation('fed-1'));
    await expectRejection(world, 'FORBIDDEN', () => admin.auditor.acceptInvitation('fed-1'));
    await expectRejection(world, 'FORBIDDEN', () => outsider.acceptInvitation('fed-1'));
    await expectRejection(world, 'NOT_FOUND', () => admin.org2.acceptInvitation('fed-9'));
    await expectRejection(world, 'INVALID_ARGUMENT', () => admin.org2.acceptInvitation(''));
    await admin.org2.acceptInvitation('fed-1');
    await expectRejection(world, 'ALREADY_EXISTS', () => admin.org2.acceptInvitation('fed-1'));
  });

  test('concurrent acceptances write disjoint keys', async () => {
    const { world, admin } = await sampleConsortium();
    await admin.org1.createFederation(sampleSpec(), sampleWeights(0));
    await admin.org2.acceptInvitation('fed-1');
    await admin.org3.acceptInvitation('fed-1');
    const written = world.committed.slice(-2).map((tx) => tx.writtenKeys);
    assert.equal(written.length, 2);
    const [a, b] = written;
    assert.deepEqual(
      a.filter((k) => b.includes(k)),
      [],
    );
  });

  test('start needs the creator org and a quorum; cannot start twice; cannot accept after start', async () => {
    const { world, admin, client } = await sampleConsortium();
    await admin.org1.createFederation(sampleSpec({ minParticipants: 3 }), sampleWeights(0));
    await admin.org2.acceptInvitation('fed-1');
    await expectRejection(world, 'QUORUM_NOT_MET', () => client.org1.startFederation('fed-1'));
    await expectRejection(world, 'FORBIDDEN', () => admin.org2.startFederation('fed-1'));
    await admin.org3.acceptInvitation('fed-1');
    await client.org1.startFederation('fed-1');
    await expectRejection(world, 'FAILED_PRECONDITION', () => client.org1.startFederation('fed-1'));
  });

  test('cancel: creator org admin only, with a reason, not twice', async () => {
    const { world, admin, client } = await sampleConsortium();
    await admin.org1.createFederation(sampleSpec(), sampleWeights(0));
    await expectRejection(world, 'FORBIDDEN', () => client.org1.cancelFederation('fed-1', 'why'));
    await expectRejection(world, 'FORBIDDEN', () => admin.org2.cancelFederation('fed-1', 'why'));
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      admin.org1.cancelFederation('fed-1', '  '),
    );
    const cancelled = await admin.org1.cancelFederation('fed-1', 'wrong data');
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.cancelReason, 'wrong data');
    await expectRejection(world, 'FAILED_PRECONDITION', () =>
      admin.org1.cancelFederation('fed-1', 'again'),
    );
    await expectRejection(world, 'FAILED_PRECONDITION', () => admin.org2.acceptInvitation('fed-1'));
  });
});

describe('ListFederations', () => {
  test('pages through federations in id order with a bookmark', async () => {
    const { world, admin, client, outsider } = await sampleConsortium();
    for (const id of ['fed-c', 'fed-a', 'fed-b']) {
      await admin.org1.createFederation(sampleSpec({ id }), sampleWeights(0));
    }
    await admin.org2.acceptInvitation('fed-b');
    const first = await client.auditor.listFederations(2, '');
    assert.deepEqual(
      first.items.map((f) => f.id),
      ['fed-a', 'fed-b'],
    );
    assert.deepEqual(first.items[1]?.participants, [SAMPLE_ORGS.org1, SAMPLE_ORGS.org2]);
    assert.notEqual(first.bookmark, '');
    const second = await client.auditor.listFederations(2, first.bookmark);
    assert.deepEqual(
      second.items.map((f) => f.id),
      ['fed-c'],
    );
    assert.equal(second.bookmark, '');
    await expectRejection(world, 'INVALID_ARGUMENT', () => client.org1.listFederations(0, ''));
    await expectRejection(world, 'INVALID_ARGUMENT', () => client.org1.listFederations(101, ''));
    await expectRejection(world, 'FORBIDDEN', () => outsider.listFederations(10, ''));
  });
});
