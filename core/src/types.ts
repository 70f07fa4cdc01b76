/**
 * Ledger record types shared by chaincode and gateway. Every record is stored as canonical JSON;
 * timestamps are ISO-8601 strings taken from the transaction timestamp, never from a clock.
 */
import type { PrivacyConfig } from './privacy/types';

import type { Imputation } from './schema/data-profile';
import type { DataSchema } from './schema/data-schema';
import type { IncentivesConfig } from './contribution/types';
import type { MspId } from './msp-id';

export type { MspId } from './msp-id';

export type OrgRole = 'member' | 'auditor';

export interface ConsortiumMember {
  mspId: MspId;
  role: OrgRole;
}

export interface Consortium {
  members: ConsortiumMember[];
  initializedAt: string;
  initializedBy: MspId;
  txId: string;
}

export interface RoleChangeProposal {
  id: string;
  mspId: MspId;
  role: OrgRole;
  proposedBy: MspId;
  approvals: MspId[];
  approvalsRequired: number;
  status: 'open' | 'applied';
  createdAt: string;
  txId: string;
}

export const STRATEGY_NAMES = [
  'fedavg',
  'fedavgm',
  'fedadam',
  'median',
  'trimmed-mean',
  'krum',
  'multi-krum',
  'centered-clipping',
] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/**
 * Which aggregation to run and with what parameters. `normBound`, when set, wraps the strategy so
 * that each update's distance from the previous global model is clipped to that L2 norm first.
 */
export interface StrategyConfig {
  name: StrategyName;
  /** Strategy-specific numbers: `serverLearningRate`, `momentum`, `beta1`, `beta2`, `tau`, `beta` (trim fraction), `f` (Byzantine count), `m` (Multi-Krum selection). */
  params?: Record<string, number>;
  normBound?: number;
  /**
   * Adaptive norm bounding: clip each update's distance from the previous global model to this
   * multiple of the round's median distance (excludes `normBound`). See ADR 0017.
   */
  adaptiveNormBound?: number;
  /** Leave out updates whose step does not agree (cosine ≤ 0) with the round's median step (ADR 0017). */
  cosineFilter?: boolean;
}

export interface HyperParameters {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** FedProx proximal coefficient μ; 0 or absent means plain local SGD. */
  proximalMu?: number;
}

export interface ModelSpec {
  format: 'tfjs-layers';
  /** The tfjs layers model topology (what `model.toJSON()` returns), as JSON text. */
  topology: string;
  /** SHA-256 hex of the UTF-8 bytes of `topology`. */
  topologyHash: string;
}

/** What a creator supplies to `CreateFederation` (the initial weights travel in the transient map). */
export interface FederationSpec {
  id: string;
  name: string;
  description?: string;
  modelSpec: ModelSpec;
  /** Feature columns in model input order, and the label column, so every org feeds the model alike. */
  featureColumns: string[];
  labelColumn: string;
  hyperParameters: HyperParameters;
  strategy: StrategyConfig;
  /** Orgs invited besides the creator's own org (which participates automatically). */
  invitedOrgs: MspId[];
  minParticipants: number;
  roundDeadlineSeconds: number;
  rounds: number;
  /** Largest accepted encoded update in bytes; defaults to {@link DEFAULT_MAX_UPDATE_BYTES}. */
  maxUpdateBytes?: number;
  /**
   * The one input scaling of the federation: every participant applies (x − center) / scale to the
   * feature columns, in `featureColumns` order, for training, evaluation and prediction, so the same
   * patient is the same model input at every org. Recorded on the ledger so auditors can see it.
   * Absent on federations created before it existed (each org then scales with its own statistics).
   */
  featureScaling?: FeatureScaling;
  /**
   * The federation's data schema (see `schema/data-schema.ts`): raw CSV columns by name, types,
   * missing values and label. When present, `featureColumns` are its encoded inputs and
   * `featureScaling` is computed at start from the participants' data profiles. Absent on
   * federations of pre-encoded numeric columns.
   */
  dataSchema?: DataSchema;
  /**
   * Contribution scoring (Shapley values per round) and an optional reward pool; absent means none.
   * Not available with secure aggregation, where no one sees individual updates (ADR 0018).
   */
  incentives?: IncentivesConfig;
  /** Secure aggregation and differential privacy (see `privacy/types.ts`); absent means neither. */
  privacy?: PrivacyConfig;
  /**
   * How weights travel between orgs (ADR 0022): `private-data` (Fabric private data, the default) or
   * `blob` (content-addressed blobs served by each org's gateway; only digests on the ledger). The
   * gateway picks it from the model size ({@link BLOB_PATH_MIN_PARAMS}); the chaincode records it on
   * every federation it creates. Absent on records made before the blob path existed.
   */
  weightsPath?: WeightsPath;
  /** Blob path only: the initial model's digest, byte size and tensor shapes (the bytes stay with the creator org). */
  initialBlob?: InitialBlob;
}

