import {
  CONTRACT,
  TRANSIENT,
  TX,
  type AggregateAttestation,
  type AttestAggregateInput,
  type AuditEntry,
  type CoalitionPlan,
  type Consortium,
  type ContributionReport,
  type ModelSelection,
  type RewardBalance,
  type SelectionMetric,
  type UtilityRecord,
  type ConsortiumMember,
  type DataProfile,
  type DataProfileInput,
  type TrainingFailure,
  type Evaluation,
  type Federation,
  type FederationSpec,
  type KeyHistoryEntry,
  type LedgerApi,
  type ModelVerification,
  type ModelVersion,
  type MspId,
  type OrgRole,
  type Page,
  type PredictionReceipt,
  type RecordPredictionInput,
  type RoleChangeProposal,
  type Round,
  type SubmitUpdateInput,
  type UpdateMetadata,
  type TrainingBackend,
  type MaskingKeyRecord,
  type PairSeedReveal,
  type PrivacyBudget,
  type SubmitterSet,
} from '@fedledger/core';
import type { InvokeMode, TransactionRunner } from './invocation';
import { resolveIdentity, type TestIdentity } from './memory-identity';

/**
 * `LedgerApi` over an {@link InProcessWorld}, bound to one identity. Arguments are turned into the
 * strings (and transient entries) a Fabric client would send; results are the chaincode's JSON.
 */
export class InProcessLedger implements LedgerApi {
  readonly #world: TransactionRunner;
  readonly identity: Required<TestIdentity>;

  constructor(world: TransactionRunner, identity: Required<TestIdentity>) {
    this.#world = world;
    this.identity = identity;
  }

