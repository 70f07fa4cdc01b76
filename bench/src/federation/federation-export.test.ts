import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { decodeFlat } from '@fedledger/core';
import { exportFederation, matrixToCsv } from './federation-export';
import { buildScenario } from './scenario';

test('matrixToCsv writes a header, the features then the label, shortest round-trip numbers', () => {
  const csv = matrixToCsv(
    ['a', 'b', 'y'],
    Float32Array.from([1, 0.5, -2, 3.25]),
    Float32Array.from([0, 1]),
  );
  assert.equal(csv, 'a,b,y\n1,0.5,0\n-2,3.25,1\n');
});

test('exportFederation writes every org, the test set, bit-exact initial weights and meta', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-export-'));
  try {
    const scenario = buildScenario({
      rows: 300,
      orgs: 2,
      split: 'iid',
      testFraction: 0.2,
      hiddenUnits: [4],
      seed: 3,
    });
    const hp = { epochs: 2, batchSize: 32, learningRate: 0.01 };
    const meta = exportFederation(dir, scenario, hp, 4);
    assert.deepEqual(meta.orgFiles, ['org-1.csv', 'org-2.csv']);
    assert.deepEqual(meta.orgMspIds, ['Org1MSP', 'Org2MSP']);
    assert.equal(meta.rounds, 4);
    assert.deepEqual(meta.hyperParameters, hp);
    assert.deepEqual(JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')), meta);
    const org1 = readFileSync(path.join(dir, 'org-1.csv'), 'utf8').trim().split('\n');
    assert.equal(org1[0], [...scenario.featureColumns, scenario.labelColumn].join(','));
    assert.equal(org1.length - 1, scenario.orgs[0]?.labels.length);
    // Every value survives the text round trip exactly as float32.
    const firstRow = org1[1].split(',').map(Number);
    assert.deepEqual(
      Float32Array.from(firstRow.slice(0, 12)),
      scenario.orgs[0]?.features.subarray(0, 12),
    );
    const testLines = readFileSync(path.join(dir, 'test.csv'), 'utf8').trim().split('\n');
    assert.equal(testLines.length - 1, 60);
    const raw = readFileSync(path.join(dir, 'initial-weights.f32'));
    const floats = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    assert.deepEqual(floats, decodeFlat(scenario.initialWeights).flat);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
