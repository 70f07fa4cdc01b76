import {
  BLOB_PATH_MIN_PARAMS,
  FedLedgerError,
  aggregateBlobRound,
  canonicalJson,
  chooseWeightsPath,
  decodeFlat,
  isFedLedgerError,
  majority,
  paramCount,
  sha256Hex,
  type AggregateAttestation,
  type Federation,
  type FederationSpec,
  type LedgerApi,
  type ModelVersion,
  type MspId,
  type SubmitUpdateInput,
  type UpdateMetadata,
} from '@fedledger/core';
import type { BlobFetcher } from './blob-fetcher';
import type { BlobStore } from './blob-store';

export interface BlobPathOptions {
  mspId: MspId;
  store: BlobStore;
  fetcher: BlobFetcher;
  /** Models with at least this many parameters are created on the blob path (default {@link BLOB_PATH_MIN_PARAMS}). */
  minBlobParams?: number;
  /** Told of every aggregate this org computes, as soon as it is computed, before it is stored and attested (ADR 0030). */
  onAggregateComputed?: (computed: ComputedAggregate) => void;
}

/** A round's aggregate as this org computed it on the blob path: the model it attests. */
export interface ComputedAggregate {
  federationId: string;
  round: number;
  modelHash: string;
  /** The model's encoded weights (this org's own copy). */
  weights: Uint8Array;
  /** Time spent getting the previous model and the updates, and aggregating (ms), for the logs. */
  fetchMs: number;
  aggregateMs: number;
}

/** The blob-path parts of the ledger API; everything else goes straight to the wrapped ledger. */
type Overridden = Pick<
  LedgerApi,
  'createFederation' | 'submitUpdate' | 'getGlobalWeights' | 'getModelVersion' | 'aggregate'
> &
  Pick<BlobPathLedger, 'prefetchUpdate'>;

/** The ledger API with the blob path under it, and the one thing only the blob path does. */
export interface BlobPathLedger extends LedgerApi {
  /**
   * Starts fetching `mspId`'s update of the round in the background (ADR 0026), so the attestation
   * finds it here: called when the update's commit is announced (this org's own too), while this
   * org still waits for slower ones. Also reads the round's records for an aggregation that may
   * follow at once (ADR 0030). Only a digest the ledger lists (or its commit event announced,
   * `blob`) is fetched, from the submitter, checked as every fetch is. Resolves when done; failures
   * are left to the attestation's own fetch. A no-op off the blob path.
   */
  prefetchUpdate(
    federationId: string,
    round: number,
    mspId: MspId,
    blob?: { digest: string; byteLength: number },
  ): Promise<void>;
}

/** How long reads taken at an update's announcement may stand in for the aggregation's own. */
const WARM_READS_MS = 2_000;

/** A round's records read when one of its updates was announced, for the aggregation that may follow. */
interface WarmReads {
  at: number;
  reads: Promise<[Federation, AggregateAttestation[], UpdateMetadata[]]>;
}

/** What the blob path needs of a published model version (immutable once committed). */
type VersionBlob = Pick<ModelVersion, 'modelHash' | 'servedBy'>;

/**
 * A ledger that moves large models through content-addressed blobs (ADR 0022) and small ones
 * through private data, behind the unchanged {@link LedgerApi}: the rest of the gateway (training,
 * evaluation, participation) calls `createFederation`, `submitUpdate`, `getGlobalWeights` and
 * `aggregate` as before, and this layer picks the path by model size at creation, keeps this org's
 * blobs in its store, fetches the others' over mutual TLS (checked against the ledger's digests),
 * and on the blob path turns `aggregate` into re-running the strategy here, attesting the result,
 * and accepting it once a majority of participants attested the same.
 */
