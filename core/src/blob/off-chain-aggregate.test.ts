import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FedLedgerError } from '../errors';
import type { UpdateMetadata } from '../types';
import { sha256Hex } from '../weights/digest';
import { encodeFlat } from '../weights/flat';
import { aggregateBlobRound, type FetchedUpdate } from './off-chain-aggregate';

const SHAPES = [[2, 2], [2]];
const federation = { id: 'fed-1', strategy: { name: 'fedavg' as const }, weightShapes: SHAPES };
const weights = (k: number): Uint8Array =>
  encodeFlat(
    SHAPES,
    Float32Array.from({ length: 6 }, (_, i) => i * k + 1),
  );
const fetched = (mspId: string, bytes: Uint8Array, digest = sha256Hex(bytes)): FetchedUpdate => ({
  metadata: { mspId, numSamples: 10, digest } as UpdateMetadata,
  bytes,
});

test('aggregateBlobRound hashes every update and refuses one that is not the ledger digest', () => {
  const forged = fetched('Org2MSP', weights(3), sha256Hex(weights(2)));
  assert.throws(
    () => aggregateBlobRound(federation, 1, weights(0), [fetched('Org1MSP', weights(1)), forged]),
    (error: unknown) =>
      error instanceof FedLedgerError &&
      error.code === 'DIGEST_MISMATCH' &&
      /Org2MSP/.test(error.message),
  );
});

test('with digestsChecked (bytes fetched by their digest through a checking path) it skips the hashing, and the result is the same', () => {
  const inputs = [fetched('Org1MSP', weights(1)), fetched('Org2MSP', weights(2))];
  const checked = aggregateBlobRound(federation, 1, weights(0), inputs);
  const trusted = aggregateBlobRound(federation, 1, weights(0), inputs, { digestsChecked: true });
  assert.deepEqual(trusted, checked);
  // Proof that it is skipped: a digest the bytes do not hash to passes through to the attestation,
  // where the chaincode's comparison with the ledger's updates would refuse it.
  const mislabelled = aggregateBlobRound(
    federation,
    1,
    weights(0),
    [fetched('Org1MSP', weights(1), sha256Hex('x'))],
    { digestsChecked: true },
  );
  assert.equal(mislabelled.attestation.contributors[0]?.digest, sha256Hex('x'));
});
