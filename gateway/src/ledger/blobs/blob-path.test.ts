import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FedLedgerError, sha256Hex, type LedgerApi, type MspId } from '@fedledger/core';
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
import { withBlobPath } from './blob-path-ledger';
import { BlobServer } from './blob-server';
import { BlobStore } from './blob-store';
import type { BlobTlsMaterial } from './blob-tls';

const ORGS = ['Org1MSP', 'Org2MSP', 'Org3MSP', 'AuditorMSP'] as const;
const MEMBERS: readonly MspId[] = ['Org1MSP', 'Org2MSP', 'Org3MSP'];
const pki = testPki(ORGS);

interface Site {
  store: BlobStore;
  server: BlobServer;
  tls: BlobTlsMaterial;
}

/** Each org: its own blob store and a blob server over mutual TLS that lets member orgs download. */
async function startSites(): Promise<Map<MspId, Site>> {
  const sites = new Map<MspId, Site>();
  for (const mspId of ORGS) {
    const store = new BlobStore(mkdtempSync(join(tmpdir(), `fedledger-blobs-${mspId}-`)));
    const tls = pki.material(mspId);
    const server = await BlobServer.start({
      store,
      tls,
      mayDownload: (org) => Promise.resolve(MEMBERS.includes(org)),
      host: '127.0.0.1',
      port: 0,
    });
    sites.set(mspId, { store, server, tls });
  }
  return sites;
}

function fetcherOf(
  sites: Map<MspId, Site>,
  mspId: MspId,
  tls: BlobTlsMaterial = (sites.get(mspId) as Site).tls,
): BlobFetcher {
  const endpoints = new Map([...sites].map(([org, site]) => [org, site.server.url]));
  return new BlobFetcher({
    store: (sites.get(mspId) as Site).store,
    tls,
    endpoints,
    timeoutMs: 5000,
  });
}

