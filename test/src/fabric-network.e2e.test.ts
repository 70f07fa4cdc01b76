// The contract API logs every decorator at info level when the sample fixtures load.
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'error';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { SAMPLE_MEMBERS, rejectedWith, sampleSpec, sampleWeights } from '@fedledger/simulator';
import { sha256Hex, type Federation, type LedgerApi } from '@fedledger/core';
import { runInLedgerSession } from '@fedledger/gateway';
import { requireFabricTools } from './support/fabric-tools';
import { openOrgLedger, type OrgLedger, withNetworkLock } from '@fedledger/demo';
import {
  busyPorts,
  defaultLayoutPorts,
  NETWORK_STATE_DIR,
  networkSh,
  peerHeights,
  processAlive,
  recordedPids,
  waitFor,
} from './support/network';

/** How long a step waits for a peer to reach the block of the write before it. */
const BLOCK_WAIT_MS = 15_000;
/** Another org's peer learns of a committed block within a few seconds (gossip / deliver). */
const PROPAGATION_ATTEMPTS = 60;
const PROPAGATION_DELAY_MS = 500;

async function federationOn(ledger: LedgerApi, id: string): Promise<Federation> {
  let found: Federation | undefined;
  await waitFor(
    `federation ${id} to be readable`,
    PROPAGATION_ATTEMPTS,
    PROPAGATION_DELAY_MS,
    async () => {
      try {
        found = await ledger.getFederation(id);
        return true;
      } catch {
        return false;
      }
    },
  );
  return found as Federation;
}

/**
 * Read-your-writes across orgs, as the gateway's REST layer does it (ledger/ledger-session.ts): runs
 * a write, notes the block it committed in, and makes the next org's peer wait for that block.
 */
class CrossOrgSteps {
  #block = -1;

  async write<T>(write: () => Promise<T>): Promise<T> {
    const { result, session } = runInLedgerSession(write);
    const value = await result;
    assert.ok(
      session.committedBlock !== undefined && session.committedBlock > this.#block,
      'the write reports the block it committed in',
    );
    this.#block = session.committedBlock;
    return value;
  }

