import { Inject, Injectable } from '@nestjs/common';
import { FedLedgerError, sha256Hex, type FederationSpec, type Round, type UpdateMetadata } from '@fedledger/core';
import type { Principal } from '../auth/api-key-store';
import { DatasetBindingsStore } from '../bindings/dataset-bindings.store';
import { DEFAULT_PAGE_SIZE } from '../common/pagination.dto';
import { DatasetsService } from '../datasets/datasets.service';
import { RequestValidationError } from '../errors/request-validation.error';
import { LEDGER, type LedgerProvider } from '../ledger/ledger.tokens';
import { PrivacyService } from '../privacy/privacy.service';
import { buildPreset } from '../training/model-presets';
import { toPrivacyConfig } from './dto/privacy.dto';
import { validateCustomModel } from './custom-model';
import { assertPresetFits } from './preset-size-limit';
import { resolveFeatureScaling } from './federation-feature-scaling';
import type { CreateFederationDto, ModelSourceDto } from './dto/create-federation.dto';
import { type FederationDto, type FederationPageDto, toFederationDto } from './dto/federation.dto';
import { type FederationStatusDto, toFederationStatusDto } from './dto/federation-status.dto';

const DEFAULT_PRESET_SEED = 1;

@Injectable()
export class FederationsService {
  constructor(
    @Inject(LEDGER) private readonly ledger: LedgerProvider,
    private readonly bindings: DatasetBindingsStore,
    private readonly datasets: DatasetsService,
    private readonly privacy: PrivacyService,
  ) {}

  /**
   * Creates a federation on the ledger with its one input scaling (see {@link resolveFeatureScaling})
   * and, on success, binds the local dataset to it.
   */
  async create(principal: Principal, dto: CreateFederationDto): Promise<FederationDto> {
    if (dto.datasetId !== undefined) await this.datasets.get(dto.datasetId);
    const { topology, initialWeights } = resolveModel(dto.model, dto.featureColumns.length, dto.maxUpdateBytes);
    if (dto.model.preset === undefined) await validateCustomModel(topology, initialWeights, dto.featureColumns.length);
    const featureScaling = await resolveFeatureScaling(dto, this.datasets);
    const spec: FederationSpec = {
      id: dto.id,
      name: dto.name,
      modelSpec: { format: 'tfjs-layers', topology, topologyHash: sha256Hex(topology) },
      featureColumns: dto.featureColumns,
      labelColumn: dto.labelColumn,
      hyperParameters: { ...dto.hyperParameters },
      strategy: { ...dto.strategy },
      invitedOrgs: dto.invitedOrgs,
      minParticipants: dto.minParticipants,
      roundDeadlineSeconds: dto.roundDeadlineSeconds,
      rounds: dto.rounds,
    };
    if (dto.description !== undefined) spec.description = dto.description;
    if (dto.maxUpdateBytes !== undefined) spec.maxUpdateBytes = dto.maxUpdateBytes;
    if (featureScaling !== undefined) spec.featureScaling = featureScaling;
    if (dto.privacy !== undefined) spec.privacy = toPrivacyConfig(dto.privacy);
    const ledger = this.ledger.ledgerFor(principal.role);
    const federation = await ledger.createFederation(spec, initialWeights);
    if (dto.datasetId !== undefined) this.bindings.bind(federation.id, dto.datasetId);
    // Before answering, so that once every invited org accepted the creator can start at once.
    await this.privacy.ensureMaskingKey(ledger, federation);
    return toFederationDto(federation);
  }

  /** Accepts an invitation for this org and, on success, binds the local dataset. */
  async accept(principal: Principal, federationId: string, datasetId: string | undefined): Promise<FederationDto> {
    if (datasetId !== undefined) await this.datasets.get(datasetId);
    const ledger = this.ledger.ledgerFor(principal.role);
    const federation = await ledger.acceptInvitation(federationId);
    if (datasetId !== undefined) this.bindings.bind(federationId, datasetId);
    await this.privacy.ensureMaskingKey(ledger, federation);
    return toFederationDto(federation);
  }

  async start(principal: Principal, federationId: string): Promise<FederationDto> {
    return toFederationDto(await this.ledger.ledgerFor(principal.role).startFederation(federationId));
  }

  async cancel(principal: Principal, federationId: string, reason: string): Promise<FederationDto> {
    return toFederationDto(await this.ledger.ledgerFor(principal.role).cancelFederation(federationId, reason));
  }

  async get(principal: Principal, federationId: string): Promise<FederationDto> {
    return toFederationDto(await this.ledger.ledgerFor(principal.role).getFederation(federationId));
  }

  async list(principal: Principal, pageSize = DEFAULT_PAGE_SIZE, bookmark = ''): Promise<FederationPageDto> {
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
      [round, updates] = await Promise.all([ledger.getRound(federationId, federation.currentRound), ledger.listUpdates(federationId, federation.currentRound)]);
    }
    return toFederationStatusDto(federation, round, updates, this.bindings.get(federationId) ?? null);
  }
}

function resolveModel(source: ModelSourceDto, inputDim: number, maxUpdateBytes: number | undefined): { topology: string; initialWeights: Uint8Array } {
  if (source.preset !== undefined && source.topology !== undefined) {
    throw new RequestValidationError([{ field: 'model', problems: ['give either model.preset or model.topology, not both'] }]);
  }
  if (source.preset !== undefined) {
    const options = { preset: source.preset, inputDim, seed: source.seed ?? DEFAULT_PRESET_SEED };
    assertPresetFits(source.hiddenUnits ? { ...options, hiddenUnits: source.hiddenUnits } : options, maxUpdateBytes);
    return buildPreset(source.hiddenUnits ? { ...options, hiddenUnits: source.hiddenUnits } : options);
  }
  if (source.topology === undefined || source.initialWeightsBase64 === undefined) {
    throw new FedLedgerError('INTERNAL', 'validated model source lacks topology or weights');
  }
  return { topology: source.topology, initialWeights: new Uint8Array(Buffer.from(source.initialWeightsBase64, 'base64')) };
}
