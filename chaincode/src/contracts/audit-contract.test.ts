import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONTRACT, TX } from '@fedledger/core';
import { expectRejection, sampleConsortium, sampleSpec, sampleWeights } from '../test-support';

describe('audit', () => {
  test('the federation timeline pages in transaction order with actor and target', async () => {
    const { world, admin, client } = await sampleConsortium();
    await admin.org1.createFederation(sampleSpec(), sampleWeights(0));
    await admin.org2.acceptInvitation('fed-1');
    await admin.org3.acceptInvitation('fed-1');
    const first = await client.auditor.listTimeline('fed-1', 2, '');
    assert.deepEqual(
      first.items.map((e) => [e.action, e.actorMsp]),
      [
        ['CreateFederation', 'Org1MSP'],
        ['AcceptInvitation', 'Org2MSP'],
      ],
    );
    assert.equal(first.items[0]?.target, 'federation/fed-1');
    assert.equal(first.items[0]?.actorId, admin.org1.identity.id);
    const second = await client.auditor.listTimeline('fed-1', 2, first.bookmark);
    assert.deepEqual(
      second.items.map((e) => e.actorMsp),
      ['Org3MSP'],
    );
    assert.equal(second.bookmark, '');
    assert.ok(first.items.every((e, i, all) => i === 0 || all[i - 1].timestamp <= e.timestamp));
    await expectRejection(world, 'NOT_FOUND', () => client.auditor.listTimeline('nope', 10, ''));
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      client.auditor.listTimeline('fed-1', 0, ''),
    );
  });

  test('INVALID_ARGUMENT for a bookmark taken from another listing', async () => {
    const { world, admin, client } = await sampleConsortium();
    await admin.org1.createFederation(sampleSpec({ id: 'fed-0' }), sampleWeights(0));
    await admin.org2.acceptInvitation('fed-0');
    await admin.org1.createFederation(sampleSpec({ id: 'fed-1' }), sampleWeights(0));
    const fed0 = await client.auditor.listTimeline('fed-0', 1, '');
    assert.notEqual(fed0.bookmark, '');
    const error = await expectRejection(world, 'INVALID_ARGUMENT', () =>
      client.auditor.listTimeline('fed-1', 10, fed0.bookmark),
    );
    assert.match(error.message, /bookmark does not belong to this listing/);
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      client.auditor.listFederations(10, fed0.bookmark),
    );
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      client.auditor.listConsortiumTimeline(10, fed0.bookmark),
    );
    assert.deepEqual(
      (await client.auditor.listTimeline('fed-0', 10, fed0.bookmark)).items.map((e) => e.action),
      ['AcceptInvitation'],
    );
  });

  test('key history lists every committed value oldest first', async () => {
    const { world, admin, client } = await sampleConsortium();
    await admin.org1.createFederation(sampleSpec(), sampleWeights(0));
    await admin.org2.acceptInvitation('fed-1');
    await admin.org1.startFederation('fed-1');
    await admin.org1.cancelFederation('fed-1', 'enough');
    const history = await client.auditor.getKeyHistory('fl.federation', ['fed-1']);
    assert.deepEqual(
      history.map((h) => (h.value as { status: string }).status),
      ['pending', 'running', 'cancelled'],
    );
    assert.deepEqual(
      history.map((h) => h.isDelete),
      [false, false, false],
    );
    assert.ok(history.every((h, i) => i === 0 || history[i - 1].timestamp < h.timestamp));
    assert.deepEqual(await client.auditor.getKeyHistory('fl.federation', ['nope']), []);
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      client.auditor.getKeyHistory('fl.weights.global', ['fed-1', '000000']),
    );
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      client.auditor.getKeyHistory('fl.federation', [1 as unknown as string]),
    );
    // One attribute may not smuggle in the composite-key separator (or other control characters).
    for (const attribute of ['fed-1\u0000', 'fed-1\u0000000001', 'a\nb', '\u{10ffff}', '']) {
      const error = await expectRejection(world, 'INVALID_ARGUMENT', () =>
        client.auditor.getKeyHistory('fl.round', [attribute]),
      );
      assert.match(error.message, /attributesJson\.attributes\[0\]/);
    }
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      world.invoke(client.auditor.identity, {
        contract: CONTRACT.audit,
        fcn: TX.audit.GetKeyHistory,
        params: ['fl.federation', 'nope'],
        mode: 'evaluate',
      }),
    );
  });
});
