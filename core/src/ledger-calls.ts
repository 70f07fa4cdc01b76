import { canonicalJson } from './canonical-json';
import { TRANSIENT, TX, type LedgerApi } from './ledger-api';
import { evaluateBytesCall, evaluateCall, submitCall, type LedgerCall } from './ledger-call';

/** Every `LedgerApi` method as its {@link LedgerCall}; a method without an entry, or an entry of the wrong shape, does not compile. */
export type LedgerCalls = {
  readonly [M in keyof LedgerApi]: LedgerCall<
    Parameters<LedgerApi[M]>,
    Awaited<ReturnType<LedgerApi[M]>>
  >;
};

/** A method's parameters and result, for entries whose `args` use fewer parameters than `transient` (inference would stop at `args`). */
type In<M extends keyof LedgerApi> = Parameters<LedgerApi[M]>;
type Out<M extends keyof LedgerApi> = Awaited<ReturnType<LedgerApi[M]>>;

/**
 * The one mapping of `LedgerApi` onto the chaincode (ADR 0025): contract, transaction, submit or
 * evaluate, argument strings, transient entries and result decoding. The Fabric client and the
 * in-process simulator both execute these entries, so the bytes they send cannot drift apart.
 * Numbers go as decimal strings (the chaincode's `parseIntegerArg`), objects as canonical JSON
 * (its `parseJson`); weights only ever in the transient map.
 */
