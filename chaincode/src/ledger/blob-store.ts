import {
  DEFAULT_CHUNK_BYTES,
  FedLedgerError,
  MEMBER_COLLECTION,
  joinChunks,
  sha256Hex,
  splitIntoChunks,
} from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import { blobManifestRecord, type BlobManifest } from '../state/blob-manifest';
import { key, pad, type KeyType } from '../state/keys';
import { marshal, printable, unmarshal } from '../state/record';

/** Bytes with their SHA-256, so a digest computed once (to check or record it) is not computed again to store them. */
export interface DigestedBytes {
  readonly bytes: Uint8Array;
  readonly digest: string;
}

/** Hashes `bytes` once; the only way to make a {@link DigestedBytes}, so digest and bytes always agree. */
export function digested(bytes: Uint8Array): DigestedBytes {
  return { bytes, digest: sha256Hex(bytes) };
}

/**
 * Large binary values (model weights, optimizer state) in the member-only private collection:
 * a manifest under `(type, ...attributes)` and fixed-size chunks under `(type, ...attributes, index)`.
 * Only hashes of these writes reach blocks and the auditor's peer.
 */
export async function putBlob(
  ctx: Context,
  type: KeyType,
  attributes: string[],
  blob: DigestedBytes,
  labels?: string[],
): Promise<BlobManifest> {
  const chunks = splitIntoChunks(blob.bytes, DEFAULT_CHUNK_BYTES);
  const manifest: BlobManifest = {
    byteLength: blob.bytes.length,
    chunkCount: chunks.length,
    digest: blob.digest,
    labels,
  };
  await ctx.stub.putPrivateData(
    MEMBER_COLLECTION,
    key(ctx, type, ...attributes),
    marshal(blobManifestRecord, manifest),
  );
  for (const [index, chunk] of chunks.entries()) {
    await ctx.stub.putPrivateData(
      MEMBER_COLLECTION,
      key(ctx, type, ...attributes, pad(index)),
      chunk,
    );
  }
  return manifest;
}

/** Reads a blob back and checks its digest; NOT_FOUND when absent, INTERNAL when inconsistent. */
export async function getBlob(
  ctx: Context,
  type: KeyType,
  attributes: string[],
): Promise<{ bytes: Uint8Array; manifest: BlobManifest }> {
  const manifestKey = key(ctx, type, ...attributes);
  const manifestBytes = await ctx.stub.getPrivateData(MEMBER_COLLECTION, manifestKey);
  if (manifestBytes.length === 0) {
    throw new FedLedgerError(
      'NOT_FOUND',
      `private data ${printable(manifestKey)} is not on this peer`,
    );
  }
  const manifest = unmarshal(blobManifestRecord, manifestBytes, manifestKey);
  const chunks: Uint8Array[] = [];
  for (let index = 0; index < manifest.chunkCount; index++) {
    chunks.push(
      await ctx.stub.getPrivateData(MEMBER_COLLECTION, key(ctx, type, ...attributes, pad(index))),
    );
  }
  const bytes = joinChunks(chunks);
  if (bytes.length !== manifest.byteLength || sha256Hex(bytes) !== manifest.digest) {
    throw new FedLedgerError(
      'INTERNAL',
      `private data ${printable(manifestKey)} does not match its manifest digest`,
    );
  }
  return { bytes, manifest };
}
