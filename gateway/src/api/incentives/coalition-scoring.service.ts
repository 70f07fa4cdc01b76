import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  FedLedgerError,
  coalitionMembers,
  decodeFlat,
  encodeFlat,
  toFloat32,
  weightedMean,
  type LedgerApi,
  type UtilityRecord,
} from '@fedledger/core';
import { DatasetBindingsStore } from '../../ml/bindings/dataset-bindings.store';
import type { GatewayConfig } from '../../platform/config/gateway-config';
import { GATEWAY_CONFIG } from '../../platform/config/config.tokens';
import { LEDGER, type LedgerProvider } from '../../ledger/port/ledger.tokens';
import { logLossScore } from '../../ml/training/binary-metrics';
import { TrainingService } from '../../ml/training/training.service';

/**
 * This org's part in contribution scoring (ADR 0018): for an aggregated round of a federation with
 * incentives, score every planned coalition — the sample-weighted mean of its members' updates (the
 * empty coalition is the previous global model) — on this org's validation split, record the
 * log-loss scores (1 − cross-entropy / its maximum, ADR 0029) with RecordUtilities. Settling is
 * {@link ContributionSettlementService}'s.
 */
@Injectable()
export class CoalitionScoringService {
  readonly #logger = new Logger('contributions');

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LEDGER) private readonly ledgers: LedgerProvider,
    private readonly bindings: DatasetBindingsStore,
    private readonly training: TrainingService,
  ) {}

  get #ledger(): LedgerApi {
    return this.ledgers.ledgerFor('scientist');
  }

  /**
   * Scores and records this org's utilities for the round (the federation's bound dataset, or
   * `datasetId`). Returns the record, or the existing one when this org already recorded.
   * Throws FAILED_PRECONDITION when no dataset is bound or the federation has no incentives.
   */
  async scoreRound(
    federationId: string,
    round: number,
    datasetId?: string,
  ): Promise<UtilityRecord> {
    const dataset = datasetId ?? this.bindings.get(federationId);
    const existing = (await this.#ledger.listUtilities(federationId, round)).find(
      (r) => r.mspId === this.config.mspId,
    );
    if (existing !== undefined) return existing;
    if (dataset === undefined) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `no dataset is bound to federation ${federationId} on ${this.config.mspId}; bind one or pass datasetId`,
      );
    }
    const [federation, plan] = await Promise.all([
      this.#ledger.getFederation(federationId),
      this.#ledger.getCoalitionPlan(federationId, round),
    ]);
    const started = Date.now();
    const previous = decodeFlat(await this.#ledger.getGlobalWeights(federationId, round - 1)).flat;
    const version = await this.#ledger.getModelVersion(federationId, round);
    const updates = new Map<string, { weights: Float32Array; numSamples: number }>();
    for (const contributor of version.contributors) {
      updates.set(contributor.mspId, {
        weights: decodeFlat(
          await this.#ledger.getUpdateWeights(federationId, round, contributor.mspId),
        ).flat,
        numSamples: contributor.numSamples,
      });
    }
    const utilities: Record<string, number> = {};
    let numSamples = 0;
    for (const coalition of plan.coalitions) {
      const members = coalitionMembers(coalition).map(
        (msp) => updates.get(msp) as { weights: Float32Array; numSamples: number },
      );
      const flat =
        members.length === 0
          ? previous
          : toFloat32(
              weightedMean(
                members.map((m) => m.weights),
                members.map((m) => m.numSamples),
              ),
            );
      const result = await this.training.evaluate({
        topology: federation.modelSpec.topology,
        weights: encodeFlat(federation.weightShapes, flat),
        datasetId: dataset,
        featureColumns: federation.featureColumns,
        labelColumn: federation.labelColumn,
        ...(federation.featureScaling !== undefined
          ? { featureScaling: federation.featureScaling }
          : {}),
      });
      utilities[coalition] = logLossScore(result.metrics['loss']);
      numSamples = result.numSamples;
    }
    const record = await this.#ledger.recordUtilities(federationId, round, numSamples, utilities);
    this.#logger.log({
      org: this.config.mspId,
      msg: 'utilities recorded',
      federationId,
      round,
      coalitions: plan.coalitions.length,
      ms: Date.now() - started,
      txId: record.txId,
    });
    return record;
  }
}
