import { sha256Hex, type HyperParameters, type StrategyConfig } from '@fedledger/core';
import type { DemoData } from './demo-data';
import { standardizerFromScaling } from '@fedledger/gateway/datasets';
import {
  scoreGlobalModel,
  type GlobalInputScaling,
  type GlobalModelScore,
} from './demo-evaluation';
import { GatewayRequestError, type FederationInfo, type GatewayClient } from './gateway-client';
import { AUDITOR_MSP_ID } from './running-consortium';
import { followTrainingProgress } from './training-progress';

export interface FederationSettings {
  federationId: string;
  datasetId: string;
  rounds: number;
  /** The federation's `model` request field (a preset and its options). */
  model: { preset: 'mlp' | 'cnn'; hiddenUnits?: number[]; seed: number };
  name: string;
  description: string;
  hyperParameters: HyperParameters;
  strategy: StrategyConfig;
  /** Fails the run when no new model version appears for this long. */
  roundTimeoutMs: number;
  /** Quorum of each round (default: every hospital). */
  minParticipants?: number;
  /** Ledger deadline of each round (default 3600 s). */
  roundDeadlineSeconds?: number;
  /** Runs after every org accepted and before the federation starts (the fault tests cut a link here). */
  beforeStart?: () => void | Promise<void>;
  /** Contribution scoring and reward pool (ADR 0018); absent: none. */
  incentives?: { creditsPerRound?: number };
}

export interface RoundResult {
  round: number;
  version: number;
  modelHash: string;
  /** Wall time from the previous global model (or the start) until this one was on the ledger. */
  seconds: number;
  score: GlobalModelScore;
}

export interface FederationOutcome {
  federation: FederationInfo;
  scaling: GlobalInputScaling;
  initialScore: GlobalModelScore;
  rounds: RoundResult[];
}

/** How often the demo asks the ledger (through Org1's gateway) for new model versions; bounds the error of roundSeconds. */
const POLL_MS = 100;

/** Initialises the consortium through Org1's gateway unless the network's deployment already did. */
export async function ensureConsortium(org1: GatewayClient, hospitals: string[]): Promise<boolean> {
  try {
    await org1.getConsortium();
    return false;
  } catch (error) {
    // The chaincode answers FAILED_PRECONDITION (409) until InitConsortium ran.
    if (!(
      error instanceof GatewayRequestError &&
      (error.status === 404 || error.code === 'FAILED_PRECONDITION')
    ))
      throw error;
  }
  await org1.initConsortium([
    ...hospitals.map((mspId) => ({ mspId, role: 'member' as const })),
    { mspId: AUDITOR_MSP_ID, role: 'auditor' },
  ]);
  return true;
}

/**
 * Creates the federation through the first hospital's gateway (its admin key), has the others accept
 * with their admin keys and their local dataset, starts it, then only watches: the gateways train,
 * submit and aggregate on their own, reacting to ledger events. Each new global model is downloaded
 * from a hospital gateway, checked against its ledger hash and scored on the held-out patients.
 */