export const WEIGHTS_PATHS = ['private-data', 'blob'] as const;
export type WeightsPath = (typeof WEIGHTS_PATHS)[number];

/** The initial model of a blob-path federation as the ledger knows it; the creator org serves the bytes. */
export interface InitialBlob {
  /** SHA-256 hex of the FLW1-encoded initial weights. */
  digest: string;
  byteLength: number;
  weightShapes: number[][];
}

/**
 * Models with at least this many parameters go through the blob path (ADR 0022, docs/performance.md
 * §0d): the paths' round times cross between 30k and 100k parameters, but below 250k the blob path
 * saves at most about half a second per round while the private-data path keeps secure
 * aggregation, DP budgets and contribution scoring; from 250k on private data costs seconds per round.
 */
export const BLOB_PATH_MIN_PARAMS = 250_000;

/** Largest blob-path model: 1 GiB of FLW1 bytes (about 268M float32 parameters), a gateway's memory, not Fabric's. */
export const MAX_BLOB_BYTES = 1024 * 1024 * 1024;

/** The weights path for a model of `params` parameters: blob from `minBlobParams` up. */
export function chooseWeightsPath(
  params: number,
  minBlobParams: number = BLOB_PATH_MIN_PARAMS,
): WeightsPath {
  return params >= minBlobParams ? 'blob' : 'private-data';
}

/**
 * One org's claim, on the blob path, that re-running the federation's strategy over the round's
 * updates (every blob checked against its ledger digest) gives the model `modelHash` with these
 * contributions. The round's model is accepted when a majority of participants attest the same.
 */
export interface AggregateAttestation {
  federationId: string;
  round: number;
  mspId: MspId;
  modelHash: string;
  byteLength: number;
  /** The strategy's diagnostics, one per update sorted by MSP id (the inputs, with their digests). */
  contributors: Contribution[];
  attestedBy: string;
  attestedAt: string;
  txId: string;
}

/** Per-feature affine scaling: one `center` and one positive `scale` per feature column, in order. */
export interface FeatureScaling {
  center: number[];
  scale: number[];
}

export const DEFAULT_MAX_UPDATE_BYTES = 32 * 1024 * 1024;

export type FederationStatus = 'pending' | 'running' | 'completed' | 'cancelled';

export interface Federation extends FederationSpec {
  creatorMsp: MspId;
  status: FederationStatus;
  /** 0 before start; the open round while running; the last round once completed. */
  currentRound: number;
  /** Orgs that accepted (the creator's org included), sorted. Derived from per-org keys on read. */
  participants: MspId[];
  weightShapes: number[][];
  paramCount: number;
  initialModelHash: string;
  createdAt: string;
  txId: string;
  startedAt?: string;
  endedAt?: string;
  cancelReason?: string;
  /** Schema federations: the consortium's imputation values, fixed at start from the data profiles. */
  imputation?: Imputation;
}

export type RoundStatus = 'open' | 'aggregated';

export interface Round {
  federationId: string;
  round: number;
  status: RoundStatus;
  openedAt: string;
  deadline: string;
  /** Orgs that submitted an update for this round, sorted. Derived on read. */
  submitted: MspId[];
  aggregatedAt?: string;
  modelVersion?: number;
  /** Participants that reported they could not train this round, with why (derived on read; absent when none). */
  failed?: { mspId: MspId; reason: string }[];
}

