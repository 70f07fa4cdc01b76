import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  FedLedgerError,
  decodeFlat,
  dropoutSeeds,
  isFedLedgerError,
  type Federation,
  type LedgerApi,
  type MaskingPeer,
} from '@fedledger/core';
import type { GatewayConfig } from '../../platform/config/gateway-config';
import { GATEWAY_CONFIG } from '../../platform/config/config.tokens';
import { buildMaskedUpdate, type MaskedUpdate } from './masked-update';
import { MaskingKeyStore } from './masking-key.store';

/**
 * This org's side of secure aggregation: its masking key per federation (kept in the state
 * directory, registered on the ledger once), masking its updates, and revealing the pair seeds it
 * shares with dropped orgs once the ledger fixed a round's submitter set.
 */
@Injectable()
export class PrivacyService {
  readonly #logger = new Logger('privacy');
  readonly #keys: MaskingKeyStore;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.#keys = new MaskingKeyStore(config.stateDir);
  }

  /**
   * Registers this org's masking key for a pending secure-aggregation federation it participates in,
   * unless the ledger has it already. Safe to call again (after a restart, on a replayed event).
   * INTERNAL when the ledger holds a key this gateway does not have (its state directory was lost):
   * the org cannot take part in that federation, since a registered key is never replaced.
   */
  async ensureMaskingKey(ledger: LedgerApi, federation: Federation): Promise<void> {
    if (
      federation.privacy?.secureAggregation !== true ||
      !federation.participants.includes(this.config.mspId)
    )
      return;
    const registered = (await ledger.listMaskingKeys(federation.id)).find(
      (key) => key.mspId === this.config.mspId,
    );
    const local =
      registered === undefined
        ? this.#keys.getOrCreate(federation.id)
        : this.#keys.find(federation.id);
    if (registered !== undefined) {
      if (local?.publicKey !== registered.publicKey) {
        throw new FedLedgerError(
          'INTERNAL',
          `the masking key ${this.config.mspId} registered for ${federation.id} is not in this gateway's state directory; this org cannot submit to that federation`,
        );
      }
      return;
    }
    if (federation.status !== 'pending') {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `federation ${federation.id} started before ${this.config.mspId} registered a masking key`,
      );
    }
    try {
      await ledger.registerMaskingKey(federation.id, (local as { publicKey: string }).publicKey);
      this.#logger.log({
        org: this.config.mspId,
        msg: 'masking key registered',
        federationId: federation.id,
      });
    } catch (error) {
      if (!(isFedLedgerError(error) && error.code === 'ALREADY_EXISTS')) throw error;
    }
  }

  /** The masked bytes this org submits for `round`, from the round's start model and its local model (both FLW1). */
  async maskUpdate(
    ledger: LedgerApi,
    federation: Federation,
    round: number,
    startBytes: Uint8Array,
    localBytes: Uint8Array,
    numSamples: number,
  ): Promise<MaskedUpdate> {
    const keys = this.#keys.find(federation.id);
    if (keys === undefined) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `no masking key for ${federation.id} in this gateway's state directory`,
      );
    }
    const peers: MaskingPeer[] = (await ledger.listMaskingKeys(federation.id)).map((key) => ({
      mspId: key.mspId,
      publicKey: key.publicKey,
    }));
    const missing = federation.participants.filter(
      (msp) => !peers.some((peer) => peer.mspId === msp),
    );
    if (missing.length > 0)
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `participants without a masking key: ${missing.join(', ')}`,
      );
    return buildMaskedUpdate({
      federation,
      round,
      mspId: this.config.mspId,
      keys,
      peers: peers.filter((peer) => federation.participants.includes(peer.mspId)),
      start: decodeFlat(startBytes).flat,
      local: decodeFlat(localBytes).flat,
      numSamples,
    });
  }

  /**
   * Once the round's submitter set is fixed with dropouts, this survivor publishes the seeds it
   * shares with each dropped org (never with a submitter: the chaincode refuses that). Returns
   * whether it revealed now.
   */
  async revealIfSurvivor(
    ledger: LedgerApi,
    federation: Federation,
    round: number,
  ): Promise<boolean> {
    const set = await ledger.getSubmitterSet(federation.id, round);
    if (set.dropped.length === 0 || !set.submitters.includes(this.config.mspId)) return false;
    const reveals = await ledger.listPairSeedReveals(federation.id, round);
    if (reveals.some((reveal) => reveal.mspId === this.config.mspId)) return false;
    const keys = this.#keys.find(federation.id);
    if (keys === undefined)
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `no masking key for ${federation.id} in this gateway's state directory`,
      );
    const dropped = (await ledger.listMaskingKeys(federation.id)).filter((key) =>
      set.dropped.includes(key.mspId),
    );
    const seeds = dropoutSeeds(dropped, {
      federationId: federation.id,
      round,
      self: this.config.mspId,
      privateKey: keys.privateKey,
    });
    try {
      await ledger.revealPairSeeds(federation.id, round, seeds);
    } catch (error) {
      if (isFedLedgerError(error) && error.code === 'ALREADY_EXISTS') return false;
      throw error;
    }
    this.#logger.log({
      org: this.config.mspId,
      msg: 'pair seeds revealed for dropped orgs',
      federationId: federation.id,
      round,
      dropped: set.dropped,
    });
    return true;
  }
}
