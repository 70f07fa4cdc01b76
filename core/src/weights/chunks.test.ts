import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FedLedgerError } from '../errors';
import { DEFAULT_CHUNK_BYTES, joinChunks, splitIntoChunks } from './chunks';

function bytesOf(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

test('split then join round-trips, with every chunk full except the last', () => {
  const bytes = bytesOf(10);
  const chunks = splitIntoChunks(bytes, 4);
  assert.deepEqual(
    chunks.map((chunk) => chunk.length),
    [4, 4, 2],
  );
  assert.deepEqual(joinChunks(chunks), bytes);
});

test('an exact multiple gives no empty trailing chunk', () => {
  assert.deepEqual(
    splitIntoChunks(bytesOf(8), 4).map((chunk) => chunk.length),
    [4, 4],
  );
});

test('empty input gives one empty chunk, which joins back to empty', () => {
  const chunks = splitIntoChunks(new Uint8Array(0));
  assert.deepEqual(chunks, [new Uint8Array(0)]);
  assert.deepEqual(joinChunks(chunks), new Uint8Array(0));
});

test('the default chunk size is 1 MiB', () => {
  assert.equal(DEFAULT_CHUNK_BYTES, 1048576);
  const bytes = bytesOf(DEFAULT_CHUNK_BYTES + 1);
  const chunks = splitIntoChunks(bytes);
  assert.deepEqual(
    chunks.map((chunk) => chunk.length),
    [DEFAULT_CHUNK_BYTES, 1],
  );
  assert.deepEqual(joinChunks(chunks), bytes);
});

test('chunks are copies, not views of the input', () => {
  const bytes = bytesOf(4);
  const [chunk] = splitIntoChunks(bytes, 2);
  bytes[0] = 255;
  assert.equal(chunk[0], 7);
});

test('a chunk size that is not a positive integer is INVALID_ARGUMENT', () => {
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    assert.throws(
      () => splitIntoChunks(bytesOf(3), bad),
      (error: unknown) =>
        error instanceof FedLedgerError &&
        error.code === 'INVALID_ARGUMENT' &&
        /chunkBytes/.test(error.message),
    );
  }
});
