/**
 * What the chaincode's tests use: the simulator (and its fixtures) running this chaincode's
 * contracts. Compiled with the tests; no production module imports it.
 */
import {
  InProcessWorld as SimulatedChannel,
  initSampleConsortium,
  type InProcessWorldOptions,
  type SampleConsortium,
} from '@fedledger/simulator';
import { contracts } from '../index';

export * from '@fedledger/simulator';

/** An in-process channel running this chaincode's contracts. */
export class InProcessWorld extends SimulatedChannel {
  constructor(options: Omit<InProcessWorldOptions, 'contracts'> = {}) {
    super({ ...options, contracts });
  }
}

/** A fresh channel running this chaincode with the sample consortium initialized as Org1's admin. */
export function sampleConsortium(
  options: Omit<InProcessWorldOptions, 'contracts'> = {},
): Promise<SampleConsortium> {
  return initSampleConsortium(new InProcessWorld(options));
}

/**
 * The transactions that only read (tagged EVALUATE, audited as reads): written out by hand, as the
 * tests' independent statement of what the contracts must declare.
 */
export const READ_ONLY_TRANSACTIONS: ReadonlySet<string> = new Set([
  'GetConsortium',
  'GetRoleChange',
  'GetFederation',
  'ListFederations',
  'GetRound',
  'ListUpdates',
  'GetModelVersion',
  'ListModelVersions',
  'GetGlobalWeights',
  'VerifyModelHash',
  'ListTimeline',
  'ListConsortiumTimeline',
  'GetKeyHistory',
  'ListDataProfiles',
  'GetModelSelection',
  'GetCoalitionPlan',
  'GetUpdateWeights',
  'ListUtilities',
  'GetContributions',
  'ListContributions',
  'GetRewardBalances',
  'ListMaskingKeys',
  'GetSubmitterSet',
  'ListPairSeedReveals',
  'GetStoredUpdate',
  'GetPrivacyBudget',
  'ListAttestations',
]);
