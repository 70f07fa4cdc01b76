import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerApi } from '@fedledger/core';
import { type ApiRole, FabricConnection, loadGatewayConfig } from '@fedledger/gateway';
import { CONNECTIONS_DIR } from './repo-paths';

/** An org's ledger clients on that org's own peer, through the gateway's real Fabric client. */
export interface OrgLedger {
  /** As the org admin. */
  ledger: LedgerApi;
  /** As the identity of an API role (admin, scientist = User1, auditor = User2). */
  as(role: ApiRole): LedgerApi;
  /** Resolves once this org's peer has committed `block` (read-your-writes across orgs). */
  waitForBlock(block: number, timeoutMs: number): Promise<void>;
  close(): void;
}

/**
 * Opens `network/state/connections/<key>.json` (org1 … auditor) as the gateway would, with its
 * state in a temporary directory removed by `close`. Used by the end-to-end tests and benchmarks.
 */
export async function openOrgLedger(key: string): Promise<OrgLedger> {
  const root = mkdtempSync(join(tmpdir(), `fedledger-org-ledger-${key}-`));
  try {
    const config = loadGatewayConfig({
      FEDLEDGER_LEDGER_MODE: 'fabric',
      FEDLEDGER_ORG_CONNECTION: join(CONNECTIONS_DIR, `${key}.json`),
      FEDLEDGER_DATA_DIR: join(root, 'data'),
      FEDLEDGER_STATE_DIR: join(root, 'state'),
    });
    const connection = await FabricConnection.open(config);
    return {
      ledger: connection.ledgerFor('admin'),
      as: (role) => connection.ledgerFor(role),
      waitForBlock: (block, timeoutMs) => connection.waitForBlock(block, timeoutMs),
      close: () => {
        connection.close();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
