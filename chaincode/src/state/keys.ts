import type { Context } from 'fabric-contract-api';

/**
 * Composite-key object types. Every record lives under its own key so that transactions by
 * different orgs (acceptances, submissions, evaluations, approvals, audit entries) write disjoint
 * keys and never MVCC-conflict. Counters are zero-padded so keys sort numerically.
 */
export const KEY = {
  consortium: 'fl.consortium',
  roleChange: 'fl.roleChange',
  federation: 'fl.federation',
  participant: 'fl.participant',
  round: 'fl.round',
  update: 'fl.update',
  modelVersion: 'fl.modelVersion',
  evaluation: 'fl.evaluation',
  approval: 'fl.approval',
  prediction: 'fl.prediction',
  modelHash: 'fl.modelHash',
  modelHashVersion: 'fl.modelHashVersion',
  dataProfile: 'fl.dataProfile',
  trainingFailure: 'fl.trainingFailure',
  auditFederation: 'fl.audit.federation',
  auditConsortium: 'fl.audit.consortium',
  utilities: 'fl.utilities',
  contributionReport: 'fl.contributions',
  rewardBalance: 'fl.rewardBalance',
  maskingKey: 'fl.privacy.maskingKey',
  submitterSet: 'fl.privacy.submitterSet',
  pairReveal: 'fl.privacy.pairReveal',
  privacySpend: 'fl.privacy.spend',
  attestation: 'fl.attestation',
  // Private collection (member orgs only).
  globalWeights: 'fl.weights.global',
  updateWeights: 'fl.weights.update',
  serverState: 'fl.weights.serverState',
} as const;

export type KeyType = (typeof KEY)[keyof typeof KEY];

/** Object types that `GetKeyHistory` may be asked about: public-state records only. */
export const PUBLIC_KEY_TYPES: readonly KeyType[] = [
  KEY.consortium,
  KEY.roleChange,
  KEY.federation,
  KEY.participant,
  KEY.round,
  KEY.update,
  KEY.modelVersion,
  KEY.evaluation,
  KEY.approval,
  KEY.prediction,
  KEY.modelHash,
  KEY.modelHashVersion,
  KEY.dataProfile,
  KEY.trainingFailure,
  KEY.utilities,
  KEY.contributionReport,
  KEY.rewardBalance,
  KEY.maskingKey,
  KEY.submitterSet,
  KEY.pairReveal,
  KEY.privacySpend,
  KEY.attestation,
];

/** Fixed-width decimal for rounds, versions and chunk indexes (≤ 999999). */
export function pad(counter: number): string {
  return counter.toString().padStart(6, '0');
}

/** A composite key of this type and attributes. */
export function key(ctx: Context, type: KeyType, ...attributes: string[]): string {
  return ctx.stub.createCompositeKey(type, attributes);
}