describe('blob path through the ledger API, with mutual-TLS blob servers', () => {
  let sites: Map<MspId, Site>;
  let c: SampleConsortium;
  let ledgers: Record<'org1' | 'org2' | 'org3', LedgerApi>;
  before(async () => {
    sites = await startSites();
    c = await initSampleConsortium(new InProcessWorld({ clock: new ManualClock() }));
    const wrap = (ledger: LedgerApi, mspId: MspId): LedgerApi =>
      withBlobPath(ledger, {
        mspId,
        store: (sites.get(mspId) as Site).store,
        fetcher: fetcherOf(sites, mspId),
        minBlobParams: 6,
      });
    ledgers = {
      org1: wrap(c.client.org1, 'Org1MSP'),
      org2: wrap(c.client.org2, 'Org2MSP'),
      org3: wrap(c.client.org3, 'Org3MSP'),
    };
  });
  after(async () => {
    for (const site of sites.values()) await site.server.close();
  });

  test('a federation above the threshold goes through blobs: every org gets the model the ledger names', async () => {
    const initial = sampleWeights((i) => i / 10);
    const admin = withBlobPath(c.admin.org1, {
      mspId: 'Org1MSP',
      store: (sites.get('Org1MSP') as Site).store,
      fetcher: fetcherOf(sites, 'Org1MSP'),
      minBlobParams: 6,
    });
    const federation = await admin.createFederation(sampleSpec({ rounds: 2 }), initial);
    assert.equal(federation.weightsPath, 'blob');
    assert.equal(federation.initialBlob?.digest, sha256Hex(initial));
    await c.admin.org2.acceptInvitation('fed-1');
    await c.admin.org3.acceptInvitation('fed-1');
    await c.client.org1.startFederation('fed-1');
    for (const round of [1, 2]) {
      const orgs = ['org1', 'org2', 'org3'] as const;
      for (const [k, org] of orgs.entries()) {
        // Each org trains from the global model it fetched (org2 and org3 download it from its servers).
        const start = await ledgers[org].getGlobalWeights('fed-1', round - 1);
        assert.equal(
          sha256Hex(start),
          (await c.client.org1.getModelVersion('fed-1', round - 1)).modelHash,
        );
        const update = sampleWeights((i) => i + k + round);
        await ledgers[org].submitUpdate(
          {
            federationId: 'fed-1',
            round,
            numSamples: 10 + k,
            digest: sha256Hex(update),
            metrics: { loss: 1 },
          },
          update,
        );
      }
      await assert.rejects(ledgers.org1.aggregate('fed-1', round), rejectedWith('QUORUM_NOT_MET'));
      const version = await ledgers.org2.aggregate('fed-1', round);
      assert.deepEqual(version.servedBy, ['Org1MSP', 'Org2MSP']);
      // The third org attests too late: the round is closed, and it still gets the accepted model.
      await assert.rejects(ledgers.org3.aggregate('fed-1', round), rejectedWith('ROUND_CLOSED'));
      for (const org of orgs)
        assert.equal(
          sha256Hex(await ledgers[org].getGlobalWeights('fed-1', round)),
          version.modelHash,
          `${org} round ${round}`,
        );
    }
    assert.equal((await c.client.org1.getFederation('fed-1')).status, 'completed');
  });

  test('a federation below the threshold stays on private data', async () => {
    const small = withBlobPath(c.admin.org1, {
      mspId: 'Org1MSP',
      store: (sites.get('Org1MSP') as Site).store,
      fetcher: fetcherOf(sites, 'Org1MSP'),
    });
    const federation = await small.createFederation(
      sampleSpec({ id: 'fed-small' }),
      sampleWeights(0),
    );
    assert.equal(federation.weightsPath, 'private-data');
  });

  test('DIGEST_MISMATCH: a submit whose digest argument is not the hash of the weights', async () => {
    const admin = withBlobPath(c.admin.org1, {
      mspId: 'Org1MSP',
      store: (sites.get('Org1MSP') as Site).store,
      fetcher: fetcherOf(sites, 'Org1MSP'),
      minBlobParams: 1,
    });
    await admin.createFederation(
      sampleSpec({ id: 'fed-digest', invitedOrgs: [], minParticipants: 1 }),
      sampleWeights(0),
    );
    await c.client.org1.startFederation('fed-digest');
    const update = sampleWeights(1);
    await assert.rejects(
      ledgers.org1.submitUpdate(
        {
          federationId: 'fed-digest',
          round: 1,
          numSamples: 1,
          digest: sha256Hex('other'),
          metrics: {},
        },
        update,
      ),
      rejectedWith('DIGEST_MISMATCH'),
    );
    assert.deepEqual(await c.client.org1.listUpdates('fed-digest', 1), []);
    assert.equal(
      await (sites.get('Org1MSP') as Site).store.has(sha256Hex(update)),
      false,
      'a refused update is not kept',
    );
  });
});

