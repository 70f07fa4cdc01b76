import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sha256Hex, type FederationSpec } from '@fedledger/core';
import { pixelColumns } from '../../ml/datasets/mnist-digits';
import { NATIVE_DIR_ENV } from '../../ml/native/native-location';
import { inProcessLedger } from '../../ledger/port/in-process-ledger';
import { InProcessWorld } from '../../testing/world';
import {
  assertError,
  federationBody,
  ok,
  registerSynthetic,
  settleUntil,
  acceptAndStart,
} from '../../testing/api-helpers';
import { type TestGateway } from '../../testing/test-gateway';
import { buildPreset } from '../../ml/training/model-presets';
import { gatewaySuite } from '../../testing/gateway-suite';

// This file is the gateway WITHOUT `npm run setup:native`, wherever it runs: an empty native directory.
const emptyNativeDir = mkdtempSync(join(tmpdir(), 'fl-no-native-'));
process.env[NATIVE_DIR_ENV] = emptyNativeDir;

const IMAGE_FEDERATION = 'digits-cnn';
const DENSE_FEDERATION = 'dense-wasm';
const MAX_POLLS = 600;

/** The cnn federation as a creator whose gateway has the native backend would put it on the ledger. */
function cnnSpec(): { spec: FederationSpec; initialWeights: Uint8Array } {
  const preset = buildPreset({ preset: 'cnn', inputDim: 196, seed: 2 });
  const spec: FederationSpec = {
    id: IMAGE_FEDERATION,
    name: 'digits',
    modelSpec: {
      format: 'tfjs-layers',
      topology: preset.topology,
      topologyHash: sha256Hex(new TextEncoder().encode(preset.topology)),
    },
    featureColumns: pixelColumns(),
    labelColumn: 'high_digit',
    hyperParameters: { epochs: 1, batchSize: 32, learningRate: 0.01 },
    strategy: { name: 'fedavg' },
    invitedOrgs: ['Org2MSP'],
    minParticipants: 2,
    roundDeadlineSeconds: 3600,
    rounds: 1,
  };
  return { spec, initialWeights: preset.initialWeights };
}

describe('a gateway without the native backend', () => {
  const world = new InProcessWorld();
  const suite = gatewaySuite(world, ['Org1MSP', 'Org2MSP'], { participation: true });

  it('reports wasm in /health, with why native is missing and what to run', async () => {
    const [, org2] = suite.gateways as [TestGateway, TestGateway];
    const health = ok<{ tfBackend: string; tfBackends: Record<string, unknown> }>(
      await org2.http().get('/health'),
    );
    assert.equal(health.tfBackend, 'wasm');
    assert.deepEqual(health.tfBackends, {
      portable: 'wasm',
      native: null,
      nativeDevice: null,
      nativeUnavailable: `the native cpu build is not set up in ${join(emptyNativeDir, 'cpu')} (run npm run setup:native)`,
      gpuNotUsed: null,
    });
  });

  it('refuses to create a convolutional federation it could not train, and nothing reaches the ledger', async () => {
    const [org1] = suite.gateways as [TestGateway];
    const body = {
      ...federationBody(IMAGE_FEDERATION, pixelColumns(), 'high_digit', ['Org2MSP']),
      model: { preset: 'cnn', seed: 2 },
    };
    const error = assertError(
      await org1.http().post('/federations').set('x-api-key', org1.keys.admin).send(body),
      409,
      'BACKEND_UNAVAILABLE',
    );
    assert.match(error.message, /Conv2D layers, which train only on the native TensorFlow backend/);
    assertError(
      await org1.http().get(`/federations/${IMAGE_FEDERATION}`).set('x-api-key', org1.keys.admin),
      404,
      'NOT_FOUND',
    );
  });

  it('refuses at accept, with the reason and the remedy, an invitation to a convolutional federation; the invitation stays open', async () => {
    const [, org2] = suite.gateways as [TestGateway, TestGateway];
    const { spec, initialWeights } = cnnSpec();
    await inProcessLedger(world, 'Org1MSP')
      .provider.ledgerFor('admin')
      .createFederation(spec, initialWeights);
    const response = await org2
      .http()
      .post(`/federations/${IMAGE_FEDERATION}/accept`)
      .set('x-api-key', org2.keys.admin)
      .send({});
    const error = assertError(response, 409, 'BACKEND_UNAVAILABLE');
    assert.equal(
      error.message,
      'the model has Conv2D layers, which train only on the native TensorFlow backend (wasm lacks their gradient kernels), and this gateway has none: ' +
        `the native cpu build is not set up in ${join(emptyNativeDir, 'cpu')} (run npm run setup:native). Run npm run setup:native on this gateway's host and restart it, or choose a dense model`,
    );
    const federation = ok<{ participants: string[]; status: string }>(
      await org2.http().get(`/federations/${IMAGE_FEDERATION}`).set('x-api-key', org2.keys.admin),
    );
    assert.deepEqual(federation.participants, ['Org1MSP']);
    assert.equal(federation.status, 'pending');
  });

  it('still runs a dense federation, on wasm, and records that backend with every evaluation on the ledger', async () => {
    const [org1, org2] = suite.gateways as [TestGateway, TestGateway];
    const dataset = await registerSynthetic(org1, 'local', 0, 2);
    await registerSynthetic(org2, 'local', 1, 2);
    ok(
      await org1
        .http()
        .post('/federations')
        .set('x-api-key', org1.keys.admin)
        .send({
          ...federationBody(
            DENSE_FEDERATION,
            dataset.featureColumns,
            dataset.labelColumn,
            ['Org2MSP'],
            { rounds: 1 },
          ),
          datasetId: 'local',
        }),
      201,
    );
    await acceptAndStart(org1, [org2], DENSE_FEDERATION);
    let evaluations: Array<{ mspId: string; backend?: string }> = [];
    await settleUntil(
      world,
      async () => {
        const versions = ok<
          Array<{ version: number; evaluations: Array<{ mspId: string; backend?: string }> }>
        >(
          await org1
            .http()
            .get(`/federations/${DENSE_FEDERATION}/models`)
            .set('x-api-key', org1.keys.scientist),
        );
        evaluations = versions.find((version) => version.version === 1)?.evaluations ?? [];
        return evaluations.length >= 2;
      },
      MAX_POLLS,
    );
    assert.deepEqual(
      evaluations.map((evaluation) => [evaluation.mspId, evaluation.backend]).sort(),
      [
        ['Org1MSP', 'wasm'],
        ['Org2MSP', 'wasm'],
      ],
    );
  });
});
