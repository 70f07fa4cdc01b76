import { FedLedgerError } from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import { KEY, pad } from '../state/keys';
import { modelVersionRecord, type ModelVersionRecord } from '../state/model-version';
import { getBlob } from './blob-store';
import { modelVersionKey } from './federation-state';
import { getRecord } from './store';

/**
 * A version's global weights from the private collection, checked against the public
 * `ModelVersion.modelHash`. The private manifest alone proves only that chunks and manifest agree:
 * a peer whose private store was rewritten consistently would otherwise serve (or aggregate from)
 * weights that no longer match the hash everyone else sees.
 */
export async function loadGlobalWeights(
  ctx: Context,
  federationId: string,
  version: number,
): Promise<{ record: ModelVersionRecord; bytes: Uint8Array }> {
  const record = await getRecord(
    ctx,
    modelVersionRecord,
    modelVersionKey(ctx, federationId, version),
  );
  const { bytes, manifest } = await getBlob(ctx, KEY.globalWeights, [federationId, pad(version)]);
  if (manifest.digest !== record.modelHash) {
    throw new FedLedgerError(
      'INTERNAL',
      `private global weights of ${federationId} version ${version} do not match the public model hash ${record.modelHash}`,
    );
  }
  return { record, bytes };
}
