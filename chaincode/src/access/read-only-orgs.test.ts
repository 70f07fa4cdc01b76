import { test } from 'node:test';
import { sha256Hex, type LedgerApi } from '@fedledger/core';
import { expectRejection, sampleConsortium, sampleSpec, sampleWeights } from '../test-support';

/** Every write of the LedgerApi, with arguments that would otherwise be plausible. */
function writes(ledger: LedgerApi): [string, () => Promise<unknown>][] {
  const w = sampleWeights(1);
  return [
    ['proposeRoleChange', () => ledger.proposeRoleChange('Org4MSP', 'member')],
    ['approveRoleChange', () => ledger.approveRoleChange('any')],
    [
      'createFederation',
      () =>
        ledger.createFederation(
          sampleSpec({ id: 'fed-2', invitedOrgs: [], minParticipants: 1 }),
          sampleWeights(0),
        ),
    ],
    ['acceptInvitation', () => ledger.acceptInvitation('fed-1')],
    ['startFederation', () => ledger.startFederation('fed-1')],
    ['cancelFederation', () => ledger.cancelFederation('fed-1', 'no')],
    [
      'submitUpdate',
      () =>
        ledger.submitUpdate(
          { federationId: 'fed-1', round: 1, numSamples: 1, digest: sha256Hex(w), metrics: {} },
          w,
        ),
    ],
    ['aggregate', () => ledger.aggregate('fed-1', 1)],
    ['recordEvaluation', () => ledger.recordEvaluation('fed-1', 0, 1, {})],
    ['approveModel', () => ledger.approveModel('fed-1', 0)],
    [
      'recordPrediction',
      () =>
        ledger.recordPrediction({
          federationId: 'fed-1',
          version: 0,
          inputHash: sha256Hex('i'),
          outputHash: sha256Hex('o'),
          count: 1,
        }),
    ],
  ];
}

test('the auditor org (admin or client) and outsiders can write nothing', async () => {
  const c = await sampleConsortium();
  await c.admin.org1.createFederation(sampleSpec(), sampleWeights(0));
  await c.admin.org2.acceptInvitation('fed-1');
  for (const ledger of [c.admin.auditor, c.client.auditor, c.outsider]) {
    for (const [, call] of writes(ledger)) {
      await expectRejection(c.world, 'FORBIDDEN', call);
    }
  }
  await expectRejection(c.world, 'ALREADY_EXISTS', () =>
    c.admin.auditor.initConsortium([{ mspId: 'AuditorMSP', role: 'member' }]),
  );
});
