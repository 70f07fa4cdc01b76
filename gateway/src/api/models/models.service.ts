import { Inject, Injectable } from '@nestjs/common';
import { sha256Hex } from '@fedledger/core';
import type { Principal } from '../auth/api-key-store';
import { RequestValidationError } from '../../platform/errors/request-validation.error';
import { LEDGER, type LedgerProvider } from '../../ledger/port/ledger.tokens';
import { toTfjsArtifacts, type TfjsArtifacts } from '../../ml/training/tfjs-artifacts';
import {
  type ModelVerificationDto,
  type ModelVersionDto,
  type TfjsModelBundleDto,
  toModelVerificationDto,
  toModelVersionDto,
} from './dto/model-version.dto';
import type { VerifyModelDto } from './dto/verify-model.dto';
import { ModelWeightsService } from './model-weights.service';

@Injectable()
export class ModelsService {
  constructor(
    @Inject(LEDGER) private readonly ledger: LedgerProvider,
    private readonly weights: ModelWeightsService,
  ) {}

  async list(principal: Principal, federationId: string): Promise<ModelVersionDto[]> {
    return (await this.ledger.ledgerFor(principal.role).listModelVersions(federationId)).map(
      toModelVersionDto,
    );
  }

  async get(principal: Principal, federationId: string, version: number): Promise<ModelVersionDto> {
    return toModelVersionDto(
      await this.ledger.ledgerFor(principal.role).getModelVersion(federationId, version),
    );
  }

  async approve(
    principal: Principal,
    federationId: string,
    version: number,
  ): Promise<ModelVersionDto> {
    return toModelVersionDto(
      await this.ledger.ledgerFor(principal.role).approveModel(federationId, version),
    );
  }

  /** The FLW1-encoded weights, verified against the ledger's modelHash. */
  async flw1(principal: Principal, federationId: string, version: number): Promise<Uint8Array> {
    return (await this.weights.fetch(principal.role, federationId, version)).weights;
  }

  /** The version as tfjs `model.json` + `weights.bin`. */
  async tfjsArtifacts(
    principal: Principal,
    federationId: string,
    version: number,
  ): Promise<TfjsArtifacts & { modelHash: string }> {
    const model = await this.weights.fetch(principal.role, federationId, version);
    const artifacts = await toTfjsArtifacts(model.federation.modelSpec.topology, model.weights);
    return { ...artifacts, modelHash: model.version.modelHash };
  }

  /** Both tfjs artifacts in one JSON document, with the input columns and the scaling the model expects. */
  async bundle(
    principal: Principal,
    federationId: string,
    version: number,
  ): Promise<TfjsModelBundleDto> {
    const model = await this.weights.fetch(principal.role, federationId, version);
    const artifacts = await toTfjsArtifacts(model.federation.modelSpec.topology, model.weights);
    const bundle: TfjsModelBundleDto = {
      federationId,
      version,
      modelHash: model.version.modelHash,
      modelJson: artifacts.modelJson as unknown as Record<string, unknown>,
      weightsBinBase64: Buffer.from(artifacts.weightsBin).toString('base64'),
      featureColumns: [...model.federation.featureColumns],
    };
    const scaling = model.federation.featureScaling;
    if (scaling !== undefined)
      bundle.featureScaling = { center: [...scaling.center], scale: [...scaling.scale] };
    return bundle;
  }

  /** Looks a model up on the ledger by its hash, or by the hash of an uploaded FLW1 file. */
  async verify(principal: Principal, request: VerifyModelDto): Promise<ModelVerificationDto> {
    const given = [request.modelHash, request.weightsBase64].filter(
      (value) => value !== undefined,
    ).length;
    if (given !== 1) {
      throw new RequestValidationError([
        { field: 'modelHash', problems: ['give exactly one of modelHash or weightsBase64'] },
      ]);
    }
    const hash =
      request.modelHash ??
      sha256Hex(new Uint8Array(Buffer.from(request.weightsBase64 as string, 'base64')));
    return this.verifyHash(principal, hash);
  }

  /** Looks up the SHA-256 of raw uploaded bytes. */
  async verifyFile(principal: Principal, file: Uint8Array): Promise<ModelVerificationDto> {
    if (file.byteLength === 0) {
      throw new RequestValidationError([
        { field: 'body', problems: ['send the FLW1 file as an application/octet-stream body'] },
      ]);
    }
    return this.verifyHash(principal, sha256Hex(file));
  }

  async verifyHash(principal: Principal, modelHash: string): Promise<ModelVerificationDto> {
    return toModelVerificationDto(
      await this.ledger.ledgerFor(principal.role).verifyModelHash(modelHash),
    );
  }
}
