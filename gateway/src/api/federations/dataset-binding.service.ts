import { Injectable } from '@nestjs/common';
import {
  FedLedgerError,
  encodedColumns,
  type DataProfileInput,
  type DataSchema,
  type Federation,
  type LedgerApi,
} from '@fedledger/core';
import { DatasetBindingsStore } from '../../ml/bindings/dataset-bindings.store';
import { DatasetsService } from '../../ml/datasets/datasets.service';
import { RequestValidationError } from '../../platform/errors/request-validation.error';
import {
  checkDatasetCompatibility,
  readDatasetUnderSchema,
} from '../../ml/schema/dataset-under-schema';
import { profileRows } from '../../ml/schema/schema-encoding';
import { checkSchemaRules } from '../../ml/schema/schema-rules';
import { toDataSchema, type DataSchemaDto } from './dto/data-schema.dto';

/** What a create request means for the data: the model's input columns and label, and the schema with the creator's profile. */
export interface CreateDataPlan {
  featureColumns: string[];
  labelColumn: string;
  dataSchema?: DataSchema;
  profile?: DataProfileInput;
}

/**
 * Ties local datasets to federations: a dataset is bound only when it fits the federation (its
 * schema, or its numeric columns), checked before any ledger write so an incompatible dataset
 * changes nothing (422 listing every problem). For schema federations the org's data profile goes
 * on the ledger before it accepts (the chaincode requires it).
 */
@Injectable()
export class DatasetBindingService {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly bindings: DatasetBindingsStore,
  ) {}

  /** The data side of a create request: schema federations derive their inputs from the schema and need the creator's dataset. */
  async planCreate(dto: {
    dataSchema?: DataSchemaDto | undefined;
    datasetId?: string | undefined;
    featureColumns?: string[] | undefined;
    labelColumn?: string | undefined;
    featureScaling?: unknown;
  }): Promise<CreateDataPlan> {
    if (dto.dataSchema === undefined) {
      const missing = (['featureColumns', 'labelColumn'] as const).filter(
        (field) => dto[field] === undefined,
      );
      if (missing.length > 0)
        throw new RequestValidationError(
          missing.map((field) => ({
            field,
            problems: [`${field} is required without a dataSchema`],
          })),
        );
      return {
        featureColumns: dto.featureColumns as string[],
        labelColumn: dto.labelColumn as string,
      };
    }
    const schema = toDataSchema(dto.dataSchema);
    checkSchemaRules(schema);
    const problems: { field: string; problems: string[] }[] = [];
    if (dto.datasetId === undefined)
      problems.push({
        field: 'datasetId',
        problems: [
          'a federation with a dataSchema needs the creator’s dataset (its data profile is recorded with the federation)',
        ],
      });
    if (dto.featureScaling !== undefined)
      problems.push({
        field: 'featureScaling',
        problems: [
          'with a dataSchema the scaling is computed at start from every participant’s data profile; leave featureScaling out',
        ],
      });
    const featureColumns = encodedColumns(schema);
    if (
      dto.featureColumns !== undefined &&
      (dto.featureColumns.length !== featureColumns.length ||
        dto.featureColumns.some((name, i) => name !== featureColumns[i]))
    ) {
      problems.push({
        field: 'featureColumns',
        problems: [
          `with a dataSchema, featureColumns are the schema's encoded inputs (${featureColumns.join(', ')}); leave them out`,
        ],
      });
    }
    if (dto.labelColumn !== undefined && dto.labelColumn !== schema.label.column)
      problems.push({
        field: 'labelColumn',
        problems: [
          `with a dataSchema the label column is dataSchema.label.column (${schema.label.column})`,
        ],
      });
    if (problems.length > 0) throw new RequestValidationError(problems);
    const rows = await readDatasetUnderSchema(this.datasets, dto.datasetId as string, schema);
    return {
      featureColumns,
      labelColumn: schema.label.column,
      dataSchema: schema,
      profile: profileRows(rows.train, schema),
    };
  }

  /** After CreateFederation: the creator's profile (schema federations), then the local binding. */
  async completeCreate(
    ledger: LedgerApi,
    federation: Federation,
    datasetId: string | undefined,
    profile: DataProfileInput | undefined,
  ): Promise<void> {
    if (profile !== undefined) await ledger.recordDataProfile(federation.id, profile);
    if (datasetId !== undefined) this.bindings.bind(federation.id, datasetId);
  }

  /**
   * Accepts an invitation with a dataset that fits: 422 listing every problem before any ledger
   * write; a schema federation needs a dataset (400 without), and gets this org's profile first.
   */
  async accept(
    ledger: LedgerApi,
    federationId: string,
    datasetId: string | undefined,
  ): Promise<Federation> {
    const federation = await ledger.getFederation(federationId);
    if (datasetId === undefined && federation.dataSchema !== undefined) {
      throw new RequestValidationError([
        {
          field: 'datasetId',
          problems: [
            `federation ${federationId} has a data schema: accept with a dataset that satisfies it (datasetId)`,
          ],
        },
      ]);
    }
    const profile =
      datasetId === undefined ? undefined : await this.#profileIfCompatible(federation, datasetId);
    if (profile !== undefined) await ledger.recordDataProfile(federationId, profile);
    const accepted = await ledger.acceptInvitation(federationId);
    if (datasetId !== undefined) this.bindings.bind(federationId, datasetId);
    return accepted;
  }

  /**
   * Binds (or replaces) the dataset of a federation this org participates in, between rounds: the
   * next round trains on it. Checked like at accept; while the federation is pending a schema
   * federation's profile is recorded again (after the start, the consortium's preprocessing is fixed).
   */
  async bind(
    ledger: LedgerApi,
    federationId: string,
    datasetId: string,
    mspId: string,
  ): Promise<{ federationId: string; datasetId: string; profileRecorded: boolean }> {
    const federation = await ledger.getFederation(federationId);
    if (!federation.participants.includes(mspId)) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `${mspId} does not participate in federation ${federationId}; accept it with a dataset instead (POST /federations/${federationId}/accept)`,
      );
    }
    if (federation.status === 'completed' || federation.status === 'cancelled') {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `federation ${federationId} is ${federation.status}; there is nothing left to train`,
      );
    }
    const profile = await this.#profileIfCompatible(federation, datasetId);
    const recordProfile = profile !== undefined && federation.status === 'pending';
    if (recordProfile) await ledger.recordDataProfile(federationId, profile);
    this.bindings.bind(federationId, datasetId);
    return { federationId, datasetId, profileRecorded: recordProfile };
  }

  async #profileIfCompatible(
    federation: Federation,
    datasetId: string,
  ): Promise<DataProfileInput | undefined> {
    const rows = await checkDatasetCompatibility(this.datasets, datasetId, federation);
    return rows === undefined || federation.dataSchema === undefined
      ? undefined
      : profileRows(rows.train, federation.dataSchema);
  }
}
