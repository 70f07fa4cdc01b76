import type { RecordType } from './record';

/** Describes a chunked private blob: how many chunks, total size, and the SHA-256 of the whole. */
export interface BlobManifest {
  byteLength: number;
  chunkCount: number;
  digest: string;
  /** Names of the tensors in the blob, when they are not model weights (server optimizer state). */
  labels?: string[];
}

export const blobManifestRecord: RecordType<BlobManifest> = {
  name: 'blob manifest',
  read: (r) => ({
    byteLength: r.integer('byteLength', { min: 0 }),
    chunkCount: r.integer('chunkCount', { min: 1 }),
    digest: r.hex64('digest'),
    labels: r.has('labels')
      ? r.stringArray('labels', { unique: true })
      : (r.optionalRaw('labels') as undefined),
  }),
};
