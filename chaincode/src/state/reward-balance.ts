import type { RewardBalance } from '@fedledger/core';
import type { RecordType } from './record';

/** One org's credits in one federation (written only by SettleContributions). */
export const rewardBalanceRecord: RecordType<RewardBalance> = {
  name: 'reward balance',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    mspId: r.string('mspId', { min: 1 }),
    credits: r.integer('credits', { min: 0 }),
    rounds: r.array('rounds').map((round, i) => {
      if (!Number.isSafeInteger(round) || (round as number) < 1)
        r.fail(`rounds[${i}]`, 'must be a positive integer');
      return round as number;
    }),
    updatedAt: r.string('updatedAt'),
    txId: r.string('txId'),
  }),
};
