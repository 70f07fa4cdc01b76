import { Inject, Injectable } from '@nestjs/common';
import { canonicalJson, FedLedgerError, sha256Hex, type Federation } from '@fedledger/core';
import type { Principal } from '../auth/api-key-store';
import { DatasetBindingsStore } from '../../ml/bindings/dataset-bindings.store';
import { LEDGER, type LedgerProvider } from '../../ledger/port/ledger.tokens';
import { ModelWeightsService } from '../models/model-weights.service';
import { RequestValidationError } from '../../platform/errors/request-validation.error';
import { recordsToModelInputs, type RawRecord } from '../../ml/schema/schema-records';
import { TrainingService } from '../../ml/training/training.service';
import {
  type InputScaling,
  type PredictResponseDto,
  toPredictionReceiptDto,
} from './dto/predict.dto';

/**
 * Serves predictions from deployed model versions only, and records a receipt (model hash, input
 * and output hashes, requester) on the ledger for each batch before answering. Rows are raw values,
 * scaled with the federation's agreed `featureScaling` before they reach the model.
 */
@Injectable()
export class PredictionsService {
  constructor(
    @Inject(LEDGER) private readonly ledger: LedgerProvider,
    private readonly weights: ModelWeightsService,
    private readonly training: TrainingService,
    private readonly bindings: DatasetBindingsStore,
  ) {}

  /** NOT_FOUND for an unknown version, FAILED_PRECONDITION when it is not deployed, INVALID_ARGUMENT for rows of the wrong width. */
  async predict(
    principal: Principal,
    federationId: string,
    versionNumber: number,
    input: { rows?: number[][] | undefined; records?: RawRecord[] | undefined },
  ): Promise<PredictResponseDto> {
    const ledger = this.ledger.ledgerFor(principal.role);
    const [federation, version] = await Promise.all([
      ledger.getFederation(federationId),
      ledger.getModelVersion(federationId, versionNumber),
    ]);
    if (!version.deployed) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `model ${federationId} v${versionNumber} is not deployed (${version.approvals.length}/${version.approvalsRequired} approvals)`,
      );
    }
    if (federation.dataSchema !== undefined)
      return this.#predictRecords(principal, federation, versionNumber, input);
    if (input.rows === undefined || input.records !== undefined) {
      throw new RequestValidationError([
        {
          field: 'rows',
          problems: [
            `federation ${federationId} has no data schema: give rows of numbers in featureColumns order, not records`,
          ],
        },
      ]);
    }
    const rows = input.rows;
    const width = federation.featureColumns.length;
    const bad = rows.findIndex((row) => row.length !== width);
    if (bad >= 0) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `row ${bad} has ${rows[bad].length} values; the model takes ${width} (${federation.featureColumns.join(', ')})`,
      );
    }
    const weights = await this.weights.weightsOf(principal.role, version);
    // The federation's agreed scaling makes the answer the same at every org; only federations created
    // before it existed fall back to the bound dataset's own statistics (or to rows used as given).
    const datasetId =
      federation.featureScaling === undefined ? this.bindings.get(federationId) : undefined;
    const inputScaling: InputScaling =
      federation.featureScaling !== undefined
        ? 'federation'
        : datasetId !== undefined
          ? 'local-dataset'
          : 'none';
    const predictions = await this.training.predict({
      topology: federation.modelSpec.topology,
      weights,
      rows,
      ...(federation.featureScaling !== undefined
        ? { featureScaling: federation.featureScaling }
        : {}),
      ...(datasetId !== undefined
        ? { standardizeWith: { datasetId, featureColumns: federation.featureColumns } }
        : {}),
    });
    const receipt = await ledger.recordPrediction({
      federationId,
      version: versionNumber,
      inputHash: sha256Hex(canonicalJson(rows)),
      outputHash: sha256Hex(canonicalJson(predictions)),
      count: rows.length,
    });
    return {
      predictions,
      inputScaling,
      standardizedWith: datasetId ?? null,
      receipt: toPredictionReceiptDto(receipt),
    };
  }

  /** Schema federations: raw records encoded, imputed and scaled as in training; the receipt hashes the records. */
  async #predictRecords(
    principal: Principal,
    federation: Federation,
    versionNumber: number,
    input: { rows?: number[][] | undefined; records?: RawRecord[] | undefined },
  ): Promise<PredictResponseDto> {
    if (input.records === undefined || input.rows !== undefined) {
      throw new RequestValidationError([
        {
          field: 'records',
          problems: [
            `federation ${federation.id} has a data schema: give records (raw values by column name), not rows`,
          ],
        },
      ]);
    }
    if (
      federation.imputation === undefined ||
      federation.featureScaling === undefined ||
      federation.dataSchema === undefined
    ) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `federation ${federation.id} has not started; its preprocessing is fixed at start`,
      );
    }
    const ledger = this.ledger.ledgerFor(principal.role);
    const rows = recordsToModelInputs(
      input.records,
      federation.dataSchema,
      federation.imputation,
      federation.featureScaling,
    );
    const version = await ledger.getModelVersion(federation.id, versionNumber);
    const weights = await this.weights.weightsOf(principal.role, version);
    const predictions = await this.training.predict({
      topology: federation.modelSpec.topology,
      weights,
      rows,
    });
    const receipt = await ledger.recordPrediction({
      federationId: federation.id,
      version: versionNumber,
      inputHash: sha256Hex(canonicalJson(input.records)),
      outputHash: sha256Hex(canonicalJson(predictions)),
      count: rows.length,
    });
    return {
      predictions,
      inputScaling: 'federation',
      standardizedWith: null,
      receipt: toPredictionReceiptDto(receipt),
    };
  }
}
