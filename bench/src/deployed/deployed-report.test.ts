import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FabricRunResult } from './fabric-run-result';
import type { FlowerDeployedRun } from './flower-deployment';
import { flowerRounds, type FlowerMark } from './flower-result';
import {
  anatomyTables,
  batchTimeoutNotes,
  comparisonTable,
  connectionNote,
  driverShareNote,
  fabricSystemRun,
  scalingTable,
  type DeployedCase,
} from './deployed-report';

const step = (count: number, seconds: number): { count: number; seconds: number } => ({
  count,
  seconds,
});

/** A 3-round Fabric run whose rounds take `round` s (the first twice that) and move `kb` kB each. */
function fabric(orgs: number, round: number, kb: number, submit = 0.3): FabricRunResult {
  const calls = orgs * 3;
  return {
    orgs,
    rounds: 3,
    hyperParameters: { epochs: 2, batchSize: 32, learningRate: 0.01 },
    tfjsBackend: 'wasm',
    phases: [
      { phase: 'prepare', seconds: 1, bytes: 0, driverBodyBytes: 0, endedAt: 1, loBytesAtEnd: 0 },
      {
        phase: 'startup',
        seconds: 30,
        bytes: 3e6,
        driverBodyBytes: 1e4,
        endedAt: 2,
        loBytesAtEnd: 3e6,
      },
      {
        phase: 'federation',
        seconds: 10,
        bytes: 5e6,
        driverBodyBytes: 5e5,
        endedAt: 3,
        loBytesAtEnd: 8e6,
      },
      {
        phase: 'finalEvaluations',
        seconds: 1,
        bytes: 1e5,
        driverBodyBytes: 1e3,
        endedAt: 4,
        loBytesAtEnd: 8.1e6,
      },
      {
        phase: 'collect',
        seconds: 2,
        bytes: 1e4,
        driverBodyBytes: 1e4,
        endedAt: 5,
        loBytesAtEnd: 8.11e6,
      },
      {
        phase: 'teardown',
        seconds: 3,
        bytes: 0,
        driverBodyBytes: 0,
        endedAt: 6,
        loBytesAtEnd: 8.11e6,
      },
    ],
    roundSeconds: [2 * round, round, round],
    accuracyByRound: [0.6, 0.7, 0.75, 0.8],
    roundMarks: [0, 1, 2, 3].map((r) => ({ round: r, t: r, loBytes: r * kb * 1000 })),
    roundMetrics: {
      aggregations: { succeeded: 3, failed: 0 },
      training: step(calls, calls * 0.4),
      submitUpdate: step(calls, calls * submit),
      aggregate: step(3, 0.6),
      recordEvaluation: step(calls, calls * 0.1),
      eventToSubmit: step(calls, calls * 0.9),
      turnaround: step(0, 0),
      trainedAhead: { used: 0, discarded: 0, failed: 0 },
    },
    initialModelHash: 'a',
    finalModelHash: 'b',
    gatewayPids: [],
  };
}

function flower(orgs: number, round: number): NonNullable<DeployedCase['flower']> {
  const marks: FlowerMark[] = [{ round: 0, event: 'global', t: 0, loBytes: 0, accuracy: 0.6 }];
  for (let r = 1; r <= 3; r++) {
    const start = (r - 1) * round;
    marks.push({
      round: r,
      event: 'fit-done',
      t: start + round / 2,
      loBytes: r * 1e6 - 1,
      trainSeconds: [0.1],
    });
    marks.push({
      round: r,
      event: 'global',
      t: start + round / 2 + 0.01,
      loBytes: r * 1e6,
      accuracy: 0.7,
    });
    marks.push({ round: r, event: 'evaluate-done', t: start + round, loBytes: r * 1e6 + 5e5 });
  }
  const run: FlowerDeployedRun = {
    flwrVersion: '1.41.0',
    startup: { seconds: 12, bytes: 2e4 },
    run: { seconds: 3 * round, bytes: 3.5e6 },
    teardown: { seconds: 2, forcedPids: 9 },
    clientAppStarts: orgs * 6,
    result: { rounds: 3, marks },
  };
  return { run, rounds: flowerRounds(run.result) };
}

