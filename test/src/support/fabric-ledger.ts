import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerApi } from '@fedledger/core';
import { loadGatewayConfig } from '@fedledger/gateway/dist/config/gateway-config';
import { FabricConnection } from '@fedledger/gateway/dist/fabric/fabric-connection';
import type { ApiRole } from '@fedledger/gateway/dist/ledger/ledger.tokens';
import { CONNECTIONS_DIR } from './network';

/** An org's ledger clients on that org's own peer, through the gateway's real Fabric client. */
export interface OrgLedger {
  /** As the org admin. */
  ledger: LedgerApi;
  /** As the identity of an API role (admin, scientist = User1, auditor = User2). */
  as(role: ApiRole): LedgerApi;
  /** Resolves once this org's peer has committed `block`. */
  waitForBlock(block: number): Promise<void>;
  close(): void;
}

/** How long a test waits for a peer to reach a block another org's write committed in. */
const BLOCK_WAIT_MS = 15_000;

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
    as: (role) => connection.ledgerFor(role),
    waitForBlock: (block) => connection.waitForBlock(block, BLOCK_WAIT_MS),
    close: () => {
      connection.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
