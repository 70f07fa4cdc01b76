import { Logger } from '@nestjs/common';
import type { LedgerApi } from '@fedledger/core';
import type { ModelWeightsService } from '../api/models/model-weights.service';
import type { DatasetBindingsStore } from '../ml/bindings/dataset-bindings.store';
import type { TrainingService } from '../ml/training/training.service';
import type { GatewayConfig } from '../platform/config/gateway-config';
import { boundFederation } from './bound-federation';
import { schemaOf } from './federation-schema';

/** This org's evaluation of each new global model on its bound dataset, recorded on the ledger once. */
export class ModelEvaluation {
  readonly #logger = new Logger('participation');

  constructor(
    private readonly config: GatewayConfig,
    private readonly ledger: () => LedgerApi,
    private readonly bindings: DatasetBindingsStore,
    private readonly training: TrainingService,
    private readonly weights: ModelWeightsService,
  ) {}

  async evaluate(federationId: string, versionNumber: number): Promise<void> {
    const context = await boundFederation(
      this.ledger(),
      this.bindings,
      this.config.mspId,
      federationId,
    );
    if (context === undefined) return;
    const { federation, datasetId } = context;
    const version = await this.ledger().getModelVersion(federationId, versionNumber);
    if (version.evaluations.some((evaluation) => evaluation.mspId === this.config.mspId)) {
      this.#logger.log({
        org: this.config.mspId,
        msg: 'evaluation already recorded',
        federationId,
        version: versionNumber,
      });
      return;
    }
    const started = Date.now();
    const weights = await this.weights.weightsOf('scientist', version);
    const result = await this.training.evaluate({
      topology: federation.modelSpec.topology,
      weights,
      datasetId,
      featureColumns: federation.featureColumns,
      labelColumn: federation.labelColumn,
      ...(federation.featureScaling !== undefined
        ? { featureScaling: federation.featureScaling }
        : {}),
      ...schemaOf(federation),
    });
    const evaluation = await this.ledger().recordEvaluation(
      federationId,
      versionNumber,
      result.numSamples,
      result.metrics,
      result.backend,
    );
    this.#logger.log({
      org: this.config.mspId,
      msg: 'evaluation recorded',
      federationId,
      version: versionNumber,
      numSamples: result.numSamples,
      metrics: result.metrics,
      backend: result.backend,
      ms: Date.now() - started,
      txId: evaluation.txId,
    });
  }
}