export function withBlobPath(inner: LedgerApi, options: BlobPathOptions): BlobPathLedger {
  // A federation's path and model size never change: one read per federation. null: private data.
  const blobSizes = new Map<string, number | null>();
  const blobSize = async (federationId: string): Promise<number | null> => {
    if (!blobSizes.has(federationId)) {
      const federation = await inner.getFederation(federationId);
      blobSizes.set(
        federationId,
        federation.weightsPath === 'blob' ? (federation.initialBlob?.byteLength ?? null) : null,
      );
    }
    return blobSizes.get(federationId) as number | null;
  };
  const isBlob = async (federationId: string): Promise<boolean> =>
    (await blobSize(federationId)) !== null;
  const participating = new Map<string, boolean>();
  /** The key of a federation's version or round number in the maps below. */
  const keyOf = (federationId: string, n: number): string => `${federationId}\u0000${n}`;
  const warm = new Map<string, WarmReads>();
  const roundReads = (
    federationId: string,
    round: number,
  ): Promise<[Federation, AggregateAttestation[], UpdateMetadata[]]> =>
    Promise.all([
      inner.getFederation(federationId),
      inner.listAttestations(federationId, round),
      inner.listUpdates(federationId, round),
    ]);
  /**
   * The reads the aggregation starts with, taken when an update was announced, beside the caller's
   * check whether the round is complete (one round trip less on the round's path, ADR 0030). Used
   * once, within {@link WARM_READS_MS}, and only if they list an update from every participant:
   * updates are never removed and an org submits once, so such a list is the round's final one.
   * Otherwise (or if they failed) the aggregation reads again.
   */
  const takeWarmReads = async (
    federationId: string,
    round: number,
  ): Promise<[Federation, AggregateAttestation[], UpdateMetadata[]] | undefined> => {
    const key = keyOf(federationId, round);
    const taken = warm.get(key);
    warm.delete(key);
    if (taken === undefined || Date.now() - taken.at > WARM_READS_MS) return undefined;
    const reads = await taken.reads.catch(() => undefined);
    if (reads === undefined) return undefined;
    const [federation, , updates] = reads;
    const submitters = new Set(updates.map((u) => u.mspId));
    return federation.participants.every((p) => submitters.has(p)) ? reads : undefined;
  };
  // A published version's hash and servers never change: the record this org read last (to train
  // from it, or the one it accepted) saves reading it again before fetching the weights.
  const versions = new Map<string, VersionBlob>();
  const remember = (record: ModelVersion): ModelVersion => {
    if (versions.size >= 64) versions.delete(versions.keys().next().value as string);
    versions.set(keyOf(record.federationId, record.version), {
      modelHash: record.modelHash,
      ...(record.servedBy !== undefined ? { servedBy: record.servedBy } : {}),
    });
    return record;
  };
  const versionBlob = async (federationId: string, version: number): Promise<VersionBlob> =>
    versions.get(keyOf(federationId, version)) ??
    remember(await inner.getModelVersion(federationId, version));
  const globalWeights = async (federationId: string, version: number): Promise<Uint8Array> => {
    const [record, byteLength] = await Promise.all([
      versionBlob(federationId, version),
      blobSize(federationId),
    ]);
    return options.fetcher.fetch(record.modelHash, byteLength as number, record.servedBy ?? []);
  };

  const overrides: Overridden = {
    async createFederation(spec: FederationSpec, initialWeights: Uint8Array): Promise<Federation> {
      if (
        spec.weightsPath === 'private-data' ||
        spec.initialBlob !== undefined ||
        initialWeights.length === 0
      )
        return inner.createFederation(spec, initialWeights);
      const { shapes } = decodeFlat(initialWeights);
      const path =
        spec.weightsPath ??
        chooseWeightsPath(paramCount(shapes), options.minBlobParams ?? BLOB_PATH_MIN_PARAMS);
      if (path === 'private-data') return inner.createFederation(spec, initialWeights);
      const digest = await options.store.put(initialWeights);
      return inner.createFederation(
        {
          ...spec,
          weightsPath: 'blob',
          initialBlob: { digest, byteLength: initialWeights.length, weightShapes: shapes },
        },
        new Uint8Array(0),
      );
    },

    async submitUpdate(input: SubmitUpdateInput, weights: Uint8Array): Promise<UpdateMetadata> {
      if (!(await isBlob(input.federationId))) return inner.submitUpdate(input, weights);
      // The same check SubmitUpdate makes on the peer, so a caller's wrong digest is refused before the blob is kept.
      const digest = sha256Hex(weights);
      if (digest !== input.digest)
        throw new FedLedgerError(
          'DIGEST_MISMATCH',
          `digest argument is ${input.digest} but SHA-256 of the weights is ${digest}`,
        );
      await options.store.put(weights, digest);
      return inner.submitBlobUpdate(input, weights.length);
    },

    async prefetchUpdate(
      federationId: string,
      round: number,
      mspId: MspId,
      blob?: { digest: string; byteLength: number },
    ): Promise<void> {
      if (!(await isBlob(federationId))) return;
      // Updates are submitted only once a federation runs, and its participants are fixed by then.
      if (!participating.has(federationId))
        participating.set(
          federationId,
          (await inner.getFederation(federationId)).participants.includes(options.mspId),
        );
      if (participating.get(federationId) !== true) return;
      const reads = roundReads(federationId, round);
      reads.catch(() => undefined);
      // Rounds this org never aggregated (not complete yet, closed elsewhere) leave theirs behind.
      for (const [key, old] of warm) if (Date.now() - old.at > WARM_READS_MS) warm.delete(key);
      warm.set(keyOf(federationId, round), { at: Date.now(), reads });
      if (mspId === options.mspId) return;
      // A blob update is served by its submitter (SubmitBlobUpdate's servedBy).
      if (blob !== undefined) {
        await options.fetcher.fetch(blob.digest, blob.byteLength, [mspId]);
        return;
      }
      const update = (await inner.listUpdates(federationId, round)).find((u) => u.mspId === mspId);
      if (update !== undefined)
        await options.fetcher.fetch(update.digest, update.byteLength, [
          update.servedBy ?? update.mspId,
        ]);
    },

    async getModelVersion(federationId: string, version: number): Promise<ModelVersion> {
      return remember(await inner.getModelVersion(federationId, version));
    },

    async getGlobalWeights(federationId: string, version: number): Promise<Uint8Array> {
      if (!(await isBlob(federationId))) return inner.getGlobalWeights(federationId, version);
      return globalWeights(federationId, version);
    },

    async aggregate(federationId: string, round: number): Promise<ModelVersion> {
      if (!(await isBlob(federationId))) return inner.aggregate(federationId, round);
      // One round trip for the three reads (they were three in a row on the round's path), or none.
      const [federation, listed, updates] =
        (await takeWarmReads(federationId, round)) ?? (await roundReads(federationId, round));
      let attestations = listed;
      if (!attestations.some((a) => a.mspId === options.mspId)) {
        const mine = await attestRound(inner, options, federation, round, updates, globalWeights);
        attestations = [...attestations.filter((a) => a.mspId !== options.mspId), mine];
      }
      const needed = majority(federation.participants.length);
      if (largestAgreement(attestations) < needed) {
        throw new FedLedgerError(
          'QUORUM_NOT_MET',
          `round ${round} of ${federationId}: ${options.mspId} attested; ${largestAgreement(attestations)} of the ${needed} agreeing attestations needed so far`,
        );
      }
      return remember(await inner.aggregate(federationId, round));
    },
  };
  return new Proxy(inner as BlobPathLedger, {
    get(target, property, receiver) {
      if (typeof property === 'string' && property in overrides)
        return overrides[property as keyof Overridden];
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/** Fetches the round's updates and the previous model, aggregates here, keeps the result and attests it. */
async function attestRound(
  inner: LedgerApi,
  options: BlobPathOptions,
  federation: Federation,
  round: number,
  updates: readonly UpdateMetadata[],
  globalWeights: (federationId: string, version: number) => Promise<Uint8Array>,
): Promise<AggregateAttestation> {
  const started = Date.now();
  const [previous, ...blobs] = await Promise.all([
    globalWeights(federation.id, round - 1),
    ...updates.map((u) => options.fetcher.fetch(u.digest, u.byteLength, [u.servedBy ?? u.mspId])),
  ]);
  const fetchedAt = Date.now();
  // Each blob came from the fetcher by the ledger's digest, which checks it (ADR 0026): not hashed again.
  const fetched = updates.map((metadata, i) => ({ metadata, bytes: blobs[i] }));
  const { bytes, attestation } = aggregateBlobRound(federation, round, previous, fetched, {
    digestsChecked: true,
  });
  // Told before the bytes are written: the next round's training needs them, not the file.
  options.onAggregateComputed?.({
    federationId: federation.id,
    round,
    modelHash: attestation.modelHash,
    weights: bytes,
    fetchMs: fetchedAt - started,
    aggregateMs: Date.now() - fetchedAt,
  });
  await options.store.put(bytes, attestation.modelHash);
  try {
    return await inner.attestAggregate(attestation);
  } catch (error) {
    // A retried call whose first attempt committed: our attestation is on the ledger already.
    if (isFedLedgerError(error) && error.code === 'ALREADY_EXISTS') {
      const existing = (await inner.listAttestations(federation.id, round)).find(
        (a) => a.mspId === options.mspId,
      );
      if (existing !== undefined) return existing;
    }
    throw error;
  }
}

/** The size of the largest group of attestations with the same model hash and contributions. */
function largestAgreement(attestations: readonly AggregateAttestation[]): number {
  const counts = new Map<string, number>();
  for (const a of attestations) {
    const claim = canonicalJson({ modelHash: a.modelHash, contributors: a.contributors });
    counts.set(claim, (counts.get(claim) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values());
}
