import type { IncentiveLedgerApi } from './contribution/incentive-ledger-api';
import type {
  AggregateAttestation,
  TrainingBackend,
  AuditEntry,
  Consortium,
  ConsortiumMember,
  Evaluation,
  Federation,
  FederationSpec,
  KeyHistoryEntry,
  ModelVerification,
  ModelVersion,
  MspId,
  OrgRole,
  Page,
  PredictionReceipt,
  RoleChangeProposal,
  Round,
  UpdateMetadata,
} from './types';
import type { DataProfile, DataProfileInput } from './schema/data-profile';
import type { TrainingFailure } from './schema/training-failure';
import {
  PRIVACY_TX,
  type MaskingKeyRecord,
  type PairSeedReveal,
  type PrivacyBudget,
  type SubmitterSet,
} from './privacy/privacy-ledger';

/**
 * The chaincode's public surface: contract names, transaction names, transient keys and events.
 * Chaincode and gateway both import these names so that a rename cannot silently break the link.
 */
export const CHAINCODE_NAME = 'fedledger';

export const CONTRACT = {
  consortium: 'consortium',
  federation: 'federation',
  round: 'round',
  model: 'model',
  audit: 'audit',
  data: 'data',
  incentive: 'incentive',
  privacy: 'privacy',
} as const;

/** Transaction names per contract. Arguments are strings; objects are passed as JSON text. */
export const TX = {
  consortium: {
    InitConsortium: 'InitConsortium', // (membersJson: ConsortiumMember[]) → Consortium; org admin of a listed member org; once
    GetConsortium: 'GetConsortium', // () → Consortium
    ProposeRoleChange: 'ProposeRoleChange', // (mspId, role) → RoleChangeProposal; member org admin; proposer approves
    ApproveRoleChange: 'ApproveRoleChange', // (proposalId) → RoleChangeProposal; member org admin; applied at majority
    GetRoleChange: 'GetRoleChange', // (proposalId) → RoleChangeProposal
  },
  federation: {
    CreateFederation: 'CreateFederation', // (specJson: FederationSpec) + transient initialWeights → Federation
    AcceptInvitation: 'AcceptInvitation', // (federationId) → Federation; admin of an invited org
    StartFederation: 'StartFederation', // (federationId) → Federation; creator org; opens round 1
    CancelFederation: 'CancelFederation', // (federationId, reason) → Federation; creator org admin
    GetFederation: 'GetFederation', // (federationId) → Federation
    ListFederations: 'ListFederations', // (pageSize, bookmark) → Page<Federation>
  },
  round: {
    SubmitUpdate: 'SubmitUpdate', // (federationId, round, numSamples, digest, metricsJson) + transient weights → UpdateMetadata
    Aggregate: 'Aggregate', // (federationId, round) → ModelVersion; any participant; majority endorsement; blob path: accepts the hash a majority attested
    SubmitBlobUpdate: 'SubmitBlobUpdate', // (federationId, round, numSamples, digest, byteLength, metricsJson) → UpdateMetadata; blob path: only the digest, the caller's gateway serves the bytes
    AttestAggregate: 'AttestAggregate', // (federationId, round, modelHash, byteLength, contributorsJson) → AggregateAttestation; blob path: participant, once per round
    ListAttestations: 'ListAttestations', // (federationId, round) → AggregateAttestation[]
    GetRound: 'GetRound', // (federationId, round) → Round
    ListUpdates: 'ListUpdates', // (federationId, round) → UpdateMetadata[]
    RecordEvaluation: 'RecordEvaluation', // (federationId, version, numSamples, metricsJson, backend) → Evaluation; participant; backend '' = not stated
  },
  model: {
    GetModelVersion: 'GetModelVersion', // (federationId, version) → ModelVersion
    ListModelVersions: 'ListModelVersions', // (federationId) → ModelVersion[]
    GetModelSelection: 'GetModelSelection', // (federationId, metric: accuracy|auc|loss) → ModelSelection (consortium validation score per version, best round)
    GetGlobalWeights: 'GetGlobalWeights', // (federationId, version) → base64 of encoded weights; participants only
    ApproveModel: 'ApproveModel', // (federationId, version) → ModelVersion; participant org admin
    RecordPrediction: 'RecordPrediction', // (federationId, version, inputHash, outputHash, count) → PredictionReceipt
    VerifyModelHash: 'VerifyModelHash', // (modelHash) → ModelVerification
  },
  data: {
    RecordDataProfile: 'RecordDataProfile', // (federationId, profileJson: DataProfileInput) → DataProfile; invited or participating org; schema federation, pending
    ListDataProfiles: 'ListDataProfiles', // (federationId) → DataProfile[]; any consortium org (missing rates per org)
    ReportTrainingFailure: 'ReportTrainingFailure', // (federationId, round, reason) → TrainingFailure; participant that has not submitted the open round
  },
  audit: {
    ListTimeline: 'ListTimeline', // (federationId, pageSize, bookmark) → Page<AuditEntry>
    ListConsortiumTimeline: 'ListConsortiumTimeline', // (pageSize, bookmark) → Page<AuditEntry>
    GetKeyHistory: 'GetKeyHistory', // (objectType, attributesJson: string[]) → KeyHistoryEntry[]
  },
  incentive: {
    GetCoalitionPlan: 'GetCoalitionPlan', // (federationId, round) → CoalitionPlan; the coalitions every evaluator scores
    GetUpdateWeights: 'GetUpdateWeights', // (federationId, round, mspId) → base64 of the update; participants, incentive federations only
    RecordUtilities: 'RecordUtilities', // (federationId, round, numSamples, utilitiesJson) → UtilityRecord; participant, once per round
    ListUtilities: 'ListUtilities', // (federationId, round) → UtilityRecord[]
    SettleContributions: 'SettleContributions', // (federationId, round) → ContributionReport; Shapley values, credits
    GetContributions: 'GetContributions', // (federationId, round) → ContributionReport
    ListContributions: 'ListContributions', // (federationId) → ContributionReport[] (the reward history)
    GetRewardBalances: 'GetRewardBalances', // (federationId) → RewardBalance[] (every participant)
  },
  privacy: PRIVACY_TX,
} as const;

