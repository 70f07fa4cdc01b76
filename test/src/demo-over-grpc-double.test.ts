// The double runs the real chaincode in this process; keep the contract API's error log quiet.
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'critical';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '@fedledger/core';
import { collectAuditView } from '@fedledger/gateway/dist/demo/audit-view';
import { buildDemoData } from '@fedledger/gateway/dist/demo/demo-data';
import { startGatewayProcesses } from '@fedledger/gateway/dist/demo/fabric-consortium';
import { ensureConsortium, runFederation, type FederationSettings } from '@fedledger/gateway/dist/demo/federation-run';
import { GatewayClient } from '@fedledger/gateway/dist/demo/gateway-client';
import { startInProcessConsortium } from '@fedledger/gateway/dist/demo/in-process-consortium';
import { Teardown } from '@fedledger/gateway/dist/demo/teardown';
import { startFakeFabric, type FakeFabric } from '@fedledger/gateway/dist/fabric/testing/fake-fabric';
import { initBackend } from '@fedledger/gateway/dist/training/backend';

/**
 * NOT a Fabric network: the gateway team's gRPC Gateway-service double (TLS, signed proposals, the
 * real chaincode through fabric-shim, chaincode events) stands in for the peers. What it does show:
 * the demo driver, with one real gateway PROCESS per org in fabric mode (the gateway's own Fabric
 * client, event listener and participation), runs a whole federation, and the result is
 * bit-identical to the same federation on the in-process ledger.
 */
const ROWS = 600;
const ROUNDS = 2;
const SETTINGS: FederationSettings = {
  federationId: 'grpc-double-demo',
  datasetId: 'readmissions',
  rounds: ROUNDS,
  modelSeed: 3,
  hiddenUnits: [16],
  hyperParameters: { epochs: 1, batchSize: 32, learningRate: 0.01 },
  strategy: { name: 'fedavg' },
  roundTimeoutMs: 120_000,
};

async function registerAndRun(hospitals: GatewayClient[], data: ReturnType<typeof buildDemoData>): Promise<Awaited<ReturnType<typeof runFederation>>> {
  await ensureConsortium(hospitals[0] as GatewayClient, hospitals.map((g) => g.mspId));
  for (const [index, gateway] of hospitals.entries()) {
    await gateway.registerSynthetic({ id: SETTINGS.datasetId, orgIndex: index, orgCount: 3, rows: ROWS, mode: 'dirichlet', alpha: 0.5, seed: 3 });
  }
  return runFederation(hospitals, SETTINGS, data, () => undefined);
}

describe('demo driver with gateway processes in fabric mode against the gRPC peer double (not Fabric)', () => {
  const teardown = new Teardown(() => undefined);
  const data = buildDemoData({ rows: ROWS, alpha: 0.5, seed: 3, testRows: 500, hospitals: 3 });
  let fabric: FakeFabric;
  let root: string;

  before(async () => {
    await initBackend();
    fabric = await startFakeFabric();
    teardown.add('gRPC peer double', async () => fabric.stop());
    root = mkdtempSync(join(tmpdir(), 'fedledger-demo-double-'));
    teardown.add('state', async () => rmSync(root, { recursive: true, force: true }));
  });
  after(() => teardown.run());

  it('runs the federation over HTTP with every step committed through the double, identical to the in-process run', async () => {
    const connectionFiles: Record<string, string> = {};
    for (const mspId of ['Org1MSP', 'Org2MSP', 'Org3MSP', 'AuditorMSP']) {
      connectionFiles[mspId] = join(root, `${mspId}.connection.json`);
      writeFileSync(connectionFiles[mspId] as string, JSON.stringify(fabric.config(mspId).connection));
    }
    const gateways = await startGatewayProcesses(connectionFiles, join(root, 'gateways'), join(root, 'logs'), teardown, () => undefined);
    const hospitals = gateways.hospitals.map((endpoint) => new GatewayClient(endpoint));
    const auditor = new GatewayClient(gateways.auditor);

    const outcome = await registerAndRun(hospitals, data);
    assert.equal(outcome.federation.status, 'completed');
    assert.equal(outcome.rounds.length, ROUNDS);
    const versions = (await auditor.listModels(SETTINGS.federationId, 'auditor')).sort((a, b) => a.version - b.version);
    for (const version of versions) {
      for (const gateway of hospitals) assert.equal(sha256Hex(await gateway.downloadWeights(SETTINGS.federationId, version.version)), version.modelHash);
    }
    const audit = await collectAuditView(auditor, hospitals[1] as GatewayClient, SETTINGS.federationId, ROUNDS);
    assert.equal(audit.verifiedByAuditor, true);
    assert.equal(audit.lineageIntact, true);
    assert.equal(audit.auditorWeightsAccess, 'denied (403 FORBIDDEN)');
    const actions = audit.timeline.map((entry) => entry.action);
    assert.equal(actions.filter((action) => action === 'SubmitUpdate').length, 3 * ROUNDS);
    assert.equal(actions.filter((action) => action === 'Aggregate').length, ROUNDS);
    // Every one of them went through the double's Submit; racing Aggregates of other gateways may add
    // submissions that fail validation (MVCC), so at least, not exactly.
    const submitted = fabric.peer.calls.filter((call) => call.method === 'Submit').map((call) => call.fcn);
    assert.equal(submitted.filter((fcn) => fcn === 'round:SubmitUpdate').length, 3 * ROUNDS);
    assert.ok(submitted.filter((fcn) => fcn === 'round:Aggregate').length >= ROUNDS);
    // SubmitUpdates write disjoint keys: none failed validation, so no gateway retried one.
    for (const gateway of hospitals) {
      const metrics = await gateway.metrics();
      assert.match(metrics, new RegExp(`^fedledger_rounds_participated_total ${ROUNDS}$`, 'm'), `${gateway.mspId} /metrics`);
      assert.doesNotMatch(metrics, /^fedledger_ledger_conflict_retries_total\{transaction="SubmitUpdate"/m, `${gateway.mspId} retried a SubmitUpdate`);
    }

    const inProcessTeardown = new Teardown(() => undefined);
    try {
      const inProcess = await startInProcessConsortium(join(root, 'in-process'), join(root, 'in-process-logs'), inProcessTeardown);
      const reference = await registerAndRun(inProcess.hospitals.map((endpoint) => new GatewayClient(endpoint)), data);
      assert.deepEqual(
        outcome.rounds.map((r) => r.modelHash),
        reference.rounds.map((r) => r.modelHash),
        'the same federation gives bit-identical global models whichever ledger backend carries it',
      );
    } finally {
      await inProcessTeardown.run();
    }
  });
});
