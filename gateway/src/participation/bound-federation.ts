import type { Federation, LedgerApi } from '@fedledger/core';
import type { DatasetBindingsStore } from '../ml/bindings/dataset-bindings.store';

/** Loads the federation if this org (`mspId`) participates in it with a bound dataset, else undefined. */
export async function boundFederation(
  ledger: LedgerApi,
  bindings: DatasetBindingsStore,
  mspId: string,
  federationId: string,
): Promise<{ federation: Federation; datasetId: string } | undefined> {
  const datasetId = bindings.get(federationId);
  if (datasetId === undefined) return undefined;
  const federation = await ledger.getFederation(federationId);
  if (!federation.participants.includes(mspId)) return undefined;
  return { federation, datasetId };
}
