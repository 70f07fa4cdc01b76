import type { DpConfig } from './types';

/**
 * The privacy contract's transactions, events and records (kept apart from the main ledger API
 * file; `ledger-api.ts` merges them into `TX`, `EVENT` and `LedgerApi`).
 */
export const PRIVACY_TX = {
  RegisterMaskingKey: 'RegisterMaskingKey', // (federationId, publicKeyBase64) → MaskingKeyRecord; participant; federation pending
  ListMaskingKeys: 'ListMaskingKeys', // (federationId) → MaskingKeyRecord[]
  CloseSubmissions: 'CloseSubmissions', // (federationId, round) → SubmitterSet; participant; all submitted, or deadline passed with the quorum
  GetSubmitterSet: 'GetSubmitterSet', // (federationId, round) → SubmitterSet
  RevealPairSeeds: 'RevealPairSeeds', // (federationId, round, seedsJson: {droppedMsp: hex}) → PairSeedReveal; a submitter, once the set is fixed
  ListPairSeedReveals: 'ListPairSeedReveals', // (federationId, round) → PairSeedReveal[]
  GetStoredUpdate: 'GetStoredUpdate', // (federationId, round, mspId) → base64 of what the ledger holds (masked under secure aggregation); participants only
  GetPrivacyBudget: 'GetPrivacyBudget', // (federationId) → PrivacyBudget; any reader, the auditor included
} as const;

export const PRIVACY_EVENT = {
  MaskingKeyRegistered: 'MaskingKeyRegistered',
  SubmissionsClosed: 'SubmissionsClosed',
  PairSeedsRevealed: 'PairSeedsRevealed',
} as const;

/** An org's X25519 public key for one federation; registered once, never replaced. */
export interface MaskingKeyRecord {
  federationId: string;
  mspId: string;
  publicKey: string;
  registeredAt: string;
  txId: string;
}

/** A round's submitter set, fixed on the ledger before any survivor reveals a seed. */
export interface SubmitterSet {
  federationId: string;
  round: number;
  submitters: string[];
  /** Participants that did not submit; their late updates are refused from now on. */
  dropped: string[];
  closedBy: string;
  closedAt: string;
  txId: string;
}

/** The seeds one survivor shares with each dropped org, published so the chaincode can remove those masks. */
export interface PairSeedReveal {
  federationId: string;
  round: number;
  mspId: string;
  /** Dropped org's MSP id → 32-byte pair seed (hex). */
  seeds: Record<string, string>;
  revealedAt: string;
  txId: string;
}

/** ε spent by one aggregated round, as recorded by `Aggregate`. */
export interface PrivacySpend {
  federationId: string;
  round: number;
  /** ε of all rounds so far (the accountant's composition, not a sum of per-round values). */
  epsilonSpent: number;
  /** epsilonSpent minus the previous round's. */
  epsilonRound: number;
  /** The RDP order at which the conversion reached its minimum. */
  order: number;
  recordedAt: string;
  txId: string;
}

/** The auditor's view of a federation's privacy: settings, spend per round, what remains. */
export interface PrivacyBudget {
  federationId: string;
  secureAggregation: boolean;
  dp: DpConfig | null;
  /** Rounds the budget allows (min of the federation's rounds and the accountant's limit); null without DP. */
  roundsAllowed: number | null;
  spends: PrivacySpend[];
  epsilonSpent: number;
  /** null without DP. */
  epsilonRemaining: number | null;
}
