import type { ContributionReport } from '@fedledger/core';
import type { RecordType } from './record';

/** A settled round's contributions and reward allocation. */
export const contributionReportRecord: RecordType<ContributionReport> = {
  name: 'contribution report',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    round: r.integer('round', { min: 1 }),
    method: r.literal('method', ['exact', 'monte-carlo'] as const),
    permutations: r.optionalInteger('permutations', { min: 1 }),
    coalitions: r.integer('coalitions', { min: 1 }),
    recorders: r.stringArray('recorders', { min: 1 }),
    baselineUtility: r.number('baselineUtility', { min: 0, max: 1 }),
    fullUtility: r.number('fullUtility', { min: 0, max: 1 }),
    contributions: r.objectArray('contributions', (c) => ({
      mspId: c.string('mspId', { min: 1 }),
      shapley: c.number('shapley'),
      numSamples: c.integer('numSamples', { min: 1 }),
      updateNorm: c.number('updateNorm', { min: 0 }),
      cosineToAggregate: c.number('cosineToAggregate', { min: -1, max: 1 }),
      credits: c.integer('credits', { min: 0 }),
    })),
    creditsPerRound: r.optionalInteger('creditsPerRound', { min: 1 }),
    creditsAllocated: r.integer('creditsAllocated', { min: 0 }),
    settledBy: r.string('settledBy', { min: 1 }),
    settledAt: r.string('settledAt'),
    txId: r.string('txId'),
  }),
};
