import {
  CONTRACT,
  EVENT,
  FedLedgerError,
  canonicalJson,
  parseMaskingPublicKey,
  roundReady,
  type MaskingKeyRecord,
  type PairSeedReveal,
  type SubmitterSet,
} from '@fedledger/core';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { requireReader, requireWriter } from '../access/consortium-guard';
import { appendAudit } from '../ledger/audit-log';
import { getBlob } from '../ledger/blob-store';
import { emitEvent } from '../ledger/events';
import {
  loadFederation,
  loadRound,
  requireParticipant,
  requireStatus,
  type LoadedFederation,
} from '../ledger/federation-state';
import { FedLedgerContext, FedLedgerContract } from '../ledger/fedledger-context';
import { privacyBudgetView } from '../ledger/privacy-budget';
import { findSubmitterSet, isSecure, submitterSetKey } from '../ledger/secure-round';
import { findRecord, listRecords, putRecord } from '../ledger/store';
import { txId, txTime, txTimeMs } from '../ledger/tx';
import { KEY, key, pad } from '../state/keys';
import { maskingKeyRecord, pairRevealRecord, submitterSetRecord } from '../state/privacy';
import { updateMetadataRecord } from '../state/update-metadata';
import {
  MAX_COUNTER,
  parseId,
  parseIntegerArg,
  parseJson,
  parseMspId,
} from '../validation/arguments';
import { countReportedFailures } from '../ledger/training-failures';
import { requireOpenRound } from './round-contract';

const SEED_HEX = /^[0-9a-f]{64}$/;

/**
 * Secure aggregation's key registration, submitter-set fixing and dropout reveals, the stored
 * update read for participants, and the auditor's view of the DP budget (DESIGN §8).
 */
@Info({
  title: 'fedledger privacy',
  description: 'Secure aggregation and differential-privacy budget',
})
export class PrivacyContract extends FedLedgerContract {
  constructor() {
    super(CONTRACT.privacy);
  }

  /** The caller org's X25519 public key for a secure-aggregation federation; once, before it starts. */
  @Transaction()
  @Returns('string')
  async RegisterMaskingKey(
    ctx: FedLedgerContext,
    federationId: string,
    publicKey: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    parseMaskingPublicKey(publicKey, 'publicKey');
    const { caller } = await requireWriter(ctx);
    const federation = await loadSecureFederation(ctx, id);
    requireParticipant(federation, caller);
    requireStatus(federation, ['pending'], 'RegisterMaskingKey');
    const recordKey = key(ctx, KEY.maskingKey, id, caller.mspId);
    if (await findRecord(ctx, maskingKeyRecord, recordKey)) {
      throw new FedLedgerError(
        'ALREADY_EXISTS',
        `${caller.mspId} already registered its masking key for ${id}; keys are never replaced (a swapped key could unmask a peer)`,
      );
    }
    const record: MaskingKeyRecord = {
      federationId: id,
      mspId: caller.mspId,
      publicKey,
      registeredAt: txTime(ctx),
      txId: txId(ctx),
    };
    await putRecord(ctx, maskingKeyRecord, recordKey, record);
    await appendAudit(ctx, caller, {
      action: 'RegisterMaskingKey',
      target: `federation/${id}`,
      federationId: id,
      details: { publicKey },
    });
    emitEvent(ctx, EVENT.MaskingKeyRegistered, { federationId: id, mspId: caller.mspId });
    return canonicalJson(record);
  }

  @Transaction(false)
  @Returns('string')
  async ListMaskingKeys(ctx: FedLedgerContext, federationId: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    await requireReader(ctx);
    await loadFederation(ctx, id);
    return canonicalJson(await listRecords(ctx, maskingKeyRecord, KEY.maskingKey, [id]));
  }