export async function runFederation(
  hospitals: GatewayClient[],
  settings: FederationSettings,
  data: DemoData,
  log: (line: string) => void,
): Promise<FederationOutcome> {
  const [creator, ...invited] = hospitals as [GatewayClient, ...GatewayClient[]];
  const { federationId } = settings;
  await creator.createFederation({
    id: federationId,
    name: settings.name,
    description: settings.description,
    datasetId: settings.datasetId,
    model: settings.model,
    featureColumns: data.featureColumns,
    labelColumn: data.labelColumn,
    hyperParameters: settings.hyperParameters,
    strategy: settings.strategy,
    invitedOrgs: invited.map((gateway) => gateway.mspId),
    minParticipants: settings.minParticipants ?? hospitals.length,
    roundDeadlineSeconds: settings.roundDeadlineSeconds ?? 3600,
    rounds: settings.rounds,
    ...(settings.incentives !== undefined ? { incentives: settings.incentives } : {}),
  });
  log(
    `${creator.mspId} created federation "${federationId}" (${settings.model.preset}${settings.model.hiddenUnits ? ` ${settings.model.hiddenUnits.join('-')}` : ''}, ${settings.strategy.name}, ${settings.rounds} rounds) inviting ${invited.map((g) => g.mspId).join(', ')}`,
  );
  for (const gateway of invited) {
    await gateway.acceptInvitation(federationId, settings.datasetId);
    log(`${gateway.mspId} accepted the invitation with its dataset "${settings.datasetId}"`);
  }
  const federation = await creator.getFederation(federationId);
  const initialWeights = await creator.downloadWeights(federationId, 0);
  assertHash(initialWeights, federation.initialModelHash, 'initial model');
  const scaling: GlobalInputScaling = federation.featureScaling
    ? { kind: 'federation', standardizer: standardizerFromScaling(federation.featureScaling) }
    : { kind: 'per-hospital' };
  log(
    scaling.kind === 'federation'
      ? `the federation records one input scaling on the ledger (${creator.mspId}'s training statistics, the gateway default); every hospital trains, evaluates and predicts through it`
      : 'the federation records no input scaling: each hospital standardises with its own statistics',
  );
  const initialScore = await scoreGlobalModel(
    federation.modelSpec.topology,
    initialWeights,
    data,
    scaling,
  );

  const closeProgress = await followTrainingProgress(hospitals, federationId, (mspId, progress) => {
    log(
      `  round ${progress.round} · ${mspId} epoch ${progress.epoch}/${progress.epochs} done (${progress.batches} batches, loss ${progress.loss.toFixed(3)})`,
    );
  });
  try {
    await settings.beforeStart?.();
    await creator.startFederation(federationId);
    log(
      `${creator.mspId} started the federation; participation is automatic from here (gateways react to ledger events)`,
    );
    const rounds = await watchRounds(creator, federation, scaling, settings, data, log);
    return { federation: await creator.getFederation(federationId), scaling, initialScore, rounds };
  } finally {
    closeProgress();
  }
}

async function watchRounds(
  observer: GatewayClient,
  federation: FederationInfo,
  scaling: GlobalInputScaling,
  settings: FederationSettings,
  data: DemoData,
  log: (line: string) => void,
): Promise<RoundResult[]> {
  const results: RoundResult[] = [];
  let lastModelAt = Date.now();
  for (;;) {
    const versions = await observer.listModels(federation.id);
    for (const version of versions
      .filter((v) => v.version > results.length)
      .sort((a, b) => a.version - b.version)) {
      const now = Date.now();
      const weights = await observer.downloadWeights(federation.id, version.version);
      assertHash(weights, version.modelHash, `model version ${version.version}`);
      const score = await scoreGlobalModel(federation.modelSpec.topology, weights, data, scaling);
      const result: RoundResult = {
        round: version.round,
        version: version.version,
        modelHash: version.modelHash,
        seconds: (now - lastModelAt) / 1000,
        score,
      };
      results.push(result);
      lastModelAt = now;
      const contributors = version.contributors
        .map((c) => `${c.mspId}×${c.weight.toFixed(2)}`)
        .join(' ');
      log(
        `round ${result.round}/${settings.rounds} aggregated in ${result.seconds.toFixed(1)}s → global accuracy ${pct(score.accuracy)}` +
          `${score.byHospital ? ` (per hospital ${score.byHospital.map((s) => pct(s.accuracy)).join(' / ')})` : ''}, model ${version.modelHash.slice(0, 12)}…, update weights ${contributors}`,
      );
    }
    const current = await observer.getFederation(federation.id);
    if (current.status === 'cancelled')
      throw new Error(`federation ${federation.id} was cancelled`);
    if (current.status === 'completed' && results.length >= settings.rounds) return results;
    if (Date.now() - lastModelAt > settings.roundTimeoutMs) {
      throw new Error(
        `no new global model for ${settings.roundTimeoutMs / 1000}s (round ${results.length + 1}, status ${current.status}); see the gateway logs`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function assertHash(bytes: Uint8Array, expected: string, what: string): void {
  const actual = sha256Hex(bytes);
  if (actual !== expected)
    throw new Error(`${what}: downloaded weights hash ${actual} but the ledger says ${expected}`);
}

/** A fraction as a percentage with one decimal. */
export function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