const CASES: DeployedCase[] = [
  {
    orgs: 3,
    fabric: fabric(3, 1.5, 1000),
    batchTimeout: '20ms',
    defaultTimeout: true,
    flower: flower(3, 30),
  },
  {
    orgs: 5,
    fabric: fabric(5, 3, 1500),
    batchTimeout: '20ms',
    defaultTimeout: true,
    flower: flower(5, 45),
  },
  { orgs: 3, fabric: fabric(3, 3, 900, 0.6), batchTimeout: '250ms', defaultTimeout: false },
];

test("fabricSystemRun: end-to-end leaves out the bench's own preparation and collection", () => {
  const run = fabricSystemRun(CASES[0]);
  assert.equal(run.endToEndSeconds, 30 + 10 + 1 + 3);
  assert.deepEqual(run.bytesByRound, [1e6, 1e6, 1e6]);
  assert.equal(fabricSystemRun(CASES[2]).system, 'fedledger on Fabric (BatchTimeout 250ms)');
});

test('comparisonTable: one row per system run, fedledger against Flower at the same org count', () => {
  const lines = comparisonTable(CASES, 3).split('\n');
  assert.equal(lines.length, 2 + 5);
  assert.match(
    lines[2],
    /^\| 3 +\| fedledger on Fabric +\| 30 +\| 3 +\| 1\.50 +\| 0\.05 +\| 10 +\| 44 +\| 3 +\| 1000 +\| 5 +\| 0\.600 0\.700 0\.750 0\.800 +\|$/,
  );
  assert.match(
    lines[3],
    /^\| 3 +\| Flower 1\.41\.0 deployed +\| 12 +\| 15\.0 +\| 30(\.0)? +\| 1\.00 /,
  );
});

test('anatomyTables: a Fabric row per case, a Flower row per case that ran Flower', () => {
  const text = anatomyTables(CASES);
  assert.match(
    text,
    /\| 3 +\| 20ms +\| 2 +\| 0\.400 +\| 0\.200 +\| 0\.300 +\| 0\.200 +\| 0\.900 +\| 0\.100 +\| 3 \/ 0 +\| 35%–80% +\|/,
  );
  assert.match(text, /\| 3 +\| 250ms +\| 4 +\| 0\.400 +\| 0 +\| 0\.600 /);
  assert.match(text, /\| 5 +\| 45(\.0)? +\| 22\.5 +\| 0\.100 +\| 22\.5 +\| 30 +\|/);
});

test('scalingTable compares each system with itself at the first org count and leaves out BatchTimeout variants', () => {
  const lines = scalingTable(CASES).split('\n');
  assert.equal(lines.length, 2 + 4);
  assert.doesNotMatch(lines.join('\n'), /250ms/);
  assert.match(
    lines[4],
    /^\| 5 +\| fedledger on Fabric +\| 3 +\| 2\.00× +\| 1500 +\| 1\.50× +\| 30 +\| 44 +\|$/,
  );
  assert.match(
    lines[5],
    /^\| 5 +\| Flower 1\.41\.0 deployed +\| 45(\.0)? +\| 1\.50× +\| 1000 +\| 1\.00× /,
  );
});

test('batchTimeoutNotes compares an extra BatchTimeout run with the default run at its org count', () => {
  const [note, ...rest] = batchTimeoutNotes(CASES);
  assert.equal(rest.length, 0);
  assert.match(
    note,
    /BatchTimeout 250ms against 20ms at 3 orgs .* 3\.00 s vs 1\.50 s \(×2\.00\); SubmitUpdate 0\.600 vs 0\.300 s/,
  );
});

test("driverShareNote: the driver's REST bodies against the rounds' loopback bytes, per Fabric run", () => {
  assert.match(
    driverShareNote(CASES),
    /3 orgs: 0\.50 of 5\.00 MB \(10 %\); 5 orgs: 0\.50 of 5\.00 MB \(10 %\); 3 orgs \(BatchTimeout 250ms\): 0\.50 of 5\.00 MB/,
  );
});

test("connectionNote lists each Fabric run's connection kinds, largest first, against the loopback bytes", () => {
  assert.equal(connectionNote(CASES), undefined);
  const withKinds: DeployedCase = {
    ...CASES[0],
    fabric: {
      ...CASES[0].fabric,
      connectionBytes: { 'gateway → peer': 1e6, 'peer → orderer': 2.5e6 },
    },
  };
  assert.match(
    connectionNote([withKinds]) as string,
    /3 orgs: peer → orderer 2\.50, gateway → peer 1\.00 \(sum 3\.50 MB of payload against 5\.00 MB on lo\)/,
  );
});