/** Transient map keys. Weights never appear in transaction arguments, so they never reach blocks. */
export const TRANSIENT = {
  initialWeights: 'initialWeights',
  weights: 'weights',
} as const;

/** Private data collection readable by member orgs only (never the auditor). */
export const MEMBER_COLLECTION = 'fedledgerMemberWeights';

/** Input of `SubmitUpdate` apart from the weights themselves. */
export interface SubmitUpdateInput {
  federationId: string;
  round: number;
  numSamples: number;
  digest: string;
  metrics: Record<string, number>;
}

/** Input of `AttestAggregate`: the model this org computed for the round, and the contributions. */
export interface AttestAggregateInput {
  federationId: string;
  round: number;
  modelHash: string;
  byteLength: number;
  contributors: AggregateAttestation['contributors'];
}

export interface RecordPredictionInput {
  federationId: string;
  version: number;
  inputHash: string;
  outputHash: string;
  count: number;
}

/**
 * The ledger as the gateway sees it, one method per transaction. Implemented over Fabric by the
 * gateway's ledger client and in process (real contract classes, in-memory stub) for API tests.
 * Methods reject with a `FedLedgerError` carrying the chaincode's stable code.
 */
export interface LedgerApi extends IncentiveLedgerApi {
  initConsortium(members: ConsortiumMember[]): Promise<Consortium>;
  getConsortium(): Promise<Consortium>;
  proposeRoleChange(mspId: MspId, role: OrgRole): Promise<RoleChangeProposal>;
  approveRoleChange(proposalId: string): Promise<RoleChangeProposal>;
  getRoleChange(proposalId: string): Promise<RoleChangeProposal>;

  /** `initialWeights` travel in the transient map; a blob-path spec (`initialBlob`) takes an empty array and sends none. */
  createFederation(spec: FederationSpec, initialWeights: Uint8Array): Promise<Federation>;
  acceptInvitation(federationId: string): Promise<Federation>;
  startFederation(federationId: string): Promise<Federation>;
  cancelFederation(federationId: string, reason: string): Promise<Federation>;
  getFederation(federationId: string): Promise<Federation>;
  listFederations(pageSize: number, bookmark: string): Promise<Page<Federation>>;

  submitUpdate(input: SubmitUpdateInput, weights: Uint8Array): Promise<UpdateMetadata>;
  /** Blob path: records the update's digest and size; the caller's gateway serves the bytes (ADR 0022). */
  submitBlobUpdate(input: SubmitUpdateInput, byteLength: number): Promise<UpdateMetadata>;
  attestAggregate(input: AttestAggregateInput): Promise<AggregateAttestation>;
  listAttestations(federationId: string, round: number): Promise<AggregateAttestation[]>;
  aggregate(federationId: string, round: number): Promise<ModelVersion>;
  getRound(federationId: string, round: number): Promise<Round>;
  listUpdates(federationId: string, round: number): Promise<UpdateMetadata[]>;
  recordEvaluation(
    federationId: string,
    version: number,
    numSamples: number,
    metrics: Record<string, number>,
    backend?: TrainingBackend,
  ): Promise<Evaluation>;

  getModelVersion(federationId: string, version: number): Promise<ModelVersion>;
  listModelVersions(federationId: string): Promise<ModelVersion[]>;
  getGlobalWeights(federationId: string, version: number): Promise<Uint8Array>;
  approveModel(federationId: string, version: number): Promise<ModelVersion>;
  recordPrediction(input: RecordPredictionInput): Promise<PredictionReceipt>;
  verifyModelHash(modelHash: string): Promise<ModelVerification>;

  listTimeline(federationId: string, pageSize: number, bookmark: string): Promise<Page<AuditEntry>>;
  listConsortiumTimeline(pageSize: number, bookmark: string): Promise<Page<AuditEntry>>;
  getKeyHistory(objectType: string, attributes: string[]): Promise<KeyHistoryEntry[]>;

  recordDataProfile(federationId: string, profile: DataProfileInput): Promise<DataProfile>;
  listDataProfiles(federationId: string): Promise<DataProfile[]>;
  reportTrainingFailure(
    federationId: string,
    round: number,
    reason: string,
  ): Promise<TrainingFailure>;
  registerMaskingKey(federationId: string, publicKey: string): Promise<MaskingKeyRecord>;
  listMaskingKeys(federationId: string): Promise<MaskingKeyRecord[]>;
  closeSubmissions(federationId: string, round: number): Promise<SubmitterSet>;
  getSubmitterSet(federationId: string, round: number): Promise<SubmitterSet>;
  revealPairSeeds(
    federationId: string,
    round: number,
    seeds: Record<string, string>,
  ): Promise<PairSeedReveal>;
  listPairSeedReveals(federationId: string, round: number): Promise<PairSeedReveal[]>;
  getStoredUpdate(federationId: string, round: number, mspId: string): Promise<Uint8Array>;
  getPrivacyBudget(federationId: string): Promise<PrivacyBudget>;
}
