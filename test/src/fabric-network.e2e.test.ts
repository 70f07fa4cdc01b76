// The contract API logs every decorator at info level when the sample fixtures load.
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'error';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { sampleSpec, sampleWeights } from '@fedledger/chaincode/dist/testing';
import type { Federation, LedgerApi } from '@fedledger/core';
import { fabricToolsOrSkip } from './support/fabric-tools';
import { openOrgLedger, type OrgLedger } from './support/fabric-ledger';
import { busyPorts, defaultLayoutPorts, NETWORK_STATE_DIR, networkSh, peerHeights, processAlive, recordedPids, waitFor } from './support/network';
import { withNetworkLock } from './support/network-lock';

/** Another org's peer learns of a committed block within a few seconds (gossip / deliver). */
const PROPAGATION_ATTEMPTS = 60;
const PROPAGATION_DELAY_MS = 500;

async function federationOn(ledger: LedgerApi, id: string): Promise<Federation> {
  let found: Federation | undefined;
  await waitFor(`federation ${id} to be readable`, PROPAGATION_ATTEMPTS, PROPAGATION_DELAY_MS, async () => {
    try {
      found = await ledger.getFederation(id);
      return true;
    } catch {
      return false;
    }
  });
  return found as Federation;
}

test('fabric network: up, deployCC, submit on Org1, read on Org2 and the auditor, peer restart catch-up, down leaves nothing behind', { timeout: 30 * 60_000 }, async (t) => {
  if (!(await fabricToolsOrSkip(t))) return;
  await withNetworkLock(async () => {
    // Another network owns that state; our `down` would stop it, so do not touch it.
    assert.equal(existsSync(NETWORK_STATE_DIR), false, `${NETWORK_STATE_DIR} exists: another network is up (or was not taken down)`);
    const opened: OrgLedger[] = [];
    let pids: number[] = [];
    try {
      await networkSh(['up']);
      await networkSh(['deployCC']);
      const org1 = await openOrgLedger('org1');
      const org2 = await openOrgLedger('org2');
      const auditor = await openOrgLedger('auditor');
      opened.push(org1, org2, auditor);

      const created = await org1.ledger.createFederation(sampleSpec({ id: 'e2e-net-1' }), sampleWeights(0.5));
      assert.equal(created.creatorMsp, 'Org1MSP');
      for (const reader of [org2, auditor]) {
        const seen = await federationOn(reader.ledger, 'e2e-net-1');
        assert.equal(seen.txId, created.txId);
        assert.equal(seen.initialModelHash, created.initialModelHash);
        assert.equal(seen.status, 'pending');
      }

      await networkSh(['restart', 'peer.org2']);
      const second = await org1.ledger.createFederation(sampleSpec({ id: 'e2e-net-2' }), sampleWeights(0.25));
      await waitFor('peer.org2 to reach peer.org1’s block height', PROPAGATION_ATTEMPTS, PROPAGATION_DELAY_MS, async () => {
        const heights = await peerHeights();
        return heights['peer.org1'] !== undefined && heights['peer.org2'] === heights['peer.org1'];
      });
      const heights = await peerHeights();
      assert.ok((heights['peer.org2'] as number) > 0);
      assert.equal(heights['peer.org2'], heights['peer.org1']);
      const reopened = await openOrgLedger('org2');
      opened.push(reopened);
      assert.equal((await federationOn(reopened.ledger, 'e2e-net-2')).txId, second.txId);
    } finally {
      opened.forEach((org) => org.close());
      pids = recordedPids();
      await networkSh(['down']);
    }
    assert.ok(pids.length > 0, 'the network recorded no processes');
    assert.deepEqual(pids.filter(processAlive), [], 'processes of the network still run after down');
    assert.deepEqual(await busyPorts(defaultLayoutPorts()), [], 'ports of the network are still bound after down');
  });
});
