// The contract API logs every decorator at info level when the sample fixtures load.
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'error';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { rejectedWith, sampleSpec, sampleWeights } from '@fedledger/simulator';
import { FedLedgerError, sha256Hex, type LedgerApi } from '@fedledger/core';
import { type BlobPath, openConnectionBlobPath, runInLedgerSession } from '@fedledger/gateway';
import { openOrgLedger, type OrgLedger, withNetworkLock } from '@fedledger/demo';
import { requireFabricTools } from './support/fabric-tools';
import { CONNECTIONS_DIR, NETWORK_STATE_DIR, networkSh } from './support/network';

const BLOCK_WAIT_MS = 30_000;
const ORGS = ['org1', 'org2', 'org3'] as const;
type Org = (typeof ORGS)[number];
/** A 3×1000 + 1000 model (4000 parameters): far below the default threshold, forced onto blobs with minParams 1. */
const SHAPES = [[3, 1000], [1000]];

test(
  'blob path on the real network: digests on the ledger, weights between gateways over mutual TLS, majority-attested aggregation, every download hash-checked',
  { timeout: 30 * 60_000 },
  async (t) => {
    await requireFabricTools();
    await withNetworkLock(async () => {
      assert.equal(
        existsSync(NETWORK_STATE_DIR),
        false,
        `${NETWORK_STATE_DIR} exists: another network is up (or was not taken down)`,
      );
      const opened: OrgLedger[] = [];
      const paths: BlobPath[] = [];
      const root = mkdtempSync(join(tmpdir(), 'fedledger-blob-e2e-'));
      try {
        await networkSh(['up']);
        await networkSh(['deployCC']);
        const orgs = {} as Record<Org | 'auditor', OrgLedger>;
        for (const key of [...ORGS, 'auditor'] as const) {
          orgs[key] = await openOrgLedger(key);
          opened.push(orgs[key]);
        }
        // Each org's blob server with its own network TLS material; endpoints filled once all listen.
        const endpoints: Record<string, string> = {};
        const blob = {} as Record<Org | 'auditor', BlobPath>;
        for (const key of [...ORGS, 'auditor'] as const) {
          blob[key] = await openConnectionBlobPath(
            join(CONNECTIONS_DIR, `${key}.json`),
            join(root, key),
            () => orgs[key].ledger.getConsortium(),
            endpoints,
            { minParams: 1 },
          );
          paths.push(blob[key]);
          const mspId = key === 'auditor' ? 'AuditorMSP' : `Org${key.slice(3)}MSP`;
          endpoints[mspId] = blob[key].server.url;
        }
        const ledger = (key: Org, role: 'admin' | 'scientist' = 'scientist'): LedgerApi =>
          blob[key].wrap(orgs[key].as(role));

        let block = -1;
        const write = async <T>(
          key: Org,
          call: (l: LedgerApi) => Promise<T>,
          role: 'admin' | 'scientist' = 'scientist',
        ): Promise<T> => {
          if (block >= 0) await orgs[key].waitForBlock(block, BLOCK_WAIT_MS);
          const { result, session } = runInLedgerSession(() => call(ledger(key, role)));
          const value = await result;
          if (session.committedBlock !== undefined && session.committedBlock > block)
            block = session.committedBlock;
          return value;
        };
        const syncAll = async (): Promise<void> => {
          await Promise.all(
            [...ORGS, 'auditor' as const].map((key) =>
              orgs[key].waitForBlock(block, BLOCK_WAIT_MS),
            ),
          );
        };

        const initial = sampleWeights((i) => (i % 13) / 13, SHAPES);
        await t.test(
          'CreateFederation records the blob path and only the initial digest',
          async () => {
            const federation = await write(
              'org1',
              (l) =>
                l.createFederation(
                  sampleSpec({ id: 'fed-blob', rounds: 2, invitedOrgs: ['Org2MSP', 'Org3MSP'] }),
                  initial,
                ),
              'admin',
            );
            assert.equal(federation.weightsPath, 'blob');
            assert.deepEqual(federation.initialBlob, {
              digest: sha256Hex(initial),
              byteLength: initial.length,
              weightShapes: SHAPES,
            });
            await write('org2', (l) => l.acceptInvitation('fed-blob'), 'admin');
            await write('org3', (l) => l.acceptInvitation('fed-blob'), 'admin');
            await write('org1', (l) => l.startFederation('fed-blob'));
            await syncAll();
            // The peers hold no weights: the chaincode's GetGlobalWeights refuses a blob federation.
            await assert.rejects(
              orgs.org2.as('scientist').getGlobalWeights('fed-blob', 0),
              rejectedWith('FAILED_PRECONDITION'),
            );
          },
        );

        for (const round of [1, 2]) {
          await t.test(
            `round ${round}: each org fetches the global model from the orgs that serve it, submits a digest, attests; the majority hash is accepted`,
            async () => {
              const previous = await orgs.org1
                .as('scientist')
                .getModelVersion('fed-blob', round - 1);
              for (const [k, key] of ORGS.entries()) {
                const start = await ledger(key).getGlobalWeights('fed-blob', round - 1);
                assert.equal(
                  sha256Hex(start),
                  previous.modelHash,
                  `${key} downloaded version ${round - 1} with the ledger's hash`,
                );
                const update = sampleWeights((i) => ((i + k * 7 + round) % 17) / 17, SHAPES);
                const metadata = await write(key, (l) =>
                  l.submitUpdate(
                    {
                      federationId: 'fed-blob',
                      round,
                      numSamples: 10 + k,
                      digest: sha256Hex(update),
                      metrics: { loss: 0.5 },
                    },
                    update,
                  ),
                );
                assert.equal(metadata.servedBy, metadata.mspId);
              }
              await syncAll();
              // Every org attests at once (as gateways do); at most the ones that see a majority accept.
              const outcomes = await Promise.allSettled(
                ORGS.map((key) => write(key, (l) => l.aggregate('fed-blob', round))),
              );
              assert.ok(
                outcomes.filter((o) => o.status === 'fulfilled').length <= 1,
                'at most one Aggregate commits',
              );
              for (const o of outcomes) {
                if (o.status === 'rejected')
                  assert.ok(
                    o.reason instanceof FedLedgerError &&
                      ['QUORUM_NOT_MET', 'ROUND_CLOSED', 'CONFLICT'].includes(o.reason.code),
                    String(o.reason),
                  );
              }
              let version = await orgs.org1
                .as('scientist')
                .getModelVersion('fed-blob', round)
                .catch(() => undefined);
              if (version === undefined) {
                // Every attester saw fewer than a majority when it looked: the designated aggregator accepts now.
                await syncAll();
                version = await write('org1', (l) => l.aggregate('fed-blob', round));
              }
              await syncAll();
              version = await orgs.auditor.as('auditor').getModelVersion('fed-blob', round);
              assert.ok(
                (version.servedBy ?? []).length >= 2,
                `a majority served version ${round}: ${JSON.stringify(version.servedBy)}`,
              );
              const attestations = await orgs.auditor
                .as('auditor')
                .listAttestations('fed-blob', round);
              assert.ok(attestations.filter((a) => a.modelHash === version.modelHash).length >= 2);
              for (const key of ORGS) {
                assert.equal(
                  sha256Hex(await ledger(key).getGlobalWeights('fed-blob', round)),
                  version.modelHash,
                  `${key}'s copy of version ${round} has the ledger's hash`,
                );
              }
            },
          );
        }

        await t.test('the auditor org is not a member: blob servers refuse it', async () => {
          const v2 = await orgs.auditor.as('auditor').getModelVersion('fed-blob', 2);
          await assert.rejects(
            blob.auditor.fetcher.fetch(v2.modelHash, initial.length, v2.servedBy ?? []),
            (error: unknown) => {
              assert.ok(
                error instanceof FedLedgerError && error.code === 'BLOB_UNAVAILABLE',
                String(error),
              );
              assert.match(error.message, /HTTP 403/);
              return true;
            },
          );
          assert.equal(
            (await orgs.auditor.as('auditor').getFederation('fed-blob')).status,
            'completed',
          );
        });
      } finally {
        for (const path of paths) await path.close();
        for (const org of opened) org.close();
        await networkSh(['down'], { allowFailure: true });
        rmSync(root, { recursive: true, force: true });
      }
    });
  },
);
