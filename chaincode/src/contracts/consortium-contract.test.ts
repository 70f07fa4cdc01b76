import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONTRACT, TX, type ConsortiumMember } from '@fedledger/core';
import { InProcessWorld, SAMPLE_ORGS, expectRejection, sampleConsortium } from '../test-support';

const MEMBERS: ConsortiumMember[] = [
  { mspId: 'Org2MSP', role: 'member' },
  { mspId: 'Org1MSP', role: 'member' },
  { mspId: 'AuditorMSP', role: 'auditor' },
];

describe('InitConsortium', () => {
  test('an admin of a listed member org initializes once; members are sorted', async () => {
    const world = new InProcessWorld();
    const org1 = world.ledger({ mspId: 'Org1MSP', role: 'admin' });
    const consortium = await org1.initConsortium(MEMBERS);
    assert.deepEqual(
      consortium.members.map((m) => m.mspId),
      ['AuditorMSP', 'Org1MSP', 'Org2MSP'],
    );
    assert.equal(consortium.initializedBy, 'Org1MSP');
    await expectRejection(world, 'ALREADY_EXISTS', () => org1.initConsortium(MEMBERS));
    const timeline = await world
      .ledger({ mspId: 'AuditorMSP', role: 'client' })
      .listConsortiumTimeline(10, '');
    assert.deepEqual(
      timeline.items.map((e) => e.action),
      ['InitConsortium'],
    );
  });

  test('rejects callers that are not admins of a listed member org', async () => {
    const world = new InProcessWorld();
    await expectRejection(world, 'FORBIDDEN', () =>
      world.ledger({ mspId: 'Org1MSP', role: 'client' }).initConsortium(MEMBERS),
    );
    await expectRejection(world, 'FORBIDDEN', () =>
      world.ledger({ mspId: 'AuditorMSP', role: 'admin' }).initConsortium(MEMBERS),
    );
    await expectRejection(world, 'FORBIDDEN', () =>
      world.ledger({ mspId: 'Org9MSP', role: 'admin' }).initConsortium(MEMBERS),
    );
  });

  test('rejects malformed member lists', async () => {
    const world = new InProcessWorld();
    const org1 = world.ledger({ mspId: 'Org1MSP', role: 'admin' });
    const bad: unknown[] = [
      [],
      [{ mspId: 'Org1MSP', role: 'owner' }],
      [{ mspId: 'Org1MSP' }],
      [{ mspId: 1, role: 'member' }],
      [{ mspId: 'Org1MSP', role: 'member', extra: true }],
      [
        { mspId: 'Org1MSP', role: 'member' },
        { mspId: 'Org1MSP', role: 'auditor' },
      ],
      [{ mspId: 'Org 1', role: 'member' }],
      { mspId: 'Org1MSP', role: 'member' },
    ];
    for (const members of bad) {
      await expectRejection(world, 'INVALID_ARGUMENT', () =>
        org1.initConsortium(members as ConsortiumMember[]),
      );
    }
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      world.invoke(org1.identity, {
        contract: CONTRACT.consortium,
        fcn: TX.consortium.InitConsortium,
        params: ['[{'],
        mode: 'submit',
      }),
    );
  });

  test('reads before initialization are FAILED_PRECONDITION', async () => {
    const world = new InProcessWorld();
    await expectRejection(world, 'FAILED_PRECONDITION', () =>
      world.ledger({ mspId: 'Org1MSP', role: 'client' }).getConsortium(),
    );
  });
});