export interface UpdateMetadata {
  federationId: string;
  round: number;
  mspId: MspId;
  numSamples: number;
  /** SHA-256 hex of the encoded weights (see weights codec). */
  digest: string;
  /** L2 norm of the update's difference from the round's starting global model. */
  norm: number;
  byteLength: number;
  metrics: Record<string, number>;
  /** True under secure aggregation: the stored update is masked, `digest` is of the masked bytes and `norm` is 0 (unknowable). */
  masked?: boolean;
  /** Blob path: the org whose gateway serves the bytes (the submitter); `norm` is then 0 (not computed on chain). */
  servedBy?: MspId;
  submittedBy: string;
  submittedAt: string;
  txId: string;
}

export interface Contribution {
  mspId: MspId;
  numSamples: number;
  digest: string;
  accepted: boolean;
  /** Share of the new model this update carried (0 when rejected). */
  weight: number;
  /** Strategy-specific score, e.g. Krum score or distance to the aggregate. */
  score?: number;
  reason?: string;
}

/** The TensorFlow.js backends a gateway can train and evaluate on (what an evaluation record may name). */
export const TRAINING_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type TrainingBackend = (typeof TRAINING_BACKENDS)[number];

export interface Evaluation {
  federationId: string;
  version: number;
  mspId: MspId;
  numSamples: number;
  metrics: Record<string, number>;
  /** The backend the org evaluated on; absent when the org did not say (records before it existed). */
  backend?: TrainingBackend;
  recordedAt: string;
  txId: string;
}

export interface ModelVersion {
  federationId: string;
  /** 0 is the creator's initial model; version r is the aggregate of round r. */
  version: number;
  round: number;
  modelHash: string;
  parentHash: string | null;
  strategy: StrategyConfig;
  contributors: Contribution[];
  paramCount: number;
  weightShapes: number[][];
  /**
   * SHA-256 of the strategy's optimizer state saved (privately) with this version, e.g. FedAdam's
   * moments; absent when the strategy keeps none. The next aggregation checks the state against it.
   */
  serverStateHash?: string;
  /** Blob path: the orgs whose gateways hold and serve these weights (the creator, or the attesting majority). */
  servedBy?: MspId[];
  createdAt: string;
  txId: string;
  /** Derived on read from per-org keys. */
  evaluations: Evaluation[];
  /** Derived on read from per-org keys. */
  approvals: MspId[];
  approvalsRequired: number;
  /** True once a majority of the federation's participants approved. */
  deployed: boolean;
}

export interface PredictionReceipt {
  federationId: string;
  version: number;
  modelHash: string;
  inputHash: string;
  outputHash: string;
  count: number;
  requesterMsp: MspId;
  requesterId: string;
  recordedAt: string;
  txId: string;
}

/** One model version, named by its federation and version number. */
export interface ModelVersionRef {
  federationId: string;
  version: number;
}

export interface ModelVerification {
  modelHash: string;
  found: boolean;
  /** The first version that produced this hash (and its round and creation time). */
  federationId?: string;
  version?: number;
  round?: number;
  createdAt?: string;
  /** Every version whose weights have this hash, by federation id then version (present when found). */
  versions?: ModelVersionRef[];
}

export interface AuditEntry {
  txId: string;
  timestamp: string;
  actorMsp: MspId;
  actorId: string;
  /** The transaction name, e.g. `SubmitUpdate`. */
  action: string;
  /** What the transaction acted on, e.g. `federation/fed-1/round/2`. */
  target: string;
  federationId?: string;
  details?: Record<string, unknown>;
}

export interface KeyHistoryEntry {
  txId: string;
  timestamp: string;
  isDelete: boolean;
  value: unknown;
}

/** One page of a paginated listing; `bookmark` is empty when there is nothing more. */
export interface Page<T> {
  items: T[];
  bookmark: string;
}
