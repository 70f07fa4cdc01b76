import { FedLedgerError, decodeWeights, encodeWeights, type ServerState } from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import { KEY, pad } from '../state/keys';
import { digested, getBlob, putBlob } from './blob-store';

/**
 * A strategy's optimizer state (e.g. FedAdam moments) after a round, stored privately next to
 * that round's model version: one rank-1 tensor per name, names sorted, names in the manifest.
 * Returns the SHA-256 of the stored bytes, which the model version records publicly.
 */
export async function putServerState(
  ctx: Context,
  federationId: string,
  version: number,
  state: ServerState,
): Promise<string> {
  const names = Object.keys(state).sort();
  const bytes = encodeWeights(
    names.map((name) => {
      const values = state[name];
      return { shape: [values.length], values };
    }),
  );
  return (await putBlob(ctx, KEY.serverState, [federationId, pad(version)], digested(bytes), names))
    .digest;
}

/**
 * The server state saved with `version`, checked against the hash its model version records;
 * undefined when that version recorded none. Missing or different private state is INTERNAL:
 * aggregating from fresh or other state would compute another model than peers that have it.
 */
export async function loadServerState(
  ctx: Context,
  federationId: string,
  version: number,
  expectedHash: string | undefined,
): Promise<ServerState | undefined> {
  if (expectedHash === undefined) {
    return undefined;
  }
  let stored: Awaited<ReturnType<typeof getBlob>>;
  try {
    stored = await getBlob(ctx, KEY.serverState, [federationId, pad(version)]);
  } catch (error) {
    if (error instanceof FedLedgerError && error.code === 'NOT_FOUND') {
      throw new FedLedgerError(
        'INTERNAL',
        `the server state saved with version ${version} of ${federationId} is missing on this peer`,
      );
    }
    throw error;
  }
  if (stored.manifest.digest !== expectedHash) {
    throw new FedLedgerError(
      'INTERNAL',
      `the private server state of ${federationId} version ${version} does not match the public server state hash ${expectedHash}`,
    );
  }
  const names = stored.manifest.labels ?? [];
  const tensors = decodeWeights(stored.bytes);
  if (tensors.length !== names.length) {
    throw new FedLedgerError(
      'INTERNAL',
      `server state of ${federationId} version ${version} has ${tensors.length} tensors for ${names.length} names`,
    );
  }
  const state: ServerState = {};
  names.forEach((name, i) => {
    state[name] = (tensors[i] as { values: Float32Array }).values;
  });
  return state;
}
