import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sha256Hex, type LedgerApi, type MspId } from '@fedledger/core';
import {
  initSampleConsortium,
  rejectedWith,
  sampleSpec,
  sampleWeights,
  type SampleConsortium,
} from '@fedledger/simulator';
import { InProcessWorld, ManualClock } from '../../testing/world';
import { testPki } from '../../testing/test-pki';
import { BlobFetcher } from './blob-fetcher';
import { withBlobPath, type BlobPathLedger } from './blob-path-ledger';
import { BlobServer } from './blob-server';
import { BlobStore } from './blob-store';

/**
 * The round's path on the blob path (ADR 0026): what an org already holds is not read, hashed or
 * downloaded again, and the other orgs' updates are fetched while the org waits, not when it attests.
 */

const ORGS: readonly MspId[] = ['Org1MSP', 'Org2MSP', 'Org3MSP'];
const pki = testPki(ORGS);

interface Site {
  store: BlobStore;
  server: BlobServer;
  /** Requests the server admitted (one per download). */
  served: number;
}

async function startSite(
  mspId: MspId,
  dir = mkdtempSync(join(tmpdir(), `fedledger-blobs-${mspId}-`)),
): Promise<Site> {
  const store = new BlobStore(dir);
  const site = { store, served: 0 } as Site;
  site.server = await BlobServer.start({
    store,
    tls: pki.material(mspId),
    mayDownload: (org) => {
      site.served += 1;
      return Promise.resolve(ORGS.includes(org));
    },
    host: '127.0.0.1',
    port: 0,
  });
  return site;
}

