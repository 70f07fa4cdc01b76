/**
 * The fedledger half of the `flower-deployed` bench, run by it inside a network namespace of its own
 * (`ip netns exec`): the demo's way of running on Fabric (network/network.sh up + deployCC, one
 * gateway process per org, the federation driven over the gateways' REST APIs and scored on the
 * held-out rows after every round), with FedAvg so that Flower can run the same rule. Writes one JSON
 * result (timings, the namespace's loopback bytes per phase and per round, accuracy per round, the
 * gateways' round metrics) and, for the Flower half, the export of exactly the rows, scaling and
 * initial weights the gateways used.
 *
 *   node bench/dist/deployed/fabric-federation-main.js --orgs N --rounds R --out result.json --export DIR --log-dir DIR
 *
 * The large-round bench runs it with a larger model instead of the demo's (no Flower export):
 *   … --hidden-units 993,993 --epochs 5 --rows 6000 --test-rows 500 --alpha 100 --blob --out result.json
 * `--blob` is accepted for older command lines: every gateway of the demo's starter has a blob server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { FeatureScaling, HyperParameters } from '@fedledger/core';
import {
  buildDemoData,
  collectRoundMetrics,
  DATASET_ID,
  DEFAULT_DEMO_OPTIONS,
  type DemoData,
  ensureConsortium,
  GatewayClient,
  HIDDEN_UNITS,
  LedgerCursor,
  type RoundMetrics,
  runFederation,
  startFabricConsortium,
  Teardown,
} from '@fedledger/demo';
import { initBackend } from '@fedledger/gateway/training';
import { aggregateByOutcome } from './aggregate-outcomes';
import { exportDeployedFederation } from './deployed-export';
import { countingFetch, type FetchBytes } from './fetch-bytes';
import { loopbackBytes } from './netns';
import { bytesByConnectionKind, processKindReader, snapshotSockets } from './socket-bytes';
import { roundMarkFromLog, type ByteMark } from './fabric-run-result';
import type { FabricRunResult } from './fabric-run-result';

const FEDERATION_ID = 'flower-peer';
/** The demo's batch size (run-demo.ts). */
const BATCH_SIZE = 32;
const ROUND_TIMEOUT_MS = 10 * 60_000;
const FINAL_EVALUATION_WAIT_MS = 120_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      orgs: { type: 'string' },
      rounds: { type: 'string' },
      out: { type: 'string' },
      export: { type: 'string' },
      'log-dir': { type: 'string' },
      'hidden-units': { type: 'string' },
      epochs: { type: 'string' },
      rows: { type: 'string' },
      'test-rows': { type: 'string' },
      alpha: { type: 'string' },
      blob: { type: 'boolean' },
    },
  });
  const orgs = Number(values.orgs ?? '3');
  const rounds = Number(values.rounds ?? '5');
  const out = values.out;
  const exportDir = values.export;
  const logDir =
    values['log-dir'] ?? mkdtempSync(path.join(tmpdir(), 'fedledger-flower-deployed-logs-'));
  const hiddenUnits =
    values['hidden-units'] === undefined
      ? HIDDEN_UNITS
      : values['hidden-units'].split(',').map(Number);
  const options = {
    ...DEFAULT_DEMO_OPTIONS,
    ...(values.epochs === undefined ? {} : { epochs: Number(values.epochs) }),
    ...(values.rows === undefined ? {} : { rows: Number(values.rows) }),
    ...(values['test-rows'] === undefined ? {} : { testRows: Number(values['test-rows']) }),
    ...(values.alpha === undefined ? {} : { alpha: Number(values.alpha) }),
  };
  const positive = (n: number): boolean => Number.isInteger(n) && n >= 1;
  if (
    !Number.isInteger(orgs) ||
    orgs < 2 ||
    !positive(rounds) ||
    out === undefined ||
    !hiddenUnits.every(positive) ||
    ![options.epochs, options.rows, options.testRows].every(positive) ||
    !(options.alpha > 0)
  ) {
    throw new Error(
      'usage: fabric-federation-main.js --orgs N (≥2) --rounds R (≥1) --out FILE [--export DIR] [--log-dir DIR] [--hidden-units H,H] [--epochs E] [--rows N] [--test-rows N] [--alpha A] [--blob]',
    );
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const teardown = new Teardown((line) => {
    log(`[teardown] ${line}`);
  });
  const stop = (): void => {
    void teardown.run().finally(() => process.exit(130));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The demo driver's REST calls to the gateways (this process's fetch), told apart from the ledger's traffic.
  const driver: FetchBytes = { requests: 0, sent: 0, received: 0 };
  globalThis.fetch = countingFetch(globalThis.fetch, driver);
  const clock = phaseClock(driver);
  const stateRoot = mkdtempSync(path.join(tmpdir(), 'fedledger-flower-deployed-'));
  teardown.add(`gateway state in ${stateRoot}`, () => {
    rmSync(stateRoot, { recursive: true, force: true });
  });
  try {
    const data = buildDemoData({
      rows: options.rows,
      alpha: options.alpha,
      seed: options.seed,
      testRows: options.testRows,
      hospitals: orgs,
    });
    const backend = await initBackend();
    clock.mark('prepare');
    // Every gateway the demo's starter brings up serves blob-path models (ADR 22).
    const endpoints = (
      await startFabricConsortium(
        stateRoot,
        logDir,
        teardown,
        log,
        orgs === 3 ? {} : { memberOrgs: orgs },
      )
    ).hospitals;
    const cursor = new LedgerCursor();
    const hospitals = endpoints.map((endpoint) => new GatewayClient(endpoint, cursor));
    await ensureConsortium(
      hospitals[0],
      hospitals.map((g) => g.mspId),
    );
    await registerDatasets(hospitals, data, orgs, options.rows, options.alpha);
    clock.mark('startup');
    const socketsBefore = snapshotSockets();
    const hyperParameters: HyperParameters = {
      epochs: options.epochs,
      batchSize: BATCH_SIZE,
      learningRate: options.learningRate,
    };
    const roundMarks: ByteMark[] = [];
    const outcome = await runFederation(
      hospitals,
      {
        federationId: FEDERATION_ID,
        datasetId: DATASET_ID,
        rounds,
        model: { preset: 'mlp', hiddenUnits, seed: options.seed },
        name: values['hidden-units'] === undefined ? 'flower-deployed bench' : 'large-round bench',
        description:
          values['hidden-units'] === undefined
            ? 'the demo federation with FedAvg, against Flower deployed'
            : `the demo federation with FedAvg and an MLP 12→${hiddenUnits.join('→')}→1`,
        hyperParameters,
        strategy: { name: 'fedavg' },
        roundTimeoutMs: ROUND_TIMEOUT_MS,
      },
      data,
      (line) => {
        const mark = roundMarkFromLog(line, Date.now(), loopbackBytes);
        if (mark !== undefined) roundMarks.push(mark);
        log(line);
      },
    );
    clock.mark('federation');
    const socketsAfter = snapshotSockets();
    const connectionBytes = Object.fromEntries(
      [
        ...bytesByConnectionKind(
          socketsBefore.established,
          socketsAfter.established,
          new Map([...socketsBefore.listening, ...socketsAfter.listening]),
          processKindReader(),
        ),
      ].sort((a, b) => b[1] - a[1]),
    );
    await waitForFinalEvaluations(hospitals[0], rounds, orgs, log);
    clock.mark('finalEvaluations');
    const roundMetrics: RoundMetrics = await collectRoundMetrics(hospitals);
    const aggregateOutcomes = aggregateByOutcome(
      await Promise.all(hospitals.map((g) => g.metrics())),
    );
    const scaling: FeatureScaling | undefined = outcome.federation.featureScaling;
    if (scaling === undefined)
      throw new Error(
        'the federation recorded no input scaling: Flower could not be given the same inputs',
      );
    if (exportDir !== undefined) {
      exportDeployedFederation(exportDir, {
        data,
        scaling,
        initialWeights: await hospitals[0].downloadWeights(FEDERATION_ID, 0),
        hiddenUnits,
        hyperParameters,
        rounds,
        mspIds: hospitals.map((g) => g.mspId),
        seed: options.seed,
      });
    }
    const gatewayPids = endpoints.map((h) => h.pid ?? 0);
    clock.mark('collect');
    await teardown.run();
    clock.mark('teardown');
    const result: FabricRunResult = {
      orgs,
      rounds,
      hyperParameters,
      tfjsBackend: backend.backend,
      phases: clock.phases(),
      roundSeconds: outcome.rounds.map((r) => r.seconds),
      accuracyByRound: [
        outcome.initialScore.accuracy,
        ...outcome.rounds.map((r) => r.score.accuracy),
      ],
      roundMarks,
      roundMetrics,
      aggregateOutcomes,
      connectionBytes,
      finalModelHash: outcome.rounds.at(-1)?.modelHash ?? '',
      initialModelHash: outcome.federation.initialModelHash,
      gatewayPids,
      model: {
        hiddenUnits,
        rows: options.rows,
        alpha: options.alpha,
        weightsPath:
          (outcome.federation as unknown as { weightsPath?: string }).weightsPath ?? 'ledger',
      },
    };
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  } catch (error) {
    await teardown.run();
    throw error;
  }
}

