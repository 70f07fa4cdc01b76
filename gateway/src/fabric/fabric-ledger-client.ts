import { CommitError, type Contract, type Network, type ProposalOptions } from '@hyperledger/fabric-gateway';
import {
  CONTRACT,
  FedLedgerError,
  TRANSIENT,
  TX,
  canonicalJson,
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
import { noteCommittedBlock } from '../ledger/ledger-session';
import { mapFabricError } from './fabric-error-mapper';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withMvccRetry } from './mvcc-retry';
import { decodeBase64Result, decodeJsonResult } from './result-decoding';

type ContractName = keyof typeof CONTRACT;

export interface FabricLedgerClientOptions {
  retry?: RetryPolicy;
  /** Whether the gRPC connection under the network is still open (see {@link FabricConnection}). */
  isOpen?: () => boolean;
  /** Told about each MVCC/phantom conflict that is retried, with the transaction name. */
  onConflictRetry?: (transaction: string, error: CommitError) => void;
}

/**
 * {@link LedgerApi} over a Fabric channel for one signing identity. Reads are evaluated, writes
 * submitted and awaited until committed; weights travel only in the transient map. Every failure
 * leaves as a FedLedgerError (see {@link mapFabricError}); MVCC read conflicts are retried.
 */
export class FabricLedgerClient implements LedgerApi {
  readonly #contracts: Record<ContractName, Contract>;
  readonly #retry: RetryPolicy;
  readonly #isOpen: () => boolean;
  readonly #onConflictRetry: (transaction: string, error: CommitError) => void;

