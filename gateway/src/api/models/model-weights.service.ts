import { Inject, Injectable } from '@nestjs/common';
import { FedLedgerError, sha256Hex, type Federation, type ModelVersion } from '@fedledger/core';
import { type ApiRole, LEDGER, type LedgerProvider } from '../../ledger/port/ledger.tokens';

/** A global model checked against the ledger: its weights hash to the recorded modelHash. */
export interface VerifiedModel {
  federation: Federation;
  version: ModelVersion;
  weights: Uint8Array;
}

const CACHE_ENTRIES = 8;

/**
 * Fetches global model weights from the private collection and refuses any whose SHA-256 differs
 * from the version's public modelHash. Versions are immutable, so verified weights are cached by hash.
 */
@Injectable()
export class ModelWeightsService {
  readonly #cache = new Map<string, Uint8Array>();
  /** Fetches under way, by role and hash: the role decides whether the ledger lets the caller read weights at all. */
  readonly #inFlight = new Map<string, Promise<Uint8Array>>();

  constructor(@Inject(LEDGER) private readonly ledger: LedgerProvider) {}

  /** The federation, the version record and its verified weights. Throws NOT_FOUND, FORBIDDEN, DIGEST_MISMATCH. */
  async fetch(role: ApiRole, federationId: string, versionNumber: number): Promise<VerifiedModel> {
    const ledger = this.ledger.ledgerFor(role);
    const [federation, version] = await Promise.all([
      ledger.getFederation(federationId),
      ledger.getModelVersion(federationId, versionNumber),
    ]);
    return { federation, version, weights: await this.weightsOf(role, version) };
  }

  /**
   * The verified weights of a known version record. Concurrent asks for the same version (the next
   * round's training and the evaluation of the new model, right after an aggregation) share one fetch.
   */
  weightsOf(role: ApiRole, version: ModelVersion): Promise<Uint8Array> {
    const cached = this.#cache.get(version.modelHash);
    if (cached) return Promise.resolve(cached);
    const key = `${role}\u0000${version.modelHash}`;
    let pending = this.#inFlight.get(key);
    if (pending === undefined) {
      pending = this.#fetchVerified(role, version).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return pending;
  }

  async #fetchVerified(role: ApiRole, version: ModelVersion): Promise<Uint8Array> {
    const weights = await this.ledger
      .ledgerFor(role)
      .getGlobalWeights(version.federationId, version.version);
    const digest = sha256Hex(weights);
    if (digest !== version.modelHash) {
      throw new FedLedgerError(
        'DIGEST_MISMATCH',
        `weights of ${version.federationId} v${version.version} hash to ${digest}, the ledger records ${version.modelHash}`,
      );
    }
    if (this.#cache.size >= CACHE_ENTRIES)
      this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(version.modelHash, weights);
    return weights;
  }
}
