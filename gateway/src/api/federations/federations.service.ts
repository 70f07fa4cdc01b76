import { Inject, Injectable } from '@nestjs/common';
import {
  FedLedgerError,
  MAX_BLOB_BYTES,
  sha256Hex,
  type DataProfile,
  type FederationSpec,
  type HyperParameters,
  type Round,
  type StrategyConfig,
  type UpdateMetadata,
} from '@fedledger/core';
import type { Principal } from '../auth/api-key-store';
import { DatasetBindingsStore } from '../../ml/bindings/dataset-bindings.store';
import { DEFAULT_PAGE_SIZE } from '../../platform/common/pagination.dto';
import { DatasetsService } from '../../ml/datasets/datasets.service';
import { RequestValidationError } from '../../platform/errors/request-validation.error';
import { LEDGER, type LedgerProvider } from '../../ledger/port/ledger.tokens';
import { GATEWAY_CONFIG } from '../../platform/config/config.tokens';
import type { GatewayConfig } from '../../platform/config/gateway-config';
import { PrivacyService } from '../privacy/privacy.service';
import { buildPreset, presetParamCount } from '../../ml/training/model-presets';
import { TrainingService } from '../../ml/training/training.service';
import { toPrivacyConfig } from './dto/privacy.dto';
import { validateCustomModel } from './custom-model';
import { assertPresetFits } from './preset-size-limit';
import { checkDatasetCompatibility } from '../../ml/schema/dataset-under-schema';
import { DatasetBindingService } from './dataset-binding.service';
import { resolveFeatureScaling } from './federation-feature-scaling';
import type {
  CreateFederationDto,
  HyperParametersInputDto,
  ModelSourceDto,
  StrategyInputDto,
} from './dto/create-federation.dto';
import { type FederationDto, type FederationPageDto, toFederationDto } from './dto/federation.dto';
import { type FederationStatusDto, toFederationStatusDto } from './dto/federation-status.dto';

const DEFAULT_PRESET_SEED = 1;

@Injectable()
export class FederationsService {
  constructor(
    @Inject(LEDGER) private readonly ledger: LedgerProvider,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly bindings: DatasetBindingsStore,
    private readonly datasets: DatasetsService,
    private readonly dataBinding: DatasetBindingService,
    private readonly training: TrainingService,
    private readonly privacy: PrivacyService,
  ) {}

  /**
   * Creates a federation on the ledger with its one input scaling (see {@link resolveFeatureScaling})
   * and, on success, binds the local dataset to it.
   */
  async create(principal: Principal, dto: CreateFederationDto): Promise<FederationDto> {
    // An unknown dataset is NOT_FOUND before any other check.
    if (dto.datasetId !== undefined) this.datasets.get(dto.datasetId);
    // Schema federations: inputs from the schema, creator's dataset checked and profiled (422 lists every problem).
    const data = await this.dataBinding.planCreate(dto);
    const { topology, initialWeights } = resolveModel(
      dto.model,
      data.featureColumns.length,
      dto.maxUpdateBytes,
      this.config.blob?.minParams,
    );
    if (dto.model.preset === undefined)
      await validateCustomModel(topology, initialWeights, data.featureColumns.length);
    // The creator trains too: a model this gateway cannot train is refused before it reaches the ledger.
    await this.training.plan(topology);
    if (data.dataSchema === undefined && dto.datasetId !== undefined) {
      await checkDatasetCompatibility(this.datasets, dto.datasetId, {
        featureColumns: data.featureColumns,
        labelColumn: data.labelColumn,
      });
    }
    const featureScaling =
      data.dataSchema === undefined
        ? await resolveFeatureScaling(
            {
              featureScaling: dto.featureScaling,
              datasetId: dto.datasetId,
              featureColumns: data.featureColumns,
              labelColumn: data.labelColumn,
            },
            this.datasets,
          )
        : undefined;
    const spec: FederationSpec = {
      id: dto.id,
      name: dto.name,
      modelSpec: { format: 'tfjs-layers', topology, topologyHash: sha256Hex(topology) },
      featureColumns: data.featureColumns,
      labelColumn: data.labelColumn,
      hyperParameters: toHyperParameters(dto.hyperParameters),
      strategy: toStrategyConfig(dto.strategy),
      invitedOrgs: dto.invitedOrgs,
      minParticipants: dto.minParticipants,
      roundDeadlineSeconds: dto.roundDeadlineSeconds,
      rounds: dto.rounds,
    };
    if (dto.description !== undefined) spec.description = dto.description;
    if (dto.maxUpdateBytes !== undefined) spec.maxUpdateBytes = dto.maxUpdateBytes;
    if (featureScaling !== undefined) spec.featureScaling = featureScaling;
    if (data.dataSchema !== undefined) spec.dataSchema = data.dataSchema;
    if (dto.incentives !== undefined)
      spec.incentives =
        dto.incentives.creditsPerRound === undefined
          ? {}
          : { creditsPerRound: dto.incentives.creditsPerRound };
    if (dto.privacy !== undefined) spec.privacy = toPrivacyConfig(dto.privacy);
    const ledger = this.ledger.ledgerFor(principal.role);
    const federation = await ledger.createFederation(spec, initialWeights);
    await this.dataBinding.completeCreate(ledger, federation, dto.datasetId, data.profile);
    // Before answering, so that once every invited org accepted the creator can start at once.
    await this.privacy.ensureMaskingKey(ledger, federation);
    return toFederationDto(federation);
  }