/** Counts the wrapped ledger's calls by method name. */
function counting(ledger: LedgerApi, calls: Map<string, number>): LedgerApi {
  return new Proxy(ledger, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(property, (calls.get(property) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe('BlobStore keeps what it verified in memory', () => {
  test('a blob stored here is read back without reading (or trusting) the file again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedledger-blobs-memory-'));
    const store = new BlobStore(dir);
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const digest = await store.put(bytes);
    // The file is changed behind the store's back: the bytes known to hash to the digest are still served from memory.
    writeFileSync(join(dir, digest), new Uint8Array([9, 9, 9, 9]));
    assert.deepEqual(await store.get(digest), bytes);
    // Callers get copies: changing one changes neither the store nor the next reader's bytes.
    bytes[0] = 7;
    const read = (await store.get(digest)) as Uint8Array;
    read[1] = 7;
    assert.deepEqual(await store.get(digest), new Uint8Array([1, 2, 3, 4]));
    // A store that never verified the bytes reads the file and refuses it.
    await assert.rejects(new BlobStore(dir).get(digest), rejectedWith('INTERNAL'));
  });

  test('remove forgets the bytes too', async () => {
    const store = new BlobStore(mkdtempSync(join(tmpdir(), 'fedledger-blobs-remove-')));
    const digest = await store.put(new Uint8Array([5, 6]));
    await store.remove(digest);
    assert.equal(await store.get(digest), undefined);
  });
});

describe('the blob path on the round path', () => {
  let sites: Map<MspId, Site>;
  let c: SampleConsortium;
  const calls = new Map<string, number>();
  const calls2 = new Map<string, number>();
  const calls3 = new Map<string, number>();
  let ledgers: Record<'org1' | 'org2' | 'org3', BlobPathLedger>;
  /** Org1's admin on the blob path: creates the federations. */
  let admin: BlobPathLedger;
  const fetchers = new Map<MspId, BlobFetcher>();
  before(async () => {
    sites = new Map();
    for (const mspId of ORGS) sites.set(mspId, await startSite(mspId));
    for (const mspId of ORGS) {
      const endpoints = new Map([...sites].map(([org, site]) => [org, site.server.url]));
      fetchers.set(
        mspId,
        new BlobFetcher({
          store: (sites.get(mspId) as Site).store,
          tls: pki.material(mspId),
          endpoints,
          timeoutMs: 5000,
        }),
      );
    }
    c = await initSampleConsortium(new InProcessWorld({ clock: new ManualClock() }));
    const wrap = (ledger: LedgerApi, mspId: MspId): BlobPathLedger =>
      withBlobPath(ledger, {
        mspId,
        store: (sites.get(mspId) as Site).store,
        fetcher: fetchers.get(mspId) as BlobFetcher,
        minBlobParams: 6,
      });
    ledgers = {
      org1: wrap(counting(c.client.org1, calls), 'Org1MSP'),
      org2: wrap(counting(c.client.org2, calls2), 'Org2MSP'),
      org3: wrap(counting(c.client.org3, calls3), 'Org3MSP'),
    };
    admin = wrap(c.admin.org1, 'Org1MSP');
    await admin.createFederation(
      sampleSpec({ rounds: 3 }),
      sampleWeights((i) => i / 10),
    );
    await c.admin.org2.acceptInvitation('fed-1');
    await c.admin.org3.acceptInvitation('fed-1');
    await c.client.org1.startFederation('fed-1');
  });
  after(async () => {
    for (const site of sites.values()) await site.server.close();
  });

  test('concurrent fetches of one blob download it once', async () => {
    const bytes = new Uint8Array([4, 3, 2, 1, 0]);
    const digest = await (sites.get('Org1MSP') as Site).store.put(bytes);
    const org1 = sites.get('Org1MSP') as Site;
    const before = org1.served;
    const fetcher = fetchers.get('Org3MSP') as BlobFetcher;
    const [a, b] = await Promise.all([
      fetcher.fetch(digest, bytes.length, ['Org1MSP']),
      fetcher.fetch(digest, bytes.length, ['Org1MSP']),
    ]);
    assert.deepEqual(a, bytes);
    assert.deepEqual(b, bytes);
    assert.equal(org1.served - before, 1);
  });

  test('a round: updates fetched before the attestation, the model read from what the org computed', async () => {
    const versionReads = (): number => calls.get('getModelVersion') ?? 0;
    // Each org reads the round's start model as the participation service does: the record, then the weights.
    for (const org of ['org1', 'org2', 'org3'] as const) {
      const record = await ledgers[org].getModelVersion('fed-1', 0);
      assert.equal(sha256Hex(await ledgers[org].getGlobalWeights('fed-1', 0)), record.modelHash);
    }
    assert.equal(
      versionReads(),
      1,
      'the weights of a version whose record was just read: no second read of the record',
    );

    const updates = [1, 2, 3].map((k) => sampleWeights((i) => i * k + 1));
    const submit = (org: 'org1' | 'org2' | 'org3', k: number) =>
      ledgers[org].submitUpdate(
        {
          federationId: 'fed-1',
          round: 1,
          numSamples: 10 + k,
          digest: sha256Hex(updates[k]),
          metrics: {},
        },
        updates[k],
      );
    await submit('org1', 0);
    // Org2 is told of org1's commit while it still trains, by the event that names the blob (ADR
    // 0030): the download starts from it. Org3 (slowest) submits after both.
    await ledgers.org2.prefetchUpdate('fed-1', 1, 'Org1MSP', {
      digest: sha256Hex(updates[0]),
      byteLength: updates[0].length,
    });
    assert.equal(await (sites.get('Org2MSP') as Site).store.has(sha256Hex(updates[0])), true);
    // A digest its submitter does not serve is not fetched.
    await assert.rejects(
      ledgers.org2.prefetchUpdate('fed-1', 1, 'Org1MSP', {
        digest: sha256Hex(updates[1]),
        byteLength: updates[1].length,
      }),
    );
    assert.equal(await (sites.get('Org2MSP') as Site).store.has(sha256Hex(updates[1])), false);
    await submit('org2', 1);
    await submit('org3', 2);
    // Org3 is told of the other two commits (its events) before it attests.
    await Promise.all([
      ledgers.org3.prefetchUpdate('fed-1', 1, 'Org1MSP'),
      ledgers.org3.prefetchUpdate('fed-1', 1, 'Org2MSP'),
    ]);

    // Org1 and org2 stop serving: org3 attests from what it holds.
    const org1 = sites.get('Org1MSP') as Site;
    const org2 = sites.get('Org2MSP') as Site;
    const served = org1.served + org2.served;
    const org3UpdateReads = calls3.get('listUpdates');
    await assert.rejects(ledgers.org3.aggregate('fed-1', 1), rejectedWith('QUORUM_NOT_MET'));
    assert.equal(org1.served + org2.served, served, 'no download during the attestation');
    assert.equal(
      calls3.get('listUpdates'),
      org3UpdateReads,
      'the attestation used the reads taken at the last announcement (ADR 0030)',
    );
    // Org1 is told of org3's update late (prefetch of its own update is a no-op; of org3's, the download).
    await ledgers.org1.prefetchUpdate('fed-1', 1, 'Org1MSP');
    await ledgers.org1.prefetchUpdate('fed-1', 1, 'Org3MSP');
    const version = await ledgers.org1.aggregate('fed-1', 1);
    assert.deepEqual(version.servedBy, ['Org1MSP', 'Org3MSP']);

    // Org1 attested: the next round starts from the bytes it computed, with no download and no second record read.
    const reads = versionReads();
    const servedBefore = [...sites.values()].reduce((sum, site) => sum + site.served, 0);
    assert.equal(sha256Hex(await ledgers.org1.getGlobalWeights('fed-1', 1)), version.modelHash);
    assert.equal(versionReads(), reads);
    assert.equal(
      [...sites.values()].reduce((sum, site) => sum + site.served, 0),
      servedBefore,
    );
  });

  test('reads taken at an announcement stand in for the aggregation only once they list every participant', async () => {
    const federationId = 'fed-warm';
    await admin.createFederation(
      sampleSpec({ id: federationId, invitedOrgs: ['Org2MSP'], minParticipants: 2 }),
      sampleWeights((i) => i / 7),
    );
    await c.admin.org2.acceptInvitation(federationId);
    await c.client.org1.startFederation(federationId);
    const [first, second] = [5, 6].map((k) => sampleWeights((i) => i * k + 2));
    const submit = (org: 'org1' | 'org2', weights: Uint8Array) =>
      ledgers[org].submitUpdate(
        { federationId, round: 1, numSamples: 4, digest: sha256Hex(weights), metrics: {} },
        weights,
      );
    const updateReads = (map: Map<string, number>): number => map.get('listUpdates') ?? 0;
    await submit('org1', first);
    // Org2 is told of org1's update: its reads then list one update of two.
    await ledgers.org2.prefetchUpdate(federationId, 1, 'Org1MSP');
    await submit('org2', second);
    const before2 = updateReads(calls2);
    await assert.rejects(ledgers.org2.aggregate(federationId, 1), rejectedWith('QUORUM_NOT_MET'));
    assert.equal(
      updateReads(calls2),
      before2 + 1,
      'the incomplete reads were not used: read again',
    );
    // Org1 is told of org2's update: its reads list both, and its aggregation uses them.
    await ledgers.org1.prefetchUpdate(federationId, 1, 'Org2MSP');
    const before1 = updateReads(calls);
    const version = await ledgers.org1.aggregate(federationId, 1);
    assert.equal(updateReads(calls), before1);
    assert.deepEqual(
      version.contributors.map((contribution) => contribution.mspId),
      ['Org1MSP', 'Org2MSP'],
      'both orgs attested the aggregate of both updates',
    );
  });

  test('a prefetch only fetches what the ledger lists, and nothing for a federation the org is not in', async () => {
    const org3 = withBlobPath(c.admin.org3, {
      mspId: 'Org3MSP',
      store: (sites.get('Org3MSP') as Site).store,
      fetcher: fetchers.get('Org3MSP') as BlobFetcher,
      minBlobParams: 6,
    });
    await org3.createFederation(
      sampleSpec({ id: 'fed-alone', invitedOrgs: [], minParticipants: 1 }),
      sampleWeights(3),
    );
    await c.client.org3.startFederation('fed-alone');
    const update = sampleWeights(4);
    await ledgers.org3.submitUpdate(
      {
        federationId: 'fed-alone',
        round: 1,
        numSamples: 1,
        digest: sha256Hex(update),
        metrics: {},
      },
      update,
    );
    const servedBefore = (sites.get('Org3MSP') as Site).served;
    await ledgers.org2.prefetchUpdate('fed-alone', 1, 'Org3MSP');
    assert.equal((sites.get('Org3MSP') as Site).served, servedBefore);
    assert.equal(await (sites.get('Org2MSP') as Site).store.has(sha256Hex(update)), false);
    // An org with no update in the round: nothing to fetch, no error.
    await ledgers.org1.prefetchUpdate('fed-1', 2, 'Org2MSP');
  });
});
