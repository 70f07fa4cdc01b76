import { FedLedgerError } from '../errors';

/** Chunk size for large payloads stored under composite keys (1 MiB keeps each private-data write small). */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

/**
 * Splits bytes into consecutive chunks of `chunkBytes` (the last may be shorter). Empty input gives
 * one empty chunk so that every payload has at least one key. Chunks are copies.
 */
export function splitIntoChunks(
  bytes: Uint8Array,
  chunkBytes: number = DEFAULT_CHUNK_BYTES,
): Uint8Array[] {
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `chunkBytes must be a positive integer, got ${chunkBytes}`,
    );
  }
  if (bytes.length === 0) {
    return [new Uint8Array(0)];
  }
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += chunkBytes) {
    chunks.push(bytes.slice(start, start + chunkBytes));
  }
  return chunks;
}

/** Concatenates chunks in order into one new Uint8Array. */
export function joinChunks(chunks: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const chunk of chunks) {
    total += chunk.length;
  }
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}