  /**
   * Fixes the open round's submitter set: everyone submitted, or the deadline passed (transaction
   * time) with at least minParticipants. From then on SubmitUpdate refuses the round, so an org
   * counted as dropped can never be unmasked by a late update.
   */
  @Transaction()
  @Returns('string')
  async CloseSubmissions(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    const { caller } = await requireWriter(ctx);
    const federation = await loadSecureFederation(ctx, id);
    requireParticipant(federation, caller);
    const roundValue = await requireOpenRound(ctx, federation, roundNumber);
    const existing = await findSubmitterSet(ctx, id, roundNumber);
    if (existing !== undefined) {
      throw new FedLedgerError(
        'ALREADY_EXISTS',
        `the submitter set of round ${roundNumber} of ${id} was fixed at ${existing.closedAt}`,
      );
    }
    const submitters = (
      await listRecords(ctx, updateMetadataRecord, KEY.update, [id, pad(roundNumber)])
    )
      .map((u) => u.mspId)
      .sort();
    // An org that reported it cannot train this round is dropped now rather than at the deadline
    // (the same rule as Aggregate's for plain rounds), still needing minParticipants updates.
    const tally = {
      participants: federation.participants.length,
      submitted: submitters.length,
      failed: await countReportedFailures(ctx, id, roundNumber, submitters),
      minParticipants: federation.record.minParticipants,
      pastDeadline: txTimeMs(ctx) >= Date.parse(roundValue.deadline),
    };
    if (!roundReady(tally)) {
      throw new FedLedgerError(
        'QUORUM_NOT_MET',
        `round ${roundNumber} of ${id} has ${submitters.length} of ${federation.participants.length} updates; submissions close when all are in (or reported they cannot train), or after the deadline ${roundValue.deadline} with at least ${federation.record.minParticipants}`,
      );
    }
    const set: SubmitterSet = {
      federationId: id,
      round: roundNumber,
      submitters,
      dropped: federation.participants.filter((msp) => !submitters.includes(msp)),
      closedBy: caller.mspId,
      closedAt: txTime(ctx),
      txId: txId(ctx),
    };
    await putRecord(ctx, submitterSetRecord, submitterSetKey(ctx, id, roundNumber), set);
    await appendAudit(ctx, caller, {
      action: 'CloseSubmissions',
      target: `federation/${id}/round/${roundNumber}`,
      federationId: id,
      details: { submitters, dropped: set.dropped },
    });
    emitEvent(ctx, EVENT.SubmissionsClosed, {
      federationId: id,
      round: roundNumber,
      submitters,
      dropped: set.dropped,
    });
    return canonicalJson(set);
  }

  @Transaction(false)
  @Returns('string')
  async GetSubmitterSet(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    await requireReader(ctx);
    await loadRound(ctx, id, roundNumber);
    const set = await findSubmitterSet(ctx, id, roundNumber);
    if (set === undefined)
      throw new FedLedgerError(
        'NOT_FOUND',
        `the submitter set of round ${roundNumber} of ${id} is not fixed`,
      );
    return canonicalJson(set);
  }

