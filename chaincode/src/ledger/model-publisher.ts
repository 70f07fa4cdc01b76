import type { Context } from 'fabric-contract-api';
import { KEY, key, pad } from '../state/keys';
import { modelHashRecord } from '../state/model-hash';
import { modelVersionRecord, type ModelVersionRecord } from '../state/model-version';
import { putBlob, type DigestedBytes } from './blob-store';
import { modelVersionKey } from './federation-state';
import { findRecord, putRecord } from './store';

/**
 * Publishes a model version: weights to the private collection, the version record to public
 * state, and the hash index entries used by `VerifyModelHash`: the first version with a hash keeps
 * `fl.modelHash`, and every version gets its own `fl.modelHashVersion` entry, so that a hash shared
 * by several versions (an aggregate equal to its parent, the same weights in two federations) is
 * reported with all of them rather than only the first. `version.modelHash` must be `weights.digest`
 * when weights are given.
 */
export async function publishModelVersion(
  ctx: Context,
  version: ModelVersionRecord,
  weights?: DigestedBytes,
): Promise<void> {
  // Blob-path versions (ADR 0022) have no weights here: the orgs in `version.servedBy` serve them.
  if (weights !== undefined)
    await putBlob(ctx, KEY.globalWeights, [version.federationId, pad(version.version)], weights);
  await putRecord(
    ctx,
    modelVersionRecord,
    modelVersionKey(ctx, version.federationId, version.version),
    version,
  );
  const entry = {
    modelHash: version.modelHash,
    federationId: version.federationId,
    version: version.version,
  };
  const hashKey = key(ctx, KEY.modelHash, version.modelHash);
  if ((await findRecord(ctx, modelHashRecord, hashKey)) === undefined) {
    await putRecord(ctx, modelHashRecord, hashKey, entry);
  }
  await putRecord(
    ctx,
    modelHashRecord,
    key(ctx, KEY.modelHashVersion, version.modelHash, version.federationId, pad(version.version)),
    entry,
  );
}
