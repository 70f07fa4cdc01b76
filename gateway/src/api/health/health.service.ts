import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { isFedLedgerError } from '@fedledger/core';
import type { GatewayConfig } from '../../platform/config/gateway-config';
import { GATEWAY_CONFIG } from '../../platform/config/config.tokens';
import { LEDGER, type LedgerProvider } from '../../ledger/port/ledger.tokens';
import { DatasetsService } from '../../ml/datasets/datasets.service';
import { TrainingService } from '../../ml/training/training.service';
import type { HealthDto, LedgerHealthDto } from './dto/health.dto';

/** The gateway package version, read once. */
export const GATEWAY_VERSION: string = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

@Injectable()
export class HealthService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LEDGER) private readonly ledger: LedgerProvider,
    private readonly training: TrainingService,
    private readonly datasets: DatasetsService,
  ) {}

  /** Readiness: the ledger answers and the training backend is up. */
  async check(): Promise<HealthDto> {
    const [ledger, tfBackend, report] = await Promise.all([
      this.#probeLedger(),
      this.training.backend(),
      this.training.backends(),
    ]);
    const tfBackends = {
      portable: report.portable,
      native: report.native,
      nativeDevice: report.nativeChoice?.device ?? null,
      nativeUnavailable: report.nativeReason,
      gpuNotUsed: report.gpuNote,
    };
    return {
      status: ledger.reachable ? 'ok' : 'degraded',
      org: this.config.mspId,
      version: GATEWAY_VERSION,
      tfBackend,
      tfBackends,
      dataDir: this.datasets.dataDir,
      ledger,
    };
  }

  async #probeLedger(): Promise<LedgerHealthDto> {
    try {
      await this.ledger.ledgerFor('auditor').getConsortium();
      return { reachable: true, mode: this.config.ledgerMode, error: null };
    } catch (error) {
      // The chaincode answered with a domain error (e.g. consortium not initialised yet): reachable.
      if (
        isFedLedgerError(error) &&
        error.code !== 'LEDGER_UNAVAILABLE' &&
        error.code !== 'INTERNAL'
      ) {
        return { reachable: true, mode: this.config.ledgerMode, error: null };
      }
      return {
        reachable: false,
        mode: this.config.ledgerMode,
        error: isFedLedgerError(error) ? error.code : 'INTERNAL',
      };
    }
  }
}