  /**
   * Accepts an invitation for this org with a dataset that fits the federation (see
   * {@link DatasetBindingService.accept}). A model no backend of this gateway can train (a
   * convolutional one without the native backend) is refused first with BACKEND_UNAVAILABLE and the
   * reason, instead of an accepted federation that fails every round.
   */
  async accept(
    principal: Principal,
    federationId: string,
    datasetId: string | undefined,
  ): Promise<FederationDto> {
    if (datasetId !== undefined) this.datasets.get(datasetId);
    const ledger = this.ledger.ledgerFor(principal.role);
    await this.training.plan((await ledger.getFederation(federationId)).modelSpec.topology);
    const federation = await this.dataBinding.accept(ledger, federationId, datasetId);
    await this.privacy.ensureMaskingKey(ledger, federation);
    return toFederationDto(federation);
  }

  /** Binds or replaces this org's dataset for a federation it participates in (between rounds). */
  async bindDataset(
    principal: Principal,
    federationId: string,
    datasetId: string,
  ): Promise<{ federationId: string; datasetId: string; profileRecorded: boolean }> {
    this.datasets.get(datasetId);
    return this.dataBinding.bind(
      this.ledger.ledgerFor(principal.role),
      federationId,
      datasetId,
      this.config.mspId,
    );
  }

  /** The data profiles recorded for a schema federation (missing rates per org and column). */
  dataProfiles(principal: Principal, federationId: string): Promise<DataProfile[]> {
    return this.ledger.ledgerFor(principal.role).listDataProfiles(federationId);
  }

  async start(principal: Principal, federationId: string): Promise<FederationDto> {
    return toFederationDto(
      await this.ledger.ledgerFor(principal.role).startFederation(federationId),
    );
  }

  async cancel(principal: Principal, federationId: string, reason: string): Promise<FederationDto> {
    return toFederationDto(
      await this.ledger.ledgerFor(principal.role).cancelFederation(federationId, reason),
    );
  }

  async get(principal: Principal, federationId: string): Promise<FederationDto> {
    return toFederationDto(await this.ledger.ledgerFor(principal.role).getFederation(federationId));
  }

  async list(
    principal: Principal,
    pageSize = DEFAULT_PAGE_SIZE,
    bookmark = '',
  ): Promise<FederationPageDto> {
    const page = await this.ledger.ledgerFor(principal.role).listFederations(pageSize, bookmark);
    return { items: page.items.map(toFederationDto), bookmark: page.bookmark };
  }

  /** The federation with its current round and that round's submissions. */
  async status(principal: Principal, federationId: string): Promise<FederationStatusDto> {
    const ledger = this.ledger.ledgerFor(principal.role);
    const federation = await ledger.getFederation(federationId);
    let round: Round | null = null;
    let updates: UpdateMetadata[] = [];
    if (federation.currentRound > 0) {
      [round, updates] = await Promise.all([
        ledger.getRound(federationId, federation.currentRound),
        ledger.listUpdates(federationId, federation.currentRound),
      ]);
    }
    return toFederationStatusDto(
      federation,
      round,
      updates,
      this.bindings.get(federationId) ?? null,
    );
  }
}

/** The validated hyper-parameters as plain ledger data; optional fields only when given. */
function toHyperParameters(dto: HyperParametersInputDto): HyperParameters {
  const hyperParameters: HyperParameters = {
    epochs: dto.epochs,
    batchSize: dto.batchSize,
    learningRate: dto.learningRate,
  };
  if (dto.proximalMu !== undefined) hyperParameters.proximalMu = dto.proximalMu;
  return hyperParameters;
}

/** The validated strategy as plain ledger data; optional fields only when given. */
function toStrategyConfig(dto: StrategyInputDto): StrategyConfig {
  const strategy: StrategyConfig = { name: dto.name };
  if (dto.params !== undefined) strategy.params = dto.params;
  if (dto.normBound !== undefined) strategy.normBound = dto.normBound;
  if (dto.adaptiveNormBound !== undefined) strategy.adaptiveNormBound = dto.adaptiveNormBound;
  if (dto.cosineFilter !== undefined) strategy.cosineFilter = dto.cosineFilter;
  return strategy;
}

/**
 * The model's topology and initial weights. A preset must fit `maxUpdateBytes`, unless this gateway
 * runs the blob path (`blobMinParams` set) and the preset is large enough to take it (ADR 0022):
 * blob-path models are bounded by MAX_BLOB_BYTES instead.
 */
function resolveModel(
  source: ModelSourceDto,
  inputDim: number,
  maxUpdateBytes: number | undefined,
  blobMinParams: number | undefined,
): { topology: string; initialWeights: Uint8Array } {
  if (source.preset !== undefined && source.topology !== undefined) {
    throw new RequestValidationError([
      { field: 'model', problems: ['give either model.preset or model.topology, not both'] },
    ]);
  }
  if (source.preset !== undefined) {
    const options = { preset: source.preset, inputDim, seed: source.seed ?? DEFAULT_PRESET_SEED };
    const sized = source.hiddenUnits ? { ...options, hiddenUnits: source.hiddenUnits } : options;
    const blob = blobMinParams !== undefined && presetParamCount(sized) >= blobMinParams;
    assertPresetFits(sized, blob ? MAX_BLOB_BYTES : maxUpdateBytes);
    return buildPreset(
      source.hiddenUnits ? { ...options, hiddenUnits: source.hiddenUnits } : options,
    );
  }
  if (source.topology === undefined || source.initialWeightsBase64 === undefined) {
    throw new FedLedgerError('INTERNAL', 'validated model source lacks topology or weights');
  }
  return {
    topology: source.topology,
    initialWeights: new Uint8Array(Buffer.from(source.initialWeightsBase64, 'base64')),
  };
}