  constructor(network: Network, chaincodeName: string, options: FabricLedgerClientOptions = {}) {
    this.#contracts = {
      consortium: network.getContract(chaincodeName, CONTRACT.consortium),
      federation: network.getContract(chaincodeName, CONTRACT.federation),
      round: network.getContract(chaincodeName, CONTRACT.round),
      model: network.getContract(chaincodeName, CONTRACT.model),
      audit: network.getContract(chaincodeName, CONTRACT.audit),
      data: network.getContract(chaincodeName, CONTRACT.data),
      incentive: network.getContract(chaincodeName, CONTRACT.incentive),
      privacy: network.getContract(chaincodeName, CONTRACT.privacy),
    };
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#isOpen = options.isOpen ?? (() => true);
    this.#onConflictRetry = options.onConflictRetry ?? (() => undefined);
  }

  initConsortium(members: ConsortiumMember[]): Promise<Consortium> {
    return this.#submit('consortium', TX.consortium.InitConsortium, [canonicalJson(members)]);
  }
  getConsortium(): Promise<Consortium> {
    return this.#evaluate('consortium', TX.consortium.GetConsortium, []);
  }
  proposeRoleChange(mspId: MspId, role: OrgRole): Promise<RoleChangeProposal> {
    return this.#submit('consortium', TX.consortium.ProposeRoleChange, [mspId, role]);
  }
  approveRoleChange(proposalId: string): Promise<RoleChangeProposal> {
    return this.#submit('consortium', TX.consortium.ApproveRoleChange, [proposalId]);
  }
  getRoleChange(proposalId: string): Promise<RoleChangeProposal> {
    return this.#evaluate('consortium', TX.consortium.GetRoleChange, [proposalId]);
  }

  createFederation(spec: FederationSpec, initialWeights: Uint8Array): Promise<Federation> {
    return this.#submit('federation', TX.federation.CreateFederation, [canonicalJson(spec)], initialWeights.length > 0 ? { [TRANSIENT.initialWeights]: initialWeights } : undefined);
  }
  acceptInvitation(federationId: string): Promise<Federation> {
    return this.#submit('federation', TX.federation.AcceptInvitation, [federationId]);
  }
  startFederation(federationId: string): Promise<Federation> {
    return this.#submit('federation', TX.federation.StartFederation, [federationId]);
  }
  cancelFederation(federationId: string, reason: string): Promise<Federation> {
    return this.#submit('federation', TX.federation.CancelFederation, [federationId, reason]);
  }
  getFederation(federationId: string): Promise<Federation> {
    return this.#evaluate('federation', TX.federation.GetFederation, [federationId]);
  }
  listFederations(pageSize: number, bookmark: string): Promise<Page<Federation>> {
    return this.#evaluate('federation', TX.federation.ListFederations, [String(pageSize), bookmark]);
  }

  submitUpdate(input: SubmitUpdateInput, weights: Uint8Array): Promise<UpdateMetadata> {
    const args = [input.federationId, String(input.round), String(input.numSamples), input.digest, canonicalJson(input.metrics)];
    return this.#submit('round', TX.round.SubmitUpdate, args, { [TRANSIENT.weights]: weights });
  }
  submitBlobUpdate(input: SubmitUpdateInput, byteLength: number): Promise<UpdateMetadata> {
    const args = [input.federationId, String(input.round), String(input.numSamples), input.digest, String(byteLength), canonicalJson(input.metrics)];
    return this.#submit('round', TX.round.SubmitBlobUpdate, args);
  }
  attestAggregate(input: AttestAggregateInput): Promise<AggregateAttestation> {
    const args = [input.federationId, String(input.round), input.modelHash, String(input.byteLength), canonicalJson(input.contributors)];
    return this.#submit('round', TX.round.AttestAggregate, args);
  }
  listAttestations(federationId: string, round: number): Promise<AggregateAttestation[]> {
    return this.#evaluate('round', TX.round.ListAttestations, [federationId, String(round)]);
  }
  /**
   * Not retried on an MVCC conflict: the transaction it lost to can only have been another
   * Aggregate of the same round (or its deadline bookkeeping), so a retry would re-run the whole
   * strategy on the endorsing peers just to be told ROUND_CLOSED. The CONFLICT goes to the caller.
   */
  aggregate(federationId: string, round: number): Promise<ModelVersion> {
    return this.#submit('round', TX.round.Aggregate, [federationId, String(round)], undefined, { retryConflicts: false });
  }
  getRound(federationId: string, round: number): Promise<Round> {
    return this.#evaluate('round', TX.round.GetRound, [federationId, String(round)]);
  }
  listUpdates(federationId: string, round: number): Promise<UpdateMetadata[]> {
    return this.#evaluate('round', TX.round.ListUpdates, [federationId, String(round)]);
  }
  recordEvaluation(federationId: string, version: number, numSamples: number, metrics: Record<string, number>, backend?: TrainingBackend): Promise<Evaluation> {
    return this.#submit('round', TX.round.RecordEvaluation, [federationId, String(version), String(numSamples), canonicalJson(metrics), backend ?? '']);
  }

  getModelVersion(federationId: string, version: number): Promise<ModelVersion> {
    return this.#evaluate('model', TX.model.GetModelVersion, [federationId, String(version)]);
  }
  listModelVersions(federationId: string): Promise<ModelVersion[]> {
    return this.#evaluate('model', TX.model.ListModelVersions, [federationId]);
  }
  async getGlobalWeights(federationId: string, version: number): Promise<Uint8Array> {
    const bytes = await this.#call(() => this.#contracts.model.evaluate(TX.model.GetGlobalWeights, { arguments: [federationId, String(version)] }));
    return decodeBase64Result(bytes, TX.model.GetGlobalWeights);
  }
  approveModel(federationId: string, version: number): Promise<ModelVersion> {
    return this.#submit('model', TX.model.ApproveModel, [federationId, String(version)]);
  }
  recordPrediction(input: RecordPredictionInput): Promise<PredictionReceipt> {
    const args = [input.federationId, String(input.version), input.inputHash, input.outputHash, String(input.count)];
    return this.#submit('model', TX.model.RecordPrediction, args);
  }
  verifyModelHash(modelHash: string): Promise<ModelVerification> {
    return this.#evaluate('model', TX.model.VerifyModelHash, [modelHash]);
  }

  listTimeline(federationId: string, pageSize: number, bookmark: string): Promise<Page<AuditEntry>> {
    return this.#evaluate('audit', TX.audit.ListTimeline, [federationId, String(pageSize), bookmark]);
  }
  listConsortiumTimeline(pageSize: number, bookmark: string): Promise<Page<AuditEntry>> {
    return this.#evaluate('audit', TX.audit.ListConsortiumTimeline, [String(pageSize), bookmark]);
  }
  getKeyHistory(objectType: string, attributes: string[]): Promise<KeyHistoryEntry[]> {
    return this.#evaluate('audit', TX.audit.GetKeyHistory, [objectType, JSON.stringify(attributes)]);
  }

  recordDataProfile(federationId: string, profile: DataProfileInput): Promise<DataProfile> {
    return this.#submit('data', TX.data.RecordDataProfile, [federationId, canonicalJson(profile)]);
  }
  listDataProfiles(federationId: string): Promise<DataProfile[]> {
    return this.#evaluate('data', TX.data.ListDataProfiles, [federationId]);
  }
  reportTrainingFailure(federationId: string, round: number, reason: string): Promise<TrainingFailure> {
    return this.#submit('data', TX.data.ReportTrainingFailure, [federationId, String(round), reason]);
  }
  getModelSelection(federationId: string, metric: SelectionMetric): Promise<ModelSelection> {
    return this.#evaluate('model', TX.model.GetModelSelection, [federationId, metric]);
  }
  getCoalitionPlan(federationId: string, round: number): Promise<CoalitionPlan> {
    return this.#evaluate('incentive', TX.incentive.GetCoalitionPlan, [federationId, String(round)]);
  }
  async getUpdateWeights(federationId: string, round: number, mspId: string): Promise<Uint8Array> {
    const bytes = await this.#call(() => this.#contracts.incentive.evaluate(TX.incentive.GetUpdateWeights, { arguments: [federationId, String(round), mspId] }));
    return decodeBase64Result(bytes, TX.incentive.GetUpdateWeights);
  }
  recordUtilities(federationId: string, round: number, numSamples: number, utilities: Record<string, number>): Promise<UtilityRecord> {
    return this.#submit('incentive', TX.incentive.RecordUtilities, [federationId, String(round), String(numSamples), canonicalJson(utilities)]);
  }
  listUtilities(federationId: string, round: number): Promise<UtilityRecord[]> {
    return this.#evaluate('incentive', TX.incentive.ListUtilities, [federationId, String(round)]);
  }
  settleContributions(federationId: string, round: number): Promise<ContributionReport> {
    return this.#submit('incentive', TX.incentive.SettleContributions, [federationId, String(round)]);
  }
  getContributions(federationId: string, round: number): Promise<ContributionReport> {
    return this.#evaluate('incentive', TX.incentive.GetContributions, [federationId, String(round)]);
  }
  listContributions(federationId: string): Promise<ContributionReport[]> {
    return this.#evaluate('incentive', TX.incentive.ListContributions, [federationId]);
  }
  getRewardBalances(federationId: string): Promise<RewardBalance[]> {
    return this.#evaluate('incentive', TX.incentive.GetRewardBalances, [federationId]);
  }
  registerMaskingKey(federationId: string, publicKey: string): Promise<MaskingKeyRecord> {
    return this.#submit('privacy', TX.privacy.RegisterMaskingKey, [federationId, publicKey]);
  }
  listMaskingKeys(federationId: string): Promise<MaskingKeyRecord[]> {
    return this.#evaluate('privacy', TX.privacy.ListMaskingKeys, [federationId]);
  }
  closeSubmissions(federationId: string, round: number): Promise<SubmitterSet> {
    return this.#submit('privacy', TX.privacy.CloseSubmissions, [federationId, String(round)]);
  }
  getSubmitterSet(federationId: string, round: number): Promise<SubmitterSet> {
    return this.#evaluate('privacy', TX.privacy.GetSubmitterSet, [federationId, String(round)]);
  }
  revealPairSeeds(federationId: string, round: number, seeds: Record<string, string>): Promise<PairSeedReveal> {
    return this.#submit('privacy', TX.privacy.RevealPairSeeds, [federationId, String(round), canonicalJson(seeds)]);
  }
  listPairSeedReveals(federationId: string, round: number): Promise<PairSeedReveal[]> {
    return this.#evaluate('privacy', TX.privacy.ListPairSeedReveals, [federationId, String(round)]);
  }
  async getStoredUpdate(federationId: string, round: number, mspId: string): Promise<Uint8Array> {
    const bytes = await this.#call(() => this.#contracts.privacy.evaluate(TX.privacy.GetStoredUpdate, { arguments: [federationId, String(round), mspId] }));
    return decodeBase64Result(bytes, TX.privacy.GetStoredUpdate);
  }
  getPrivacyBudget(federationId: string): Promise<PrivacyBudget> {
    return this.#evaluate('privacy', TX.privacy.GetPrivacyBudget, [federationId]);
  }

  async #evaluate<T>(contract: ContractName, transaction: string, args: string[]): Promise<T> {
    const bytes = await this.#call(() => this.#contracts[contract].evaluate(transaction, { arguments: args }));
    return decodeJsonResult<T>(bytes, transaction);
  }

  async #submit<T>(contract: ContractName, transaction: string, args: string[], transientData?: Record<string, Uint8Array>, { retryConflicts = true } = {}): Promise<T> {
    const options: ProposalOptions = transientData ? { arguments: args, transientData } : { arguments: args };
    const submitOnce = (): Promise<Uint8Array> => submitAndNoteBlock(this.#contracts[contract], transaction, options);
    const policy = retryConflicts ? this.#retry : { ...this.#retry, maxAttempts: 1 };
    const bytes = await this.#call(() => withMvccRetry(submitOnce, policy, undefined, (error) => this.#onConflictRetry(transaction, error)));
    return decodeJsonResult<T>(bytes, transaction);
  }

  async #call(run: () => Promise<Uint8Array>): Promise<Uint8Array> {
    // grpc-js rejects calls on a closed client with a plain Error, which would read as INTERNAL.
    if (!this.#isOpen()) throw new FedLedgerError('LEDGER_UNAVAILABLE', 'the connection to the peer is closed');
    try {
      return await run();
    } catch (error) {
      throw mapFabricError(error);
    }
  }
}

/**
 * `Contract.submit`, except that the block the transaction committed in is noted for the request
 * being served (see ledger-session.ts), so the client can ask other orgs' gateways to wait for it.
 */
async function submitAndNoteBlock(contract: Contract, transaction: string, options: ProposalOptions): Promise<Uint8Array> {
  const submitted = await contract.submitAsync(transaction, options);
  const status = await submitted.getStatus();
  if (!status.successful) {
    throw new CommitError({ code: status.code, transactionId: status.transactionId, message: `transaction ${status.transactionId} failed to commit with status code ${status.code}` });
  }
  noteCommittedBlock(Number(status.blockNumber));
  return submitted.getResult();
}
