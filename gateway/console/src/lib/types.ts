// The parts of the gateway's REST answers the console reads (full shapes: docs/api/openapi.json).

export type Role = 'admin' | 'scientist' | 'auditor';

export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  org: string;
}

export interface Health {
  status: string;
  org: string;
  version: string;
  ledger: { reachable: boolean; mode: string; error: string | null };
}

export interface Federation {
  id: string;
  name: string;
  description?: string;
  creatorMsp: string;
  status: 'pending' | 'running' | 'completed' | 'cancelled';
  currentRound: number;
  rounds: number;
  participants: string[];
  invitedOrgs: string[];
  minParticipants: number;
  featureColumns: string[];
  labelColumn: string;
  strategy: { name: string };
  /** Present when the participants score contributions (ADR 0018); `creditsPerRound` is the reward pool. */
  incentives?: { creditsPerRound?: number };
  createdAt: string;
}

/** A settled round (ContributionReportDto), as much as the console shows. */
export interface ContributionReport {
  round: number;
  contributions: Array<{ mspId: string; shapley: number; credits: number }>;
  creditsAllocated: number;
  settledBy: string;
  txId: string;
}

export interface RewardBalance {
  mspId: string;
  credits: number;
}

/** Why a round is or is not settled (SettlementStatusDto). */
export interface SettlementStatus {
  round: number;
  settled: boolean;
  missing: string[];
  settleableNow: boolean;
  majorityNeeded: number;
  majorityFrom: string;
  automation?: {
    state: 'working' | 'waiting' | 'retrying';
    attempts: number;
    lastError?: { code: string; message: string; at: string };
    nextAttemptAt?: string;
  };
}

export interface Update {
  round: number;
  mspId: string;
  numSamples: number;
  digest: string;
  txId: string;
}

export interface FederationStatus {
  federationId: string;
  status: Federation['status'];
  currentRound: number;
  rounds: number;
  participants: string[];
  round: { round: number; status: string; deadline?: string } | null;
  submissions: Update[];
  localDatasetId: string | null;
}

export interface Contribution {
  mspId: string;
  numSamples: number;
  digest: string;
  accepted: boolean;
  weight: number;
  reason?: string;
}

export interface Evaluation {
  mspId: string;
  numSamples: number;
  metrics: Record<string, number>;
  recordedAt: string;
  txId: string;
}

export interface ModelVersion {
  federationId: string;
  version: number;
  round: number;
  modelHash: string;
  parentHash: string | null;
  contributors: Contribution[];
  paramCount: number;
  createdAt: string;
  txId: string;
  evaluations: Evaluation[];
  approvals: string[];
  approvalsRequired: number;
  deployed: boolean;
}

export interface Verification {
  modelHash: string;
  found: boolean;
  federationId?: string;
  version?: number;
  round?: number;
  createdAt?: string;
}

export interface AuditEntry {
  txId: string;
  timestamp: string;
  actorMsp: string;
  actorId: string;
  action: string;
  target: string;
  federationId?: string;
  details?: Record<string, unknown>;
}

export interface AuditPage {
  items: AuditEntry[];
  bookmark: string;
}

export interface KeyHistoryEntry {
  txId: string;
  timestamp: string;
  isDelete: boolean;
  value: unknown;
}

export interface Dataset {
  id: string;
  source: 'csv' | 'synthetic';
  path: string;
  labelColumn: string;
  featureColumns: string[];
  numRows: number;
  numTrain: number;
  numValidation: number;
  positiveRate: number;
  fileSha256: string;
  registeredAt: string;
}

export interface Consortium {
  members: Array<{ mspId: string; role: string }>;
}

export interface TrainingProgress {
  jobId: string;
  federationId: string;
  round: number;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
}

export interface PredictionResult {
  predictions: number[][];
  receipt: {
    modelHash: string;
    inputHash: string;
    outputHash: string;
    count: number;
    requesterMsp: string;
    recordedAt: string;
    txId: string;
  };
}
