import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mkdtempSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Test } from '@nestjs/testing';
import { FedLedgerError } from '@fedledger/core';
import { REGISTRY_FILE } from './dataset-registry-file';
import { DatasetsModule } from './datasets.module';
import { DatasetsService } from './datasets.service';

const CSV = 'age,bp,label\n50,120,1\n60,130,0\n70,140,1\n40,110,0\n55,125,1\n';

function setUp(): { root: string; dataDir: string; stateDir: string; service: DatasetsService } {
  const root = mkdtempSync(path.join(tmpdir(), 'fedledger-datasets-'));
  const dataDir = path.join(root, 'data');
  const stateDir = path.join(root, 'state');
  mkdirSync(dataDir);
  writeFileSync(path.join(dataDir, 'cohort.csv'), CSV);
  writeFileSync(path.join(root, 'outside.csv'), CSV);
  return { root, dataDir, stateDir, service: new DatasetsService({ dataDir, stateDir }) };
}

function code(expected: string, text: RegExp | string): (error: unknown) => boolean {
  return (error: unknown) =>
    error instanceof FedLedgerError &&
    error.code === expected &&
    (typeof text === 'string' ? error.reason === text : text.test(error.reason));
}

test('registers a CSV, loads it standardised, and keeps the registry across restarts', async () => {
  const { root, dataDir, stateDir, service } = setUp();
  try {
    const record = await service.register({
      id: 'cohort',
      path: 'cohort.csv',
      labelColumn: 'label',
      validationFraction: 0.4,
      seed: 2,
    });
    assert.equal(record.source, 'csv');
    assert.equal(record.path, 'cohort.csv');
    assert.deepEqual(record.featureColumns, ['age', 'bp']);
    assert.equal(record.numRows, 5);
    assert.equal(record.numTrain, 3);
    assert.equal(record.numValidation, 2);
    assert.equal(record.positiveRate, 0.6);
    const loaded = await service.load('cohort');
    assert.equal(loaded.numFeatures, 2);
    assert.equal(loaded.train.features.length, 6);
    assert.equal(await service.load('cohort'), loaded);

    const restarted = new DatasetsService({ dataDir, stateDir });
    assert.deepEqual(restarted.list(), [record]);
    assert.deepEqual(await restarted.load('cohort'), loaded);
    assert.equal(
      (
        JSON.parse(readFileSync(path.join(stateDir, REGISTRY_FILE), 'utf8')) as {
          datasets: Array<{ id: string }>;
        }
      ).datasets[0]?.id,
      'cohort',
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('paths outside the data directory are FORBIDDEN, missing files NOT_FOUND', async () => {
  const { root, dataDir, service } = setUp();
  try {
    symlinkSync(path.join(root, 'outside.csv'), path.join(dataDir, 'link.csv'));
    const base = { labelColumn: 'label' };
    await assert.rejects(
      service.register({ id: 'a', path: '../outside.csv', ...base }),
      code(
        'FORBIDDEN',
        `path "../outside.csv" resolves outside the data directory ${dataDir}; copy the file into it and give its path relative to it`,
      ),
    );
    await assert.rejects(
      service.register({ id: 'a', path: path.join(root, 'outside.csv'), ...base }),
      code('FORBIDDEN', /resolves outside the data directory .*; copy the file into it/),
    );
    await assert.rejects(
      service.register({ id: 'a', path: 'link.csv', ...base }),
      code('FORBIDDEN', /^path "link.csv" resolves outside the data directory /),
    );
    await assert.rejects(
      service.register({ id: 'a', path: 'nope.csv', ...base }),
      code('NOT_FOUND', `no file "nope.csv" in the data directory ${dataDir}`),
    );
    await assert.rejects(
      service.register({ id: 'a', path: '.', ...base }),
      code('FORBIDDEN', /^path "\." resolves outside the data directory /),
    );
    mkdirSync(path.join(dataDir, 'folder'));
    await assert.rejects(
      service.register({ id: 'a', path: 'folder', ...base }),
      code('INVALID_ARGUMENT', '"folder" is not a regular file'),
    );
    await assert.rejects(
      service.register({ id: 'a', path: '', ...base }),
      code('INVALID_ARGUMENT', 'path must be a non-empty file path inside the data directory'),
    );
    assert.deepEqual(service.list(), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('ids are unique and well-formed; unknown ids are NOT_FOUND; invalid CSVs are not registered', async () => {
  const { root, dataDir, service } = setUp();
  try {
    await service.register({ id: 'cohort', path: 'cohort.csv', labelColumn: 'label' });
    await assert.rejects(
      service.register({ id: 'cohort', path: 'cohort.csv', labelColumn: 'label' }),
      code('ALREADY_EXISTS', 'dataset "cohort" is already registered'),
    );
    await assert.rejects(
      service.register({ id: '../x', path: 'cohort.csv', labelColumn: 'label' }),
      code('INVALID_ARGUMENT', /^dataset id "..\/x" must be/),
    );
    assert.throws(() => service.get('missing'), code('NOT_FOUND', 'no dataset "missing"'));
    await assert.rejects(service.load('missing'), code('NOT_FOUND', 'no dataset "missing"'));
    writeFileSync(path.join(dataDir, 'bad.csv'), 'age,label\n50,3\n');
    await assert.rejects(
      service.register({ id: 'bad', path: 'bad.csv', labelColumn: 'label' }),
      code(
        'INVALID_ARGUMENT',
        'bad.csv: 1 problem(s): column "label": labels that are not 0 or 1 (line 2) e.g. "3"',
      ),
    );
    await assert.rejects(
      service.register({ id: 'bad', path: 'cohort.csv', labelColumn: 'outcome' }),
      code(
        'INVALID_ARGUMENT',
        'cohort.csv has no label column "outcome" (columns: age, bp, label)',
      ),
    );
    assert.deepEqual(
      service.list().map((record) => record.id),
      ['cohort'],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a file changed after registration is refused at load', async () => {
  const { root, dataDir, stateDir, service } = setUp();
  try {
    await service.register({ id: 'cohort', path: 'cohort.csv', labelColumn: 'label' });
    writeFileSync(path.join(dataDir, 'cohort.csv'), CSV + '80,150,1\n');
    const restarted = new DatasetsService({ dataDir, stateDir });
    await assert.rejects(
      restarted.load('cohort'),
      code(
        'FAILED_PRECONDITION',
        'dataset "cohort": cohort.csv changed since it was registered; replace the dataset (PUT /datasets/cohort) to use the new file',
      ),
    );
    rmSync(path.join(dataDir, 'cohort.csv'));
    await assert.rejects(
      restarted.load('cohort'),
      code('FAILED_PRECONDITION', /^dataset "cohort" cannot be read from cohort.csv: NOT_FOUND/),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('registerSynthetic writes only inside the data directory and orgs share one population', async () => {
  const { root, dataDir, service } = setUp();
  try {
    const request = { orgCount: 3, rows: 300, mode: 'dirichlet' as const, alpha: 0.5, seed: 9 };
    const records = await Promise.all(
      [0, 1, 2].map((orgIndex) =>
        service.registerSynthetic({ id: `org${orgIndex}`, orgIndex, ...request }),
      ),
    );
    assert.deepEqual(
      records.map((record) => record.path),
      ['synthetic/org0.csv', 'synthetic/org1.csv', 'synthetic/org2.csv'],
    );
    assert.equal(
      records.reduce((sum, record) => sum + record.numRows, 0),
      300,
    );
    assert.deepEqual(records[1]?.synthetic, {
      orgIndex: 1,
      orgCount: 3,
      rows: 300,
      mode: 'dirichlet',
      alpha: 0.5,
      seed: 9,
    });
    assert.deepEqual(readdirSync(root).sort(), ['data', 'outside.csv', 'state']);
    assert.deepEqual(readdirSync(path.join(dataDir, 'synthetic')).sort(), [
      'org0.csv',
      'org1.csv',
      'org2.csv',
    ]);
    const loaded = await service.load('org0');
    assert.equal(loaded.numFeatures, 12);
    await assert.rejects(
      service.registerSynthetic({ id: 'x', orgIndex: 3, ...request }),
      code('INVALID_ARGUMENT', 'orgIndex must be an integer in [0, 3), got 3'),
    );
    await assert.rejects(
      service.registerSynthetic({ id: 'x', orgIndex: 0, ...request, orgCount: 0 }),
      code('INVALID_ARGUMENT', 'orgCount must be a positive integer, got 0'),
    );
    writeFileSync(path.join(dataDir, 'synthetic', 'taken.csv'), 'x');
    await assert.rejects(
      service.registerSynthetic({ id: 'taken', orgIndex: 0, ...request }),
      code(
        'ALREADY_EXISTS',
        'the data directory already has synthetic/taken.csv; remove it or pick another id',
      ),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('DatasetsModule.forRoot provides the service with its options', async () => {
  const { root, dataDir, stateDir } = setUp();
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [DatasetsModule.forRoot({ dataDir, stateDir })],
    }).compile();
    const service = moduleRef.get(DatasetsService);
    assert.equal(
      (await service.register({ id: 'c', path: 'cohort.csv', labelColumn: 'label' })).numRows,
      5,
    );
    await moduleRef.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a corrupt registry file fails start-up clearly', () => {
  const { root, dataDir, stateDir } = setUp();
  try {
    mkdirSync(stateDir);
    writeFileSync(path.join(stateDir, REGISTRY_FILE), '{"version":2}');
    assert.throws(
      () => new DatasetsService({ dataDir, stateDir }),
      code(
        'FAILED_PRECONDITION',
        `${path.join(stateDir, REGISTRY_FILE)} is not a version 1 dataset registry`,
      ),
    );
    writeFileSync(path.join(stateDir, REGISTRY_FILE), '{');
    assert.throws(
      () => new DatasetsService({ dataDir, stateDir }),
      code('FAILED_PRECONDITION', /is not valid JSON/),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a CSV over the size limit is PAYLOAD_TOO_LARGE from its size alone, before it is read', async () => {
  const { root, dataDir, stateDir } = setUp();
  try {
    const service = new DatasetsService({ dataDir, stateDir, maxCsvBytes: 64 });
    // Not even valid CSV: were the file read, the answer would be a parse error, not 413.
    writeFileSync(path.join(dataDir, 'big.csv'), '"'.repeat(65));
    await assert.rejects(
      service.register({ id: 'big', path: 'big.csv', labelColumn: 'label' }),
      (error: unknown) => {
        assert.ok(error instanceof FedLedgerError);
        assert.equal(error.code, 'PAYLOAD_TOO_LARGE');
        assert.match(error.reason, /^big\.csv has 65 bytes; datasets are limited to 64 bytes/);
        assert.deepEqual(error.details, { size: 65, limit: 64 });
        return true;
      },
    );
    writeFileSync(path.join(dataDir, 'small.csv'), 'a,label\n1,0\n2,1\n');
    assert.equal(
      (await service.register({ id: 'small', path: 'small.csv', labelColumn: 'label' })).numRows,
      2,
    );
    assert.equal(service.dataDir, dataDir);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('raw datasets: structure checked, cells kept as text; split column or test file; replace and delete', async () => {
  const { root, dataDir, stateDir, service } = setUp();
  try {
    writeFileSync(
      path.join(dataDir, 'raw.csv'),
      'age,smoker,split,out\r\n50,yes,train,no\r\n?,no,test,yes\r\n61,,train,yes\r\n',
    );
    const raw = await service.register({
      id: 'raw',
      path: 'raw.csv',
      labelColumn: 'out',
      format: 'raw',
      splitColumn: 'split',
    });
    assert.equal(raw.format, 'raw');
    assert.deepEqual(raw.columns, ['age', 'smoker', 'split', 'out']);
    assert.deepEqual(raw.featureColumns, ['age', 'smoker']);
    assert.deepEqual([raw.numTrain, raw.numValidation], [2, 1]);
    const loaded = await service.loadRaw('raw');
    assert.deepEqual(
      loaded.validation.records.map((r) => [r.line, r.fields]),
      [[3, ['?', 'no', 'yes']]],
    );
    await assert.rejects(
      service.load('raw'),
      code(
        'FAILED_PRECONDITION',
        'dataset "raw" is a raw dataset; only a federation with a data schema can read it',
      ),
    );

    writeFileSync(path.join(dataDir, 'test.csv'), 'out,smoker,age\nno,yes,40\n');
    const withTest = await service.register({
      id: 'with-test',
      path: 'raw.csv',
      labelColumn: 'out',
      format: 'raw',
      testPath: 'test.csv',
    });
    assert.deepEqual(
      [withTest.numTrain, withTest.numValidation, withTest.testPath],
      [3, 1, 'test.csv'],
    );
    assert.deepEqual((await service.loadRaw('with-test')).validation.columns, [
      'out',
      'smoker',
      'age',
    ]);
    await assert.rejects(
      service.register({
        id: 'bad',
        path: 'raw.csv',
        labelColumn: 'out',
        format: 'raw',
        splitColumn: 'nope',
      }),
      code('INVALID_ARGUMENT', /has no split column "nope"/),
    );
    await assert.rejects(
      service.register({ id: 'bad', path: 'raw.csv', labelColumn: 'out', splitColumn: 'split' }),
      code('INVALID_ARGUMENT', /splitColumn and testPath are for format "raw"/),
    );

    // A file rewritten behind the gateway's back no longer loads; replacing the dataset takes the new file.
    writeFileSync(
      path.join(dataDir, 'raw.csv'),
      'age,smoker,split,out\n50,yes,train,no\n51,yes,train,no\n',
    );
    await assert.rejects(
      service.loadRaw('raw'),
      code(
        'FAILED_PRECONDITION',
        /raw\.csv changed since it was registered; replace the dataset \(PUT \/datasets\/raw\)/,
      ),
    );
    const replaced = await service.replace({
      id: 'raw',
      path: 'raw.csv',
      labelColumn: 'out',
      format: 'raw',
    });
    assert.equal(replaced.numRows, 2);
    assert.equal(
      (await service.loadRaw('raw')).train.records.length +
        (await service.loadRaw('raw')).validation.records.length,
      2,
    );
    await assert.rejects(
      service.replace({ id: 'unknown', path: 'raw.csv', labelColumn: 'out' }),
      code('NOT_FOUND', 'no dataset "unknown"'),
    );

    await service.delete('raw');
    assert.deepEqual(
      service.list().map((d) => d.id),
      ['with-test'],
    );
    assert.deepEqual(
      new DatasetsService({ dataDir, stateDir }).list().map((d) => d.id),
      ['with-test'],
      'the deletion is persisted',
    );
    assert.ok(readdirSync(dataDir).includes('raw.csv'), 'the CSV itself stays');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