/** Each hospital's gateway generates its share of the demo cohort; the hashes prove it is the data exported for Flower. */
async function registerDatasets(
  hospitals: GatewayClient[],
  data: DemoData,
  orgs: number,
  rows: number,
  alpha: number,
): Promise<void> {
  const options = DEFAULT_DEMO_OPTIONS;
  for (const [index, gateway] of hospitals.entries()) {
    const dataset = await gateway.registerSynthetic({
      id: DATASET_ID,
      orgIndex: index,
      orgCount: orgs,
      rows,
      mode: 'dirichlet',
      alpha,
      seed: options.seed,
    });
    if (dataset.fileSha256 !== data.hospitals[index]?.fileSha256)
      throw new Error(
        `${gateway.mspId} generated a different dataset than the bench's copy (sha256 ${dataset.fileSha256})`,
      );
  }
}

/** Every hospital's evaluation of the final model on the ledger (Flower's last round includes its evaluate phase too). */
async function waitForFinalEvaluations(
  observer: GatewayClient,
  finalVersion: number,
  orgs: number,
  log: (line: string) => void,
): Promise<void> {
  const deadline = Date.now() + FINAL_EVALUATION_WAIT_MS;
  while (Date.now() < deadline) {
    const versions = await observer.listModels(FEDERATION_ID);
    if ((versions.find((v) => v.version === finalVersion)?.evaluations.length ?? 0) >= orgs) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log(
    `warning: not every hospital recorded its evaluation of version ${finalVersion} within ${FINAL_EVALUATION_WAIT_MS / 1000}s`,
  );
}

/** Wall time, loopback bytes and the driver's REST body bytes of consecutive phases. */
function phaseClock(driver: FetchBytes): {
  mark: (phase: string) => void;
  phases: () => FabricRunResult['phases'];
} {
  const driverBytes = (): number => driver.sent + driver.received;
  let last = { t: Date.now(), bytes: loopbackBytes(), driver: driverBytes() };
  const phases: FabricRunResult['phases'] = [];
  return {
    mark: (phase) => {
      const now = { t: Date.now(), bytes: loopbackBytes(), driver: driverBytes() };
      phases.push({
        phase,
        seconds: (now.t - last.t) / 1000,
        bytes: now.bytes - last.bytes,
        driverBodyBytes: now.driver - last.driver,
        endedAt: now.t,
        loBytesAtEnd: now.bytes,
      });
      last = now;
    },
    phases: () => phases,
  };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `fabric federation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
