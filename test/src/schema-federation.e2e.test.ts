import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Federation } from '@fedledger/core';
import { GatewayClient, GatewayRequestError, LedgerCursor } from '@fedledger/demo';
import { generatedMultisiteYardstick, scoreUnderSchema } from '@fedledger/gateway/schema';
import { MULTISITE_SCHEMA, UNMEASURED_COLUMN } from '@fedledger/gateway/datasets';
import { layoutPorts } from './support/network';
import { assertNothingLeftRunning, withFabricTestbed } from './support/testbed';

const FEDERATION = 'e2e-schema';
const ORGS = 4;
const ROWS = 2400;
const SEED = 7;
const ROUNDS = 10;
const HYPER = { epochs: 1, batchSize: 32, learningRate: 0.05 };
const MODEL_SEED = 3;
const POLL_MS = 1_000;
const MAX_POLLS = 900;

test(
  'bring your own CSV over Fabric: 4 orgs, raw site files under one schema, 422 at accept lists every problem, 10 rounds within 2 points of centralized training',
  { timeout: 60 * 60_000 },
  async (t) => {
    const leftovers = await withFabricTestbed(
      'e2e-schema',
      { backend: true, memberOrgs: ORGS },
      async ({ consortium, lockedAt: began }) => {
        t.diagnostic(
          `network (4 orgs) and gateways up in ${((Date.now() - began) / 1000).toFixed(0)} s`,
        );
        const cursor = new LedgerCursor();
        const hospitals = consortium.hospitals.map(
          (endpoint) => new GatewayClient(endpoint, cursor),
        );
        const auditor = new GatewayClient(consortium.auditor, cursor);
        assert.deepEqual(
          hospitals.map((h) => h.mspId),
          ['Org1MSP', 'Org2MSP', 'Org3MSP', 'Org4MSP'],
        );
        const [org1, , , org4] = hospitals as [
          GatewayClient,
          GatewayClient,
          GatewayClient,
          GatewayClient,
        ];

        // Each hospital's raw file as its site writes it; nothing prepared by hand.
        for (const [index, gateway] of hospitals.entries()) {
          await gateway.registerSynthetic({
            id: 'site',
            variant: 'multisite',
            orgIndex: index,
            orgCount: ORGS,
            rows: ROWS,
            seed: SEED,
          });
        }
        const created = await org1.createFederation({
          id: FEDERATION,
          name: 'readmission from raw site files',
          model: { preset: 'logistic-regression', seed: MODEL_SEED },
          dataSchema: MULTISITE_SCHEMA,
          datasetId: 'site',
          hyperParameters: HYPER,
          strategy: { name: 'fedavg' },
          invitedOrgs: ['Org2MSP', 'Org3MSP', 'Org4MSP'],
          minParticipants: ORGS,
          roundDeadlineSeconds: 600,
          rounds: ROUNDS,
        });
        assert.equal((created as unknown as Federation).featureColumns.length, 31);

        // Org4 first offers a file that does not fit: 422 with every problem, and the ledger is unchanged.
        const health = (await org4.health()) as unknown as { dataDir: string };
        mkdirSync(health.dataDir, { recursive: true });
        writeFileSync(
          join(health.dataDir, 'export.csv'),
          'age,bmi,systolic_bp,heart_rate,hba1c,ldl_cholesterol,prior_admissions,length_of_stay,num_medications,sex,smoking_status,admission_type,readmitted\r\n' +
            '150,27,120,80,6,100,0,3,4,F,sometimes,elective,no\r\n',
        );
        await org4.send('POST', '/datasets', 'scientist', {
          id: 'export',
          path: 'export.csv',
          labelColumn: 'readmitted',
          format: 'raw',
        });
        await assert.rejects(org4.acceptInvitation(FEDERATION, 'export'), (error: unknown) => {
          assert.ok(
            error instanceof GatewayRequestError &&
              error.status === 422 &&
              error.code === 'INVALID_ARGUMENT',
            String(error),
          );
          assert.match(error.message, /column "egfr": the dataset has no such column/);
          return true;
        });
        assert.deepEqual((await auditor.getFederation(FEDERATION, 'auditor')).participants, [
          'Org1MSP',
        ]);

        for (const gateway of hospitals.slice(1))
          await gateway.acceptInvitation(FEDERATION, 'site');
        const profiles = await auditor.send<
          Array<{ mspId: string; columns: Array<{ name: string; missingRate: number }> }>
        >('GET', `/federations/${FEDERATION}/data-profiles`, 'auditor');
        assert.deepEqual(
          profiles.map((p) => p.mspId),
          ['Org1MSP', 'Org2MSP', 'Org3MSP', 'Org4MSP'],
        );
        assert.equal(
          profiles[1]?.columns.find((c) => c.name === UNMEASURED_COLUMN)?.missingRate,
          1,
          'the consortium sees that site 2 never measured HbA1c',
        );

        await org1.startFederation(FEDERATION);
        let federation = (await auditor.getFederation(
          FEDERATION,
          'auditor',
        )) as unknown as Federation;
        for (let poll = 0; poll < MAX_POLLS && federation.status !== 'completed'; poll++) {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          federation = (await auditor.getFederation(
            FEDERATION,
            'auditor',
          )) as unknown as Federation;
        }
        assert.equal(federation.status, 'completed');
        t.diagnostic(
          `10 rounds completed ${((Date.now() - began) / 1000).toFixed(0)} s after the lock was taken`,
        );
        assert.ok(
          federation.imputation !== undefined && federation.featureScaling !== undefined,
          'the consortium preprocessing is on the ledger',
        );
        assert.deepEqual(federation.imputation.fromOrgs, [
          'Org1MSP',
          'Org2MSP',
          'Org3MSP',
          'Org4MSP',
        ]);
        const versions = await auditor.listModels(FEDERATION, 'auditor');
        for (const version of versions.filter((v) => v.version > 0)) {
          assert.deepEqual(
            version.contributors.map((c) => c.mspId).sort(),
            ['Org1MSP', 'Org2MSP', 'Org3MSP', 'Org4MSP'],
            `round ${version.round} aggregated all four updates`,
          );
        }

        // The yardstick, computed here: the same raw files pooled, the same schema, model and total epochs.
        const { heldOut, central } = await generatedMultisiteYardstick({
          rows: ROWS,
          sites: ORGS,
          seed: SEED,
          modelSeed: MODEL_SEED,
          inputDim: federation.featureColumns.length,
          hyperParameters: HYPER,
          rounds: ROUNDS,
        });
        const weights = await org1.downloadWeights(FEDERATION, ROUNDS);
        const federated = await scoreUnderSchema(
          federation.modelSpec.topology,
          weights,
          heldOut,
          MULTISITE_SCHEMA,
          federation.imputation,
          federation.featureScaling,
        );
        t.diagnostic(
          `held-out accuracy: federated ${federated.accuracy.toFixed(4)}, centralized ${central.accuracy.toFixed(4)}`,
        );
        assert.ok(
          Math.abs(federated.accuracy - central.accuracy) <= 0.02,
          `federated ${federated.accuracy} vs centralized ${central.accuracy}`,
        );

        const timeline = await auditor.timeline(FEDERATION, 'auditor');
        assert.equal(
          timeline.filter((entry) => entry.action === 'RecordDataProfile').length,
          ORGS,
          'every org recorded its profile',
        );
      },
    );
    await assertNothingLeftRunning(leftovers, layoutPorts(ORGS));
  },
);