  /**
   * A survivor publishes the pair seeds it shares with EVERY dropped org of the fixed set, and only
   * those: a seed shared with another submitter would let anyone strip that survivor's mask.
   */
  @Transaction()
  @Returns('string')
  async RevealPairSeeds(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
    seedsJson: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    const seeds = parseSeeds(parseJson(seedsJson, 'seedsJson'));
    const { caller } = await requireWriter(ctx);
    const federation = await loadSecureFederation(ctx, id);
    requireParticipant(federation, caller);
    await requireOpenRound(ctx, federation, roundNumber);
    const set = await findSubmitterSet(ctx, id, roundNumber);
    if (set === undefined) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `the submitter set of round ${roundNumber} of ${id} is not fixed yet; seeds are revealed only after CloseSubmissions`,
      );
    }
    if (!set.submitters.includes(caller.mspId)) {
      throw new FedLedgerError(
        'FORBIDDEN',
        `${caller.mspId} did not submit in round ${roundNumber} of ${id}; only survivors reveal seeds`,
      );
    }
    const named = Object.keys(seeds).sort();
    const survivor = named.find((msp) => !set.dropped.includes(msp));
    if (survivor !== undefined) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `seedsJson.${survivor}: ${survivor} is not a dropped org of round ${roundNumber} (dropped: ${set.dropped.join(', ') || 'none'}); revealing a seed shared with a submitter would unmask it`,
      );
    }
    const missing = set.dropped.filter((msp) => !named.includes(msp));
    if (missing.length > 0) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `seedsJson must hold a seed for every dropped org; missing: ${missing.join(', ')}`,
      );
    }
    const revealKey = key(ctx, KEY.pairReveal, id, pad(roundNumber), caller.mspId);
    if (await findRecord(ctx, pairRevealRecord, revealKey)) {
      throw new FedLedgerError(
        'ALREADY_EXISTS',
        `${caller.mspId} already revealed its seeds for round ${roundNumber} of ${id}`,
      );
    }
    const reveal: PairSeedReveal = {
      federationId: id,
      round: roundNumber,
      mspId: caller.mspId,
      seeds,
      revealedAt: txTime(ctx),
      txId: txId(ctx),
    };
    await putRecord(ctx, pairRevealRecord, revealKey, reveal);
    await appendAudit(ctx, caller, {
      action: 'RevealPairSeeds',
      target: `federation/${id}/round/${roundNumber}`,
      federationId: id,
      details: { dropped: named },
    });
    emitEvent(ctx, EVENT.PairSeedsRevealed, {
      federationId: id,
      round: roundNumber,
      mspId: caller.mspId,
    });
    return canonicalJson(reveal);
  }

  @Transaction(false)
  @Returns('string')
  async ListPairSeedReveals(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    await requireReader(ctx);
    await loadRound(ctx, id, roundNumber);
    return canonicalJson(
      await listRecords(ctx, pairRevealRecord, KEY.pairReveal, [id, pad(roundNumber)]),
    );
  }

  /**
   * What the ledger holds for one org's update, base64: participants of the federation only (never
   * the auditor, never a member org outside it). Under secure aggregation it is the masked update.
   */
  @Transaction(false)
  @Returns('string')
  async GetStoredUpdate(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
    mspId: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    const owner = parseMspId(mspId, 'mspId');
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    await loadRound(ctx, id, roundNumber);
    await findRecord(
      ctx,
      updateMetadataRecord,
      key(ctx, KEY.update, id, pad(roundNumber), owner),
    ).then((found) => {
      if (found === undefined)
        throw new FedLedgerError(
          'NOT_FOUND',
          `${owner} submitted no update in round ${roundNumber} of ${id}`,
        );
    });
    const stored = await getBlob(ctx, KEY.updateWeights, [id, pad(roundNumber), owner]);
    return Buffer.from(stored.bytes).toString('base64');
  }

  /** Budget, per-round spend and remaining ε; readable by every channel member, the auditor included. */
  @Transaction(false)
  @Returns('string')
  async GetPrivacyBudget(ctx: FedLedgerContext, federationId: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    await requireReader(ctx);
    const federation = await loadFederation(ctx, id);
    return canonicalJson(await privacyBudgetView(ctx, federation.record));
  }
}

async function loadSecureFederation(ctx: FedLedgerContext, id: string): Promise<LoadedFederation> {
  const federation = await loadFederation(ctx, id);
  if (!isSecure(federation.record)) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      `federation ${id} does not use secure aggregation (privacy.secureAggregation)`,
    );
  }
  return federation;
}

function parseSeeds(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      'seedsJson must be a JSON object of dropped MSP id → 64-hex-character seed',
    );
  }
  const seeds: Record<string, string> = {};
  for (const [msp, seed] of Object.entries(value as Record<string, unknown>)) {
    if (typeof seed !== 'string' || !SEED_HEX.test(seed)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `seedsJson.${msp} must be 64 lowercase hex characters`,
      );
    }
    seeds[parseMspId(msp, 'a seedsJson key')] = seed;
  }
  if (Object.keys(seeds).length === 0) {
    throw new FedLedgerError('INVALID_ARGUMENT', 'seedsJson must name at least one dropped org');
  }
  return seeds;
}
