import { Logger } from '@nestjs/common';
import {
  aggregatorRank,
  isFedLedgerError,
  LOST_AGGREGATION_RACE,
  LOST_CLOSE_RACE,
  roundReady,
  type LedgerApi,
} from '@fedledger/core';
import type { PrivacyService } from '../api/privacy/privacy.service';
import type { GatewayConfig } from '../platform/config/gateway-config';
import type { RoundTimers } from './round-timers';
import type { RoundTurnaround } from './round-turnaround';

/**
 * How long each participant after the round's designated aggregator waits before stepping in: long
 * enough for the designated one's Aggregate (a few hundred ms to a few s on Fabric) to commit, short
 * enough that a dead aggregator costs a round seconds, not its deadline.
 */
export const AGGREGATOR_FALLBACK_MS = 5_000;

/**
 * Closing a round from this org's side: aggregate once everyone is in (or the deadline passed with
 * the quorum), in this org's turn as aggregator, after fixing the submitter set and revealing seeds
 * when secure aggregation lost an update.
 */
export class RoundAggregation {
  readonly #logger = new Logger('participation');

  constructor(
    private readonly config: GatewayConfig,
    private readonly ledger: () => LedgerApi,
    private readonly privacy: PrivacyService,
    private readonly timers: RoundTimers,
    private readonly turnaround: RoundTurnaround,
  ) {}

  /**
   * Secure aggregation with missing updates after the deadline: the ledger must first fix the
   * submitter set (CloseSubmissions, asked by whoever's turn it is) and every survivor must reveal
   * its seeds with the dropped orgs (each gateway does that on SubmissionsClosed). True once the
   * round can be aggregated.
   */
  async #secureRoundReady(federationId: string, round: number): Promise<boolean> {
    let set;
    try {
      set = await this.ledger().getSubmitterSet(federationId, round);
    } catch (error) {
      if (!(isFedLedgerError(error) && error.code === 'NOT_FOUND')) throw error;
      try {
        set = await this.ledger().closeSubmissions(federationId, round);
        this.#logger.log({
          org: this.config.mspId,
          msg: 'submitter set fixed',
          federationId,
          round,
          submitters: set.submitters,
          dropped: set.dropped,
        });
      } catch (closeError) {
        // Another gateway fixed the set first (its SubmissionsClosed event brings this org back here).
        if (isFedLedgerError(closeError) && LOST_CLOSE_RACE.has(closeError.code)) return false;
        throw closeError;
      }
    }
    const reveals = await this.ledger().listPairSeedReveals(federationId, round);
    return (
      set.dropped.length === 0 ||
      set.submitters.every((msp) => reveals.some((reveal) => reveal.mspId === msp))
    );
  }

  /** A round's submitter set was fixed: reveal this org's seeds with the dropped orgs if it survived. */
  async onSubmissionsClosed(federationId: string, round: number): Promise<void> {
    const federation = await this.ledger().getFederation(federationId);
    if (!federation.participants.includes(this.config.mspId)) return;
    await this.privacy.revealIfSurvivor(this.ledger(), federation, round);
    await this.aggregateIfComplete(federationId, round);
  }

  /**
   * The event's `submitted` count is not known to the chaincode (counting would make concurrent
   * submissions conflict), so the round's `submitted` list decides whether everyone is in. Only the
   * round's designated aggregator asks at once (see {@link aggregatorRank}); the others wait their
   * turn and ask only if the round is still open then (`fallback`). On the blob path everyone
   * asks at once when the round is complete (that attests), and the designated one again on each
   * attestation (`attested`), which accepts the model once a majority agrees.
   */
  async aggregateIfComplete(
    federationId: string,
    round: number,
    { fallback = false, attested = false } = {},
  ): Promise<void> {
    const checkedAt = Date.now();
    // Both reads at once: this check runs on every submission and attestation, on the round's path.
    const [federation, roundRecord] = await Promise.all([
      this.ledger().getFederation(federationId),
      this.ledger().getRound(federationId, round),
    ]);
    const rank = aggregatorRank(federation.participants, round, this.config.mspId);
    if (rank < 0) return;
    if (roundRecord.status !== 'open') return;
    // The chaincode's rule (core's roundReady): an org that reported it cannot train counts as done.
    const tally = {
      participants: federation.participants.length,
      submitted: roundRecord.submitted.length,
      failed: (roundRecord.failed ?? []).filter(
        (failure) => !roundRecord.submitted.includes(failure.mspId),
      ).length,
      minParticipants: federation.minParticipants,
      pastDeadline: Date.now() >= Date.parse(roundRecord.deadline),
    };
    if (!roundReady(tally)) return;
    this.turnaround.roundComplete(federationId, round, checkedAt);
    // Blob path (ADR 0022): every participant re-runs the aggregation and attests at once (its own
    // key, no contention); accepting the majority's model stays with the designated aggregator.
    const attestNow = federation.weightsPath === 'blob' && !attested;
    if (rank > 0 && !fallback && !attestNow) {
      this.timers.scheduleFallback(federationId, round, rank * AGGREGATOR_FALLBACK_MS);
      return;
    }
    if (fallback)
      this.#logger.warn({
        org: this.config.mspId,
        msg: 'round still open after its designated aggregator had its turn: aggregating',
        federationId,
        round,
        rank,
      });
    // Under secure aggregation only a round where every participant submitted needs no fixed submitter set.
    const allSubmitted = roundRecord.submitted.length >= federation.participants.length;
    if (
      federation.privacy?.secureAggregation === true &&
      !allSubmitted &&
      !(await this.#secureRoundReady(federationId, round))
    )
      return;
    const started = Date.now();
    try {
      const version = await this.ledger().aggregate(federationId, round);
      this.#logger.log({
        org: this.config.mspId,
        msg: 'round aggregated',
        federationId,
        round,
        version: version.version,
        modelHash: version.modelHash,
        ms: Date.now() - started,
      });
    } catch (error) {
      if (isFedLedgerError(error) && LOST_AGGREGATION_RACE.has(error.code)) {
        // Blob path: QUORUM_NOT_MET after this org attested means the majority is not there yet.
        const msg =
          federation.weightsPath === 'blob' && error.code === 'QUORUM_NOT_MET'
            ? 'attested; waiting for a majority of attestations'
            : 'aggregation done elsewhere';
        this.#logger.log({ org: this.config.mspId, msg, federationId, round, code: error.code });
        return;
      }
      throw error;
    }
  }
}
