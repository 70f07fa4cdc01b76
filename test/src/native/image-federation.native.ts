import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  DEFAULT_DEMO_OPTIONS,
  GatewayClient,
  IMAGE_FEDERATION_ID,
  LedgerCursor,
  runDemo,
} from '@fedledger/demo';
import { withLockedTeardown } from '../support/testbed';

/**
 * `npm run test:native` (after `npm run setup:native`, which scripts/test-native.sh runs first): the
 * image federation — digits split by digit across three hospitals, the cnn preset — for 5 rounds on a
 * real Fabric network. Not part of `npm test`, which runs as a machine without the native backend.
 */
test(
  'image federation on Fabric with the native backend: 5 rounds, above every hospital alone, tensorflow in /health and on the ledger',
  { timeout: 60 * 60_000 },
  async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'fedledger-native-e2e-'));
    const log: string[] = [];
    try {
      await withLockedTeardown({}, async (teardown) => {
        const { summary, consortium } = await runDemo(
          {
            ...DEFAULT_DEMO_OPTIONS,
            task: 'image',
            ledger: 'fabric',
            rounds: 5,
            outDir,
            help: false,
          },
          teardown,
          (line) => log.push(line),
        );
        assert.equal(summary.ledger, 'fabric');
        assert.equal(summary.rounds, 5);
        assert.equal(summary.model.preset, 'cnn');
        assert.equal(summary.tfjsBackend, 'tensorflow');
        for (const [mspId, accuracy] of Object.entries(summary.localOnlyAccuracy)) {
          assert.ok(
            summary.finalAccuracy > accuracy,
            `federated ${summary.finalAccuracy} vs ${mspId} alone ${accuracy}`,
          );
        }
        const cursor = new LedgerCursor();
        for (const endpoint of consortium.hospitals) {
          const health = await new GatewayClient(endpoint, cursor).health();
          assert.equal(health.tfBackend, 'tensorflow', `${endpoint.mspId} /health`);
          assert.deepEqual(
            (health.tfBackends as { portable: string; native: string }).native,
            'tensorflow',
          );
        }
        const versions = await new GatewayClient(consortium.auditor, cursor).listModels(
          IMAGE_FEDERATION_ID,
          'auditor',
        );
        const evaluations = versions.flatMap((version) => version.evaluations);
        assert.ok(evaluations.length >= 12, `${evaluations.length} evaluations on the ledger`);
        assert.deepEqual(
          [
            ...new Set(
              evaluations.map((evaluation) => (evaluation as { backend?: string }).backend),
            ),
          ],
          ['tensorflow'],
        );
        process.stdout.write(
          `image federation: final ${summary.finalAccuracy.toFixed(3)}, local-only ${JSON.stringify(summary.localOnlyAccuracy)}, centralized ${summary.centralizedAccuracy.toFixed(3)}, rounds ${JSON.stringify(summary.roundSeconds)} s\n`,
        );
      });
    } catch (error) {
      process.stderr.write(`${log.join('\n')}\n`);
      throw error;
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  },
);