  /** Waits until `org`'s peer has every write made so far, then returns it. */
  async on(org: OrgLedger): Promise<OrgLedger> {
    if (this.#block >= 0) await org.waitForBlock(this.#block, BLOCK_WAIT_MS);
    return org;
  }
}

test(
  'fabric network: up, deployCC, submit on Org1, read on Org2 and the auditor, peer restart catch-up, down leaves nothing behind',
  { timeout: 30 * 60_000 },
  async (t) => {
    await requireFabricTools();
    await withNetworkLock(async () => {
      // Another network owns that state; our `down` would stop it, so do not touch it.
      assert.equal(
        existsSync(NETWORK_STATE_DIR),
        false,
        `${NETWORK_STATE_DIR} exists: another network is up (or was not taken down)`,
      );
      const opened: OrgLedger[] = [];
      let pids: number[] = [];
      try {
        await networkSh(['up']);
        await networkSh(['deployCC']);
        const org1 = await openOrgLedger('org1');
        const org2 = await openOrgLedger('org2');
        const org3 = await openOrgLedger('org3');
        const auditor = await openOrgLedger('auditor');
        opened.push(org1, org2, org3, auditor);
        const orgs: Record<string, OrgLedger> = { Org1MSP: org1, Org2MSP: org2, Org3MSP: org3 };

        const steps = new CrossOrgSteps();
        await t.test(
          'a federation lifecycle through the gateway’s Fabric client: transient weights in, majority-endorsed FedAvg out',
          async () => {
            assert.deepEqual(
              (await org1.ledger.getConsortium()).members.map((m) => m.mspId).sort(),
              SAMPLE_MEMBERS.map((m) => m.mspId).sort(),
              'deployCC initialised the consortium',
            );
            const initial = sampleWeights(0.5);
            await steps.write(() =>
              org1.ledger.createFederation(sampleSpec({ id: 'fed-life', rounds: 1 }), initial),
            );
            await steps.write(async () =>
              (await steps.on(org2)).ledger.acceptInvitation('fed-life'),
            );
            await steps.write(async () =>
              (await steps.on(org3)).ledger.acceptInvitation('fed-life'),
            );
            const started = await steps.write(async () =>
              (await steps.on(org1)).ledger.startFederation('fed-life'),
            );
            assert.equal(started.currentRound, 1);
            const updates: Record<string, Uint8Array> = {
              Org1MSP: sampleWeights(1),
              Org2MSP: sampleWeights(2),
              Org3MSP: sampleWeights(3),
            };
            for (const [mspId, weights] of Object.entries(updates)) {
              const org = await steps.on(orgs[mspId]);
              const metadata = await steps.write(() =>
                org.as('scientist').submitUpdate(
                  {
                    federationId: 'fed-life',
                    round: 1,
                    numSamples: 10,
                    digest: sha256Hex(weights),
                    metrics: { loss: 0.25 },
                  },
                  weights,
                ),
              );
              assert.deepEqual([metadata.mspId, metadata.digest], [mspId, sha256Hex(weights)]);
            }
            const version = await steps.write(async () =>
              (await steps.on(org2)).as('scientist').aggregate('fed-life', 1),
            );
            assert.equal(version.version, 1);
            assert.deepEqual(version.contributors.map((c) => c.mspId).sort(), [
              'Org1MSP',
              'Org2MSP',
              'Org3MSP',
            ]);
            const global = await (
              await steps.on(org3)
            )
              .as('scientist')
              .getGlobalWeights('fed-life', 1);
            assert.equal(sha256Hex(global), version.modelHash);
            assert.deepEqual(
              global,
              sampleWeights(2),
              'FedAvg of 1, 2, 3 with equal sample counts',
            );
            assert.deepEqual(await org1.as('scientist').getGlobalWeights('fed-life', 0), initial);
            assert.equal(
              (await (await steps.on(auditor)).as('auditor').getFederation('fed-life')).status,
              'completed',
            );
          },
        );

        await t.test(
          'every other ledger call round-trips through the peers and the shim',
          async () => {
            assert.deepEqual(
              (await org1.ledger.listUpdates('fed-life', 1)).map((u) => u.mspId),
              ['Org1MSP', 'Org2MSP', 'Org3MSP'],
            );
            const versions = await org1.ledger.listModelVersions('fed-life');
            assert.deepEqual(
              versions.map((v) => v.version),
              [0, 1],
            );
            await steps.write(() => org1.ledger.approveModel('fed-life', 1));
            const approved = await steps.write(async () =>
              (await steps.on(org2)).ledger.approveModel('fed-life', 1),
            );
            assert.deepEqual(
              [approved.approvals, approved.deployed],
              [['Org1MSP', 'Org2MSP'], true],
            );
            const receipt = await steps.write(async () =>
              (await steps.on(org3)).as('scientist').recordPrediction({
                federationId: 'fed-life',
                version: 1,
                inputHash: 'a'.repeat(64),
                outputHash: 'b'.repeat(64),
                count: 3,
              }),
            );
            assert.deepEqual(
              [receipt.requesterMsp, receipt.count, receipt.modelHash],
              ['Org3MSP', 3, versions[1]?.modelHash],
            );
            const onAuditor = (await steps.on(auditor)).as('auditor');
            const verification = await onAuditor.verifyModelHash(versions[1]?.modelHash);
            assert.deepEqual(
              [verification.found, verification.federationId, verification.version],
              [true, 'fed-life', 1],
            );
            const firstPage = await onAuditor.listTimeline('fed-life', 2, '');
            assert.equal(firstPage.items.length, 2);
            const secondPage = await onAuditor.listTimeline('fed-life', 2, firstPage.bookmark);
            assert.notDeepEqual(secondPage.items[0], firstPage.items[0]);
            assert.ok(
              (await onAuditor.listConsortiumTimeline(10, '')).items.some(
                (entry) => entry.action === 'InitConsortium',
              ),
            );
            const history = await onAuditor.getKeyHistory('fl.federation', ['fed-life']);
            assert.ok(
              history.length >= 2 && history.every((entry) => /^[0-9a-f]{64}$/.test(entry.txId)),
            );
          },
        );

        await t.test(
          'chaincode errors reach the client with their stable codes, from evaluate and from endorsement',
          async () => {
            await assert.rejects(
              org1.ledger.getFederation('no-such-federation'),
              rejectedWith('NOT_FOUND'),
            );
            await assert.rejects(
              org1.ledger.listFederations(0, ''),
              rejectedWith('INVALID_ARGUMENT'),
            );
            await assert.rejects(
              auditor.as('auditor').getGlobalWeights('fed-life', 1),
              rejectedWith('FORBIDDEN'),
            );
            await assert.rejects(
              org2
                .as('scientist')
                .createFederation(sampleSpec({ id: 'fed-by-client' }), sampleWeights(1)),
              rejectedWith('FORBIDDEN'),
            );
            await assert.rejects(
              org1.ledger.initConsortium(SAMPLE_MEMBERS),
              rejectedWith('ALREADY_EXISTS'),
            );
            const spec = sampleSpec({ id: 'fed-errors' });
            await assert.rejects(
              org1.ledger.createFederation(
                { ...spec, modelSpec: { ...spec.modelSpec, topologyHash: 'ab'.repeat(32) } },
                sampleWeights(1),
              ),
              rejectedWith('DIGEST_MISMATCH'),
            );
            await assert.rejects(
              org1.ledger.aggregate('fed-life', 1),
              rejectedWith('ROUND_CLOSED'),
            );
          },
        );

        const created = await org1.ledger.createFederation(
          sampleSpec({ id: 'e2e-net-1' }),
          sampleWeights(0.5),
        );
        assert.equal(created.creatorMsp, 'Org1MSP');
        for (const reader of [org2, auditor]) {
          const seen = await federationOn(reader.ledger, 'e2e-net-1');
          assert.equal(seen.txId, created.txId);
          assert.equal(seen.initialModelHash, created.initialModelHash);
          assert.equal(seen.status, 'pending');
        }

        await networkSh(['restart', 'peer.org2']);
        const second = await org1.ledger.createFederation(
          sampleSpec({ id: 'e2e-net-2' }),
          sampleWeights(0.25),
        );
        await waitFor(
          'peer.org2 to reach peer.org1’s block height',
          PROPAGATION_ATTEMPTS,
          PROPAGATION_DELAY_MS,
          async () => {
            const heights = await peerHeights();
            return (
              heights['peer.org1'] !== undefined && heights['peer.org2'] === heights['peer.org1']
            );
          },
        );
        const heights = await peerHeights();
        assert.ok((heights['peer.org2'] ?? 0) > 0);
        assert.equal(heights['peer.org2'], heights['peer.org1']);
        const reopened = await openOrgLedger('org2');
        opened.push(reopened);
        assert.equal((await federationOn(reopened.ledger, 'e2e-net-2')).txId, second.txId);
      } finally {
        opened.forEach((org) => {
          org.close();
        });
        pids = recordedPids();
        await networkSh(['down']);
      }
      assert.ok(pids.length > 0, 'the network recorded no processes');
      assert.deepEqual(
        pids.filter(processAlive),
        [],
        'processes of the network still run after down',
      );
      assert.deepEqual(
        await busyPorts(defaultLayoutPorts()),
        [],
        'ports of the network are still bound after down',
      );
    });
  },
);