  /** The same ledger acting as another identity. */
  as(identity: TestIdentity): InProcessLedger {
    return new InProcessLedger(this.#world, resolveIdentity(identity));
  }

  initConsortium(members: ConsortiumMember[]): Promise<Consortium> {
    return this.#submit(CONTRACT.consortium, TX.consortium.InitConsortium, [JSON.stringify(members)]);
  }
  getConsortium(): Promise<Consortium> {
    return this.#evaluate(CONTRACT.consortium, TX.consortium.GetConsortium, []);
  }
  proposeRoleChange(mspId: MspId, role: OrgRole): Promise<RoleChangeProposal> {
    return this.#submit(CONTRACT.consortium, TX.consortium.ProposeRoleChange, [mspId, role]);
  }
  approveRoleChange(proposalId: string): Promise<RoleChangeProposal> {
    return this.#submit(CONTRACT.consortium, TX.consortium.ApproveRoleChange, [proposalId]);
  }
  getRoleChange(proposalId: string): Promise<RoleChangeProposal> {
    return this.#evaluate(CONTRACT.consortium, TX.consortium.GetRoleChange, [proposalId]);
  }

  createFederation(spec: FederationSpec, initialWeights: Uint8Array): Promise<Federation> {
    return this.#submit(CONTRACT.federation, TX.federation.CreateFederation, [JSON.stringify(spec)], initialWeights.length > 0 ? { [TRANSIENT.initialWeights]: initialWeights } : undefined);
  }
  acceptInvitation(federationId: string): Promise<Federation> {
    return this.#submit(CONTRACT.federation, TX.federation.AcceptInvitation, [federationId]);
  }
  startFederation(federationId: string): Promise<Federation> {
    return this.#submit(CONTRACT.federation, TX.federation.StartFederation, [federationId]);
  }
  cancelFederation(federationId: string, reason: string): Promise<Federation> {
    return this.#submit(CONTRACT.federation, TX.federation.CancelFederation, [federationId, reason]);
  }
  getFederation(federationId: string): Promise<Federation> {
    return this.#evaluate(CONTRACT.federation, TX.federation.GetFederation, [federationId]);
  }
  listFederations(pageSize: number, bookmark: string): Promise<Page<Federation>> {
    return this.#evaluate(CONTRACT.federation, TX.federation.ListFederations, [String(pageSize), bookmark]);
  }

  submitUpdate(input: SubmitUpdateInput, weights: Uint8Array): Promise<UpdateMetadata> {
    const params = [input.federationId, String(input.round), String(input.numSamples), input.digest, JSON.stringify(input.metrics)];
    return this.#submit(CONTRACT.round, TX.round.SubmitUpdate, params, { [TRANSIENT.weights]: weights });
  }
  submitBlobUpdate(input: SubmitUpdateInput, byteLength: number): Promise<UpdateMetadata> {
    const params = [input.federationId, String(input.round), String(input.numSamples), input.digest, String(byteLength), JSON.stringify(input.metrics)];
    return this.#submit(CONTRACT.round, TX.round.SubmitBlobUpdate, params);
  }
  attestAggregate(input: AttestAggregateInput): Promise<AggregateAttestation> {
    const params = [input.federationId, String(input.round), input.modelHash, String(input.byteLength), JSON.stringify(input.contributors)];
    return this.#submit(CONTRACT.round, TX.round.AttestAggregate, params);
  }
  listAttestations(federationId: string, round: number): Promise<AggregateAttestation[]> {
    return this.#evaluate(CONTRACT.round, TX.round.ListAttestations, [federationId, String(round)]);
  }
  aggregate(federationId: string, round: number): Promise<ModelVersion> {
    return this.#submit(CONTRACT.round, TX.round.Aggregate, [federationId, String(round)]);
  }
  getRound(federationId: string, round: number): Promise<Round> {
    return this.#evaluate(CONTRACT.round, TX.round.GetRound, [federationId, String(round)]);
  }
  listUpdates(federationId: string, round: number): Promise<UpdateMetadata[]> {
    return this.#evaluate(CONTRACT.round, TX.round.ListUpdates, [federationId, String(round)]);
  }
  recordEvaluation(federationId: string, version: number, numSamples: number, metrics: Record<string, number>, backend?: TrainingBackend): Promise<Evaluation> {
    return this.#submit(CONTRACT.round, TX.round.RecordEvaluation, [federationId, String(version), String(numSamples), JSON.stringify(metrics), backend ?? '']);
  }

  getModelVersion(federationId: string, version: number): Promise<ModelVersion> {
    return this.#evaluate(CONTRACT.model, TX.model.GetModelVersion, [federationId, String(version)]);
  }
  listModelVersions(federationId: string): Promise<ModelVersion[]> {
    return this.#evaluate(CONTRACT.model, TX.model.ListModelVersions, [federationId]);
  }
  async getGlobalWeights(federationId: string, version: number): Promise<Uint8Array> {
    const base64 = await this.#world.invoke(this.identity, {
      contract: CONTRACT.model,
      fcn: TX.model.GetGlobalWeights,
      params: [federationId, String(version)],
      mode: 'evaluate',
    });
    return new Uint8Array(Buffer.from(base64, 'base64'));
  }
  approveModel(federationId: string, version: number): Promise<ModelVersion> {
    return this.#submit(CONTRACT.model, TX.model.ApproveModel, [federationId, String(version)]);
  }
  recordPrediction(input: RecordPredictionInput): Promise<PredictionReceipt> {
    const params = [input.federationId, String(input.version), input.inputHash, input.outputHash, String(input.count)];
    return this.#submit(CONTRACT.model, TX.model.RecordPrediction, params);
  }
  verifyModelHash(modelHash: string): Promise<ModelVerification> {
    return this.#evaluate(CONTRACT.model, TX.model.VerifyModelHash, [modelHash]);
  }

  listTimeline(federationId: string, pageSize: number, bookmark: string): Promise<Page<AuditEntry>> {
    return this.#evaluate(CONTRACT.audit, TX.audit.ListTimeline, [federationId, String(pageSize), bookmark]);
  }
  listConsortiumTimeline(pageSize: number, bookmark: string): Promise<Page<AuditEntry>> {
    return this.#evaluate(CONTRACT.audit, TX.audit.ListConsortiumTimeline, [String(pageSize), bookmark]);
  }
  getKeyHistory(objectType: string, attributes: string[]): Promise<KeyHistoryEntry[]> {
    return this.#evaluate(CONTRACT.audit, TX.audit.GetKeyHistory, [objectType, JSON.stringify(attributes)]);
  }

  recordDataProfile(federationId: string, profile: DataProfileInput): Promise<DataProfile> {
    return this.#submit(CONTRACT.data, TX.data.RecordDataProfile, [federationId, JSON.stringify(profile)]);
  }
  listDataProfiles(federationId: string): Promise<DataProfile[]> {
    return this.#evaluate(CONTRACT.data, TX.data.ListDataProfiles, [federationId]);
  }
  reportTrainingFailure(federationId: string, round: number, reason: string): Promise<TrainingFailure> {
    return this.#submit(CONTRACT.data, TX.data.ReportTrainingFailure, [federationId, String(round), reason]);
  }
  getModelSelection(federationId: string, metric: SelectionMetric): Promise<ModelSelection> {
    return this.#evaluate(CONTRACT.model, TX.model.GetModelSelection, [federationId, metric]);
  }
  getCoalitionPlan(federationId: string, round: number): Promise<CoalitionPlan> {
    return this.#evaluate(CONTRACT.incentive, TX.incentive.GetCoalitionPlan, [federationId, String(round)]);
  }
  async getUpdateWeights(federationId: string, round: number, mspId: string): Promise<Uint8Array> {
    const base64 = await this.#world.invoke(this.identity, {
      contract: CONTRACT.incentive,
      fcn: TX.incentive.GetUpdateWeights,
      params: [federationId, String(round), mspId],
      mode: 'evaluate',
    });
    return new Uint8Array(Buffer.from(base64, 'base64'));
  }
  recordUtilities(federationId: string, round: number, numSamples: number, utilities: Record<string, number>): Promise<UtilityRecord> {
    return this.#submit(CONTRACT.incentive, TX.incentive.RecordUtilities, [federationId, String(round), String(numSamples), JSON.stringify(utilities)]);
  }
  listUtilities(federationId: string, round: number): Promise<UtilityRecord[]> {
    return this.#evaluate(CONTRACT.incentive, TX.incentive.ListUtilities, [federationId, String(round)]);
  }
  settleContributions(federationId: string, round: number): Promise<ContributionReport> {
    return this.#submit(CONTRACT.incentive, TX.incentive.SettleContributions, [federationId, String(round)]);
  }
  getContributions(federationId: string, round: number): Promise<ContributionReport> {
    return this.#evaluate(CONTRACT.incentive, TX.incentive.GetContributions, [federationId, String(round)]);
  }
  listContributions(federationId: string): Promise<ContributionReport[]> {
    return this.#evaluate(CONTRACT.incentive, TX.incentive.ListContributions, [federationId]);
  }
  getRewardBalances(federationId: string): Promise<RewardBalance[]> {
    return this.#evaluate(CONTRACT.incentive, TX.incentive.GetRewardBalances, [federationId]);
  }
  registerMaskingKey(federationId: string, publicKey: string): Promise<MaskingKeyRecord> {
    return this.#submit(CONTRACT.privacy, TX.privacy.RegisterMaskingKey, [federationId, publicKey]);
  }
  listMaskingKeys(federationId: string): Promise<MaskingKeyRecord[]> {
    return this.#evaluate(CONTRACT.privacy, TX.privacy.ListMaskingKeys, [federationId]);
  }
  closeSubmissions(federationId: string, round: number): Promise<SubmitterSet> {
    return this.#submit(CONTRACT.privacy, TX.privacy.CloseSubmissions, [federationId, String(round)]);
  }
  getSubmitterSet(federationId: string, round: number): Promise<SubmitterSet> {
    return this.#evaluate(CONTRACT.privacy, TX.privacy.GetSubmitterSet, [federationId, String(round)]);
  }
  revealPairSeeds(federationId: string, round: number, seeds: Record<string, string>): Promise<PairSeedReveal> {
    return this.#submit(CONTRACT.privacy, TX.privacy.RevealPairSeeds, [federationId, String(round), JSON.stringify(seeds)]);
  }
  listPairSeedReveals(federationId: string, round: number): Promise<PairSeedReveal[]> {
    return this.#evaluate(CONTRACT.privacy, TX.privacy.ListPairSeedReveals, [federationId, String(round)]);
  }
  async getStoredUpdate(federationId: string, round: number, mspId: string): Promise<Uint8Array> {
    const base64 = await this.#world.invoke(this.identity, { contract: CONTRACT.privacy, fcn: TX.privacy.GetStoredUpdate, params: [federationId, String(round), mspId], mode: 'evaluate' });
    return new Uint8Array(Buffer.from(base64, 'base64'));
  }
  getPrivacyBudget(federationId: string): Promise<PrivacyBudget> {
    return this.#evaluate(CONTRACT.privacy, TX.privacy.GetPrivacyBudget, [federationId]);
  }

  #submit<T>(contract: string, fcn: string, params: string[], transient?: Record<string, Uint8Array>): Promise<T> {
    return this.#call<T>('submit', contract, fcn, params, transient);
  }

  #evaluate<T>(contract: string, fcn: string, params: string[]): Promise<T> {
    return this.#call<T>('evaluate', contract, fcn, params);
  }

  async #call<T>(mode: InvokeMode, contract: string, fcn: string, params: string[], transient?: Record<string, Uint8Array>): Promise<T> {
    const json = await this.#world.invoke(this.identity, { contract, fcn, params, transient, mode });
    // The chaincode's own canonical JSON of the documented result type.
    return JSON.parse(json) as T;
  }
}
