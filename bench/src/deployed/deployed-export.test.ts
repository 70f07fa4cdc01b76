import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { decodeFlat, encodeFlat } from '@fedledger/core';
import { buildDemoData } from '@fedledger/demo';
import { exportDeployedFederation } from './deployed-export';

test("exportDeployedFederation writes each org's train and validation rows and the held-out rows through the federation's scaling", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-deployed-export-'));
  try {
    const data = buildDemoData({ rows: 120, alpha: 1, seed: 4, testRows: 20, hospitals: 2 });
    const numFeatures = data.featureColumns.length;
    // A scaling unlike either org's own statistics: center 1, scale 2 on every column.
    const scaling = {
      center: Array(numFeatures).fill(1) as number[],
      scale: Array(numFeatures).fill(2) as number[],
    };
    const initialWeights = encodeFlat(
      [[numFeatures, 2], [2]],
      Float32Array.from({ length: numFeatures * 2 + 2 }, (_, i) => i / 10),
    );
    const hp = { epochs: 2, batchSize: 32, learningRate: 0.01 };
    const meta = exportDeployedFederation(dir, {
      data,
      scaling,
      initialWeights,
      hiddenUnits: [2],
      hyperParameters: hp,
      rounds: 3,
      mspIds: ['Org1MSP', 'Org2MSP'],
      seed: 4,
    });
    assert.deepEqual(meta.orgFiles, ['org-1.csv', 'org-2.csv']);
    assert.deepEqual(meta.validationFiles, ['org-1-validation.csv', 'org-2-validation.csv']);
    assert.deepEqual(meta.weightShapes, [[numFeatures, 2], [2]]);
    assert.deepEqual(JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')), meta);
    const rows = (file: string): number[][] =>
      readFileSync(path.join(dir, file), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',').map(Number));
    const hospital = data.hospitals.at(1);
    assert.ok(hospital !== undefined);
    const train = rows('org-2.csv');
    const validation = rows('org-2-validation.csv');
    assert.equal(train.length, hospital.prepared.train.labels.length);
    assert.equal(validation.length, hospital.prepared.validation.labels.length);
    // (raw − 1) / 2 of the gateway's unscaled first training row, then its label.
    const expected = Array.from(hospital.prepared.unscaled.train.subarray(0, numFeatures), (x) =>
      Math.fround((x - 1) / 2),
    );
    assert.deepEqual(train[0]?.slice(0, numFeatures).map(Math.fround), expected);
    assert.equal(train[0]?.[numFeatures], hospital.prepared.train.labels[0]);
    assert.equal(rows('test.csv').length, 20);
    assert.equal(rows('test.csv')[0]?.[0], Math.fround((data.heldOut.features[0] - 1) / 2));
    const written = readFileSync(path.join(dir, 'initial-weights.f32'));
    assert.deepEqual(
      new Float32Array(written.buffer, written.byteOffset, written.byteLength / 4),
      decodeFlat(initialWeights).flat,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exportDeployedFederation refuses org ids that do not match the hospitals', () => {
  const data = buildDemoData({ rows: 60, alpha: 1, seed: 4, testRows: 10, hospitals: 2 });
  assert.throws(
    () =>
      exportDeployedFederation(os.tmpdir(), {
        data,
        scaling: { center: [], scale: [] },
        initialWeights: new Uint8Array(),
        hiddenUnits: [],
        hyperParameters: { epochs: 1, batchSize: 1, learningRate: 0.1 },
        rounds: 1,
        mspIds: ['Org1MSP'],
        seed: 1,
      }),
    /1 org ids for 2 hospitals/,
  );
});