describe('role changes', () => {
  test('applied only when a majority of member orgs approved', async () => {
    const { world, admin, client } = await sampleConsortium();
    const proposal = await admin.org1.proposeRoleChange('Org4MSP', 'member');
    assert.equal(proposal.status, 'open');
    assert.equal(proposal.approvalsRequired, 2);
    assert.deepEqual(proposal.approvals, [SAMPLE_ORGS.org1]);
    // Not yet applied: Org4 cannot act.
    const org4 = world.ledger({ mspId: 'Org4MSP', role: 'admin' });
    await expectRejection(world, 'FORBIDDEN', () => org4.getConsortium());
    await expectRejection(world, 'ALREADY_EXISTS', () => admin.org1.approveRoleChange(proposal.id));
    await expectRejection(world, 'FORBIDDEN', () => client.org2.approveRoleChange(proposal.id));
    await expectRejection(world, 'FORBIDDEN', () => admin.auditor.approveRoleChange(proposal.id));
    await expectRejection(world, 'NOT_FOUND', () =>
      admin.org2.approveRoleChange('no-such-proposal'),
    );
    for (const id of [`${proposal.id}\u0000`, 'a\u0000b', 'x\ty', 'p'.repeat(129)]) {
      await expectRejection(world, 'INVALID_ARGUMENT', () => admin.org2.approveRoleChange(id));
      await expectRejection(world, 'INVALID_ARGUMENT', () => client.auditor.getRoleChange(id));
    }
    const applied = await admin.org2.approveRoleChange(proposal.id);
    assert.equal(applied.status, 'applied');
    assert.deepEqual(
      (await org4.getConsortium()).members.find((m) => m.mspId === 'Org4MSP'),
      { mspId: 'Org4MSP', role: 'member' },
    );
    await expectRejection(world, 'FAILED_PRECONDITION', () =>
      admin.org3.approveRoleChange(proposal.id),
    );
    assert.deepEqual(await client.auditor.getRoleChange(proposal.id), applied);
    const timeline = await client.auditor.listConsortiumTimeline(10, '');
    assert.deepEqual(
      timeline.items.map((e) => e.action),
      ['InitConsortium', 'ProposeRoleChange', 'ApproveRoleChange'],
    );
  });

  test('the majority is of the member orgs at approval time, not at proposal time', async () => {
    const { world, admin, client } = await sampleConsortium();
    const stale = await admin.org1.proposeRoleChange('Org5MSP', 'member');
    assert.equal(stale.approvalsRequired, 2);
    const grow = await admin.org1.proposeRoleChange('Org4MSP', 'member');
    assert.equal((await admin.org2.approveRoleChange(grow.id)).status, 'applied');
    const membersBefore = (await client.auditor.getConsortium()).members;
    // Org1 and Org2 are 2 of 4 member orgs now: not a majority, so the old proposal stays open.
    const afterApproval = await admin.org2.approveRoleChange(stale.id);
    assert.equal(afterApproval.status, 'open');
    assert.equal(afterApproval.approvalsRequired, 3);
    assert.deepEqual(afterApproval.approvals, [SAMPLE_ORGS.org1, SAMPLE_ORGS.org2]);
    assert.deepEqual((await client.auditor.getConsortium()).members, membersBefore);
    await expectRejection(world, 'FORBIDDEN', () =>
      world.ledger({ mspId: 'Org5MSP', role: 'admin' }).getConsortium(),
    );
    assert.equal((await admin.org3.approveRoleChange(stale.id)).status, 'applied');
  });

  test('demoting a member to auditor takes away its write access', async () => {
    const { world, admin } = await sampleConsortium();
    const proposal = await admin.org1.proposeRoleChange(SAMPLE_ORGS.org3, 'auditor');
    await admin.org2.approveRoleChange(proposal.id);
    await expectRejection(world, 'FORBIDDEN', () =>
      admin.org3.proposeRoleChange('Org5MSP', 'member'),
    );
  });

  test('proposal errors', async () => {
    const { world, admin, client } = await sampleConsortium();
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      admin.org1.proposeRoleChange('Org4MSP', 'owner' as 'member'),
    );
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      admin.org1.proposeRoleChange('', 'member'),
    );
    await expectRejection(world, 'FAILED_PRECONDITION', () =>
      admin.org1.proposeRoleChange(SAMPLE_ORGS.org2, 'member'),
    );
    await expectRejection(world, 'FORBIDDEN', () =>
      client.org1.proposeRoleChange('Org4MSP', 'member'),
    );
    await expectRejection(world, 'FORBIDDEN', () =>
      admin.auditor.proposeRoleChange('Org4MSP', 'member'),
    );
  });

  test('a single member org applies its own proposal; the last member cannot become an auditor', async () => {
    const world = new InProcessWorld();
    const org1 = world.ledger({ mspId: 'Org1MSP', role: 'admin' });
    await org1.initConsortium([{ mspId: 'Org1MSP', role: 'member' }]);
    assert.equal((await org1.proposeRoleChange('AuditorMSP', 'auditor')).status, 'applied');
    await expectRejection(world, 'FAILED_PRECONDITION', () =>
      org1.proposeRoleChange('Org1MSP', 'auditor'),
    );
  });
});
