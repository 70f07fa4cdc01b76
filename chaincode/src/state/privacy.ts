import type { MaskingKeyRecord, PairSeedReveal, PrivacySpend, SubmitterSet } from '@fedledger/core';
import type { RecordType } from './record';

const HEX_SEED = /^[0-9a-f]{64}$/;

export const maskingKeyRecord: RecordType<MaskingKeyRecord> = {
  name: 'masking key',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    mspId: r.string('mspId', { min: 1 }),
    publicKey: r.string('publicKey', { min: 1 }),
    registeredAt: r.string('registeredAt'),
    txId: r.string('txId'),
  }),
};

export const submitterSetRecord: RecordType<SubmitterSet> = {
  name: 'submitter set',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    round: r.integer('round', { min: 1 }),
    submitters: r.stringArray('submitters', { unique: true }),
    dropped: r.stringArray('dropped', { unique: true }),
    closedBy: r.string('closedBy'),
    closedAt: r.string('closedAt'),
    txId: r.string('txId'),
  }),
};

export const pairRevealRecord: RecordType<PairSeedReveal> = {
  name: 'pair seed reveal',
  read: (r) => {
    const seeds = r.object('seeds');
    const federationId = r.string('federationId', { min: 1 });
    const round = r.integer('round', { min: 1 });
    const mspId = r.string('mspId', { min: 1 });
    const revealedAt = r.string('revealedAt');
    const txId = r.string('txId');
    return {
      federationId,
      round,
      mspId,
      seeds: readSeeds(seeds, r.raw('seeds') as Record<string, unknown>),
      revealedAt,
      txId,
    };
  },
};

function readSeeds(
  reader: {
    string(field: string, opts: { pattern: RegExp; patternHint: string }): string;
    done(): void;
  },
  raw: Record<string, unknown>,
): Record<string, string> {
  const seeds: Record<string, string> = {};
  for (const name of Object.keys(raw).sort())
    seeds[name] = reader.string(name, {
      pattern: HEX_SEED,
      patternHint: '64 lowercase hex characters',
    });
  reader.done();
  return seeds;
}

export const privacySpendRecord: RecordType<PrivacySpend> = {
  name: 'privacy spend',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    round: r.integer('round', { min: 1 }),
    epsilonSpent: r.number('epsilonSpent', { min: 0 }),
    epsilonRound: r.number('epsilonRound', { min: 0 }),
    order: r.number('order', { min: 1 }),
    recordedAt: r.string('recordedAt'),
    txId: r.string('txId'),
  }),
};
