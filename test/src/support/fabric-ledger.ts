import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerApi } from '@fedledger/core';
import { loadGatewayConfig } from '@fedledger/gateway/dist/config/gateway-config';
import { FabricConnection } from '@fedledger/gateway/dist/fabric/fabric-connection';
import { CONNECTIONS_DIR } from './network';

/** An org's admin ledger client on that org's own peer, through the gateway's real Fabric client. */
export interface OrgLedger {
  ledger: LedgerApi;
  close(): void;
}

/** Opens `network/state/connections/<key>.json` (org1 … auditor) as the gateway would. */
export async function openOrgLedger(key: string): Promise<OrgLedger> {
  const root = mkdtempSync(join(tmpdir(), `fedledger-e2e-${key}-`));
  const config = loadGatewayConfig({
    FEDLEDGER_LEDGER_MODE: 'fabric',
    FEDLEDGER_ORG_CONNECTION: join(CONNECTIONS_DIR, `${key}.json`),
    FEDLEDGER_DATA_DIR: join(root, 'data'),
    FEDLEDGER_STATE_DIR: join(root, 'state'),
  });
  const connection = await FabricConnection.open(config);
  return {
    ledger: connection.ledgerFor('admin'),
    close: () => {
      connection.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
