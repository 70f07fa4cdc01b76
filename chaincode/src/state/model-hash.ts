import type { RecordType } from './record';

/** Index from a model hash to the first version that produced it, for `VerifyModelHash`. */
export interface ModelHashRecord {
  modelHash: string;
  federationId: string;
  version: number;
}

export const modelHashRecord: RecordType<ModelHashRecord> = {
  name: 'model hash index',
  read: (r) => ({
    modelHash: r.hex64('modelHash'),
    federationId: r.string('federationId', { min: 1 }),
    version: r.integer('version', { min: 0 }),
  }),
};