describe('blob servers and fetchers', () => {
  let sites: Map<MspId, Site>;
  const bytes = new Uint8Array([1, 2, 3, 4, 5]);
  const digest = sha256Hex(bytes);
  before(async () => {
    sites = await startSites();
    await (sites.get('Org1MSP') as Site).store.put(bytes);
  });
  after(async () => {
    for (const site of sites.values()) await site.server.close();
  });

  test('a member org downloads and keeps a blob that matches its digest', async () => {
    assert.deepEqual(
      await fetcherOf(sites, 'Org2MSP').fetch(digest, bytes.length, ['Org1MSP']),
      bytes,
    );
    assert.equal(await (sites.get('Org2MSP') as Site).store.has(digest), true);
  });

  test('the auditor org (not a member) is refused with 403', async () => {
    const error = await fetcherOf(sites, 'AuditorMSP')
      .fetch(digest, bytes.length, ['Org1MSP'])
      .catch((e: unknown) => e);
    assert.ok(error instanceof FedLedgerError && error.code === 'BLOB_UNAVAILABLE', String(error));
    assert.match(error.message, /HTTP 403/);
  });

  test('a client certificate from a CA outside the consortium fails the handshake', async () => {
    const foreign: BlobTlsMaterial = {
      mspId: 'Org3MSP',
      cert: pki.foreign.cert,
      key: pki.foreign.key,
      orgCas: pki.material('Org3MSP').orgCas,
    };
    const error = await fetcherOf(sites, 'Org3MSP', foreign)
      .fetch(digest, bytes.length, ['Org1MSP'])
      .catch((e: unknown) => e);
    assert.ok(error instanceof FedLedgerError && error.code === 'BLOB_UNAVAILABLE', String(error));
    assert.equal(await (sites.get('Org3MSP') as Site).store.has(digest), false);
  });

  test('a server that is not the org the ledger names is not trusted', async () => {
    // Org2's endpoint answered by Org1's server: the certificate is Org1's, the ledger said Org2.
    const endpoints = new Map([['Org2MSP', (sites.get('Org1MSP') as Site).server.url]]);
    const store = new BlobStore(mkdtempSync(join(tmpdir(), 'fedledger-blobs-x-')));
    const fetcher = new BlobFetcher({
      store,
      tls: pki.material('Org3MSP'),
      endpoints,
      timeoutMs: 5000,
    });
    const error = await fetcher.fetch(digest, bytes.length, ['Org2MSP']).catch((e: unknown) => e);
    assert.ok(error instanceof FedLedgerError && error.code === 'BLOB_UNAVAILABLE', String(error));
    assert.match(error.message, /belongs to Org1MSP, not Org2MSP/);
  });

  test('a connection kept open to one org is never used for another org at the same address', async () => {
    const endpoints = new Map([['Org1MSP', (sites.get('Org1MSP') as Site).server.url]]);
    const fetcher = new BlobFetcher({
      store: new BlobStore(mkdtempSync(join(tmpdir(), 'fedledger-blobs-y-'))),
      tls: pki.material('Org3MSP'),
      endpoints,
      timeoutMs: 5000,
    });
    try {
      assert.deepEqual(await fetcher.fetch(digest, bytes.length, ['Org1MSP']), bytes);
      // The same address now named as Org2's: the kept connection proved Org1, so a new handshake fails.
      endpoints.set('Org2MSP', (sites.get('Org1MSP') as Site).server.url);
      const other = sha256Hex(new Uint8Array([6]));
      await (sites.get('Org1MSP') as Site).store.put(new Uint8Array([6]));
      const error = await fetcher.fetch(other, 1, ['Org2MSP']).catch((e: unknown) => e);
      assert.ok(
        error instanceof FedLedgerError && error.code === 'BLOB_UNAVAILABLE',
        String(error),
      );
      assert.match(error.message, /belongs to Org1MSP, not Org2MSP/);
    } finally {
      fetcher.close();
    }
  });

  test('bytes that do not match the digest are refused and not kept', async () => {
    const tampered = new Uint8Array([9, 9, 9, 9, 9]);
    const claimed = sha256Hex(new Uint8Array([7, 7, 7, 7, 7]));
    // The serving org's file under a digest it does not hash to (a corrupted or lying server).
    writeFileSync(join((sites.get('Org1MSP') as Site).store.dir, claimed), tampered);
    const error = await fetcherOf(sites, 'Org2MSP')
      .fetch(claimed, 5, ['Org1MSP'])
      .catch((e: unknown) => e);
    assert.ok(error instanceof FedLedgerError && error.code === 'BLOB_UNAVAILABLE', String(error));
    assert.match(error.message, /hashing to/);
    assert.equal(await (sites.get('Org2MSP') as Site).store.has(claimed), false);
  });

  test('404 when the named org does not hold the blob; bad digests never reach the disk', async () => {
    const missing = sha256Hex('missing');
    await assert.rejects(fetcherOf(sites, 'Org2MSP').fetch(missing, 5, ['Org1MSP']), /HTTP 404/);
    await assert.rejects(
      fetcherOf(sites, 'Org2MSP').fetch('../etc/passwd', 5, ['Org1MSP']),
      rejectedWith('INVALID_ARGUMENT'),
    );
  });
});
