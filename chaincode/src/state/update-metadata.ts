import type { UpdateMetadata } from '@fedledger/core';
import type { RecordType } from './record';

/** Public metadata of one org's update in one round; the weights themselves are private data. */
export const updateMetadataRecord: RecordType<UpdateMetadata> = {
  name: 'update',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    round: r.integer('round', { min: 1 }),
    mspId: r.string('mspId', { min: 1 }),
    numSamples: r.integer('numSamples', { min: 1 }),
    digest: r.hex64('digest'),
    norm: r.number('norm', { min: 0 }),
    byteLength: r.integer('byteLength', { min: 0 }),
    metrics: r.numberMap('metrics'),
    ...(r.has('masked') ? { masked: r.boolean('masked') } : {}),
    ...(r.has('servedBy') ? { servedBy: r.string('servedBy', { min: 1 }) } : {}),
    submittedBy: r.string('submittedBy'),
    submittedAt: r.string('submittedAt'),
    txId: r.string('txId'),
  }),
};