export const LEDGER_CALLS: LedgerCalls = {
  initConsortium: submitCall('consortium', TX.consortium.InitConsortium, (members) => [
    canonicalJson(members),
  ]),
  getConsortium: evaluateCall('consortium', TX.consortium.GetConsortium, () => []),
  proposeRoleChange: submitCall('consortium', TX.consortium.ProposeRoleChange, (mspId, role) => [
    mspId,
    role,
  ]),
  approveRoleChange: submitCall('consortium', TX.consortium.ApproveRoleChange, (proposalId) => [
    proposalId,
  ]),
  getRoleChange: evaluateCall('consortium', TX.consortium.GetRoleChange, (proposalId) => [
    proposalId,
  ]),

  // A blob-path spec (`initialBlob`) comes with empty weights and sends no transient entry.
  createFederation: submitCall<In<'createFederation'>, Out<'createFederation'>>(
    'federation',
    TX.federation.CreateFederation,
    (spec) => [canonicalJson(spec)],
    (_spec, initialWeights) =>
      initialWeights.length > 0 ? { [TRANSIENT.initialWeights]: initialWeights } : undefined,
  ),
  acceptInvitation: submitCall('federation', TX.federation.AcceptInvitation, (federationId) => [
    federationId,
  ]),
  startFederation: submitCall('federation', TX.federation.StartFederation, (federationId) => [
    federationId,
  ]),
  cancelFederation: submitCall(
    'federation',
    TX.federation.CancelFederation,
    (federationId, reason) => [federationId, reason],
  ),
  getFederation: evaluateCall('federation', TX.federation.GetFederation, (federationId) => [
    federationId,
  ]),
  listFederations: evaluateCall(
    'federation',
    TX.federation.ListFederations,
    (pageSize, bookmark) => [String(pageSize), bookmark],
  ),

  submitUpdate: submitCall<In<'submitUpdate'>, Out<'submitUpdate'>>(
    'round',
    TX.round.SubmitUpdate,
    (input) => [
      input.federationId,
      String(input.round),
      String(input.numSamples),
      input.digest,
      canonicalJson(input.metrics),
    ],
    (_input, weights) => ({ [TRANSIENT.weights]: weights }),
  ),
  submitBlobUpdate: submitCall('round', TX.round.SubmitBlobUpdate, (input, byteLength) => [
    input.federationId,
    String(input.round),
    String(input.numSamples),
    input.digest,
    String(byteLength),
    canonicalJson(input.metrics),
  ]),
  attestAggregate: submitCall('round', TX.round.AttestAggregate, (input) => [
    input.federationId,
    String(input.round),
    input.modelHash,
    String(input.byteLength),
    canonicalJson(input.contributors),
  ]),
  listAttestations: evaluateCall('round', TX.round.ListAttestations, (federationId, round) => [
    federationId,
    String(round),
  ]),
  aggregate: submitCall('round', TX.round.Aggregate, (federationId, round) => [
    federationId,
    String(round),
  ]),
  getRound: evaluateCall('round', TX.round.GetRound, (federationId, round) => [
    federationId,
    String(round),
  ]),
  listUpdates: evaluateCall('round', TX.round.ListUpdates, (federationId, round) => [
    federationId,
    String(round),
  ]),
  // An empty backend argument means "not stated" to the chaincode.
  recordEvaluation: submitCall(
    'round',
    TX.round.RecordEvaluation,
    (federationId, version, numSamples, metrics, backend) => [
      federationId,
      String(version),
      String(numSamples),
      canonicalJson(metrics),
      backend ?? '',
    ],
  ),

  getModelVersion: evaluateCall('model', TX.model.GetModelVersion, (federationId, version) => [
    federationId,
    String(version),
  ]),
  listModelVersions: evaluateCall('model', TX.model.ListModelVersions, (federationId) => [
    federationId,
  ]),
  getModelSelection: evaluateCall('model', TX.model.GetModelSelection, (federationId, metric) => [
    federationId,
    metric,
  ]),
  getGlobalWeights: evaluateBytesCall(
    'model',
    TX.model.GetGlobalWeights,
    (federationId, version) => [federationId, String(version)],
  ),
  approveModel: submitCall('model', TX.model.ApproveModel, (federationId, version) => [
    federationId,
    String(version),
  ]),
  recordPrediction: submitCall('model', TX.model.RecordPrediction, (input) => [
    input.federationId,
    String(input.version),
    input.inputHash,
    input.outputHash,
    String(input.count),
  ]),
  verifyModelHash: evaluateCall('model', TX.model.VerifyModelHash, (modelHash) => [modelHash]),

  listTimeline: evaluateCall('audit', TX.audit.ListTimeline, (federationId, pageSize, bookmark) => [
    federationId,
    String(pageSize),
    bookmark,
  ]),
  listConsortiumTimeline: evaluateCall(
    'audit',
    TX.audit.ListConsortiumTimeline,
    (pageSize, bookmark) => [String(pageSize), bookmark],
  ),
  getKeyHistory: evaluateCall('audit', TX.audit.GetKeyHistory, (objectType, attributes) => [
    objectType,
    canonicalJson(attributes),
  ]),

  recordDataProfile: submitCall('data', TX.data.RecordDataProfile, (federationId, profile) => [
    federationId,
    canonicalJson(profile),
  ]),
  listDataProfiles: evaluateCall('data', TX.data.ListDataProfiles, (federationId) => [
    federationId,
  ]),
  reportTrainingFailure: submitCall(
    'data',
    TX.data.ReportTrainingFailure,
    (federationId, round, reason) => [federationId, String(round), reason],
  ),

  getCoalitionPlan: evaluateCall(
    'incentive',
    TX.incentive.GetCoalitionPlan,
    (federationId, round) => [federationId, String(round)],
  ),
  getUpdateWeights: evaluateBytesCall(
    'incentive',
    TX.incentive.GetUpdateWeights,
    (federationId, round, mspId) => [federationId, String(round), mspId],
  ),
  recordUtilities: submitCall(
    'incentive',
    TX.incentive.RecordUtilities,
    (federationId, round, numSamples, utilities) => [
      federationId,
      String(round),
      String(numSamples),
      canonicalJson(utilities),
    ],
  ),
  listUtilities: evaluateCall('incentive', TX.incentive.ListUtilities, (federationId, round) => [
    federationId,
    String(round),
  ]),
  settleContributions: submitCall(
    'incentive',
    TX.incentive.SettleContributions,
    (federationId, round) => [federationId, String(round)],
  ),
  getContributions: evaluateCall(
    'incentive',
    TX.incentive.GetContributions,
    (federationId, round) => [federationId, String(round)],
  ),
  listContributions: evaluateCall('incentive', TX.incentive.ListContributions, (federationId) => [
    federationId,
  ]),
  getRewardBalances: evaluateCall('incentive', TX.incentive.GetRewardBalances, (federationId) => [
    federationId,
  ]),

  registerMaskingKey: submitCall(
    'privacy',
    TX.privacy.RegisterMaskingKey,
    (federationId, publicKey) => [federationId, publicKey],
  ),
  listMaskingKeys: evaluateCall('privacy', TX.privacy.ListMaskingKeys, (federationId) => [
    federationId,
  ]),
  closeSubmissions: submitCall('privacy', TX.privacy.CloseSubmissions, (federationId, round) => [
    federationId,
    String(round),
  ]),
  getSubmitterSet: evaluateCall('privacy', TX.privacy.GetSubmitterSet, (federationId, round) => [
    federationId,
    String(round),
  ]),
  revealPairSeeds: submitCall(
    'privacy',
    TX.privacy.RevealPairSeeds,
    (federationId, round, seeds) => [federationId, String(round), canonicalJson(seeds)],
  ),
  listPairSeedReveals: evaluateCall(
    'privacy',
    TX.privacy.ListPairSeedReveals,
    (federationId, round) => [federationId, String(round)],
  ),
  getStoredUpdate: evaluateBytesCall(
    'privacy',
    TX.privacy.GetStoredUpdate,
    (federationId, round, mspId) => [federationId, String(round), mspId],
  ),
  getPrivacyBudget: evaluateCall('privacy', TX.privacy.GetPrivacyBudget, (federationId) => [
    federationId,
  ]),
};
