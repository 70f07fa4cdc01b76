import { Inject, Injectable } from '@nestjs/common';
import { FedLedgerError } from '@fedledger/core';
import type { Principal } from '../auth/api-key-store';
import { DatasetBindingsStore } from '../../ml/bindings/dataset-bindings.store';
import type { DatasetRecord } from '../../ml/datasets/dataset-record';
import { DatasetsService, type RegisterCsvDataset } from '../../ml/datasets/datasets.service';
import { LEDGER, type LedgerProvider } from '../../ledger/port/ledger.tokens';

/**
 * Deleting and replacing datasets. A dataset bound to a pending or running federation is in use
 * (its rows train the next round, its profile is on the ledger): CONFLICT naming the federations;
 * rebind them first (PUT /federations/{id}/dataset) or wait until they end.
 */
@Injectable()
export class DatasetAdminService {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly bindings: DatasetBindingsStore,
    @Inject(LEDGER) private readonly ledger: LedgerProvider,
  ) {}

  async delete(principal: Principal, id: string): Promise<DatasetRecord> {
    this.datasets.get(id);
    await this.#requireUnused(principal, id, 'deleted');
    return this.datasets.delete(id);
  }

  async replace(principal: Principal, request: RegisterCsvDataset): Promise<DatasetRecord> {
    this.datasets.get(request.id);
    await this.#requireUnused(principal, request.id, 'replaced');
    return this.datasets.replace(request);
  }

  async #requireUnused(principal: Principal, id: string, action: string): Promise<void> {
    const ledger = this.ledger.ledgerFor(principal.role);
    const active: string[] = [];
    for (const federationId of this.bindings.federationsBoundTo(id)) {
      const federation = await ledger.getFederation(federationId).catch((error: unknown) => {
        if (error instanceof FedLedgerError && error.code === 'NOT_FOUND') return undefined;
        throw error;
      });
      if (
        federation !== undefined &&
        (federation.status === 'pending' || federation.status === 'running')
      )
        active.push(`${federationId} (${federation.status})`);
    }
    if (active.length > 0) {
      throw new FedLedgerError(
        'CONFLICT',
        `dataset "${id}" cannot be ${action}: federation ${active.join(', ')} trains on it; bind another dataset to it first (PUT /federations/{id}/dataset) or wait until it ends`,
        { federations: active },
      );
    }
  }
}
