import { dirname, join } from 'node:path';
import { CHAINCODE_NAME } from '@fedledger/core';
import {
  FAKE_CHANNEL,
  startFakeFabric as startPeerDouble,
  type FakeFabric as PeerDouble,
} from '@fedledger/simulator/fabric-peer';
import type { GatewayConfig } from '../platform/config/gateway-config';
import { loadOrgConnection } from '../platform/config/org-connection';

export { FAKE_CHANNEL };

/** The simulator's gRPC peer double, with the gateway configs that connect to it. */
export interface FakeFabric extends PeerDouble {
  /** {@link PeerDouble.connectionFile}, loaded like the gateway does, as a fabric-mode config whose data and state live beside it. */
  config(mspId: string, overrides?: Partial<GatewayConfig>): GatewayConfig;
}

/** Starts the peer double running this repository's chaincode package. */
export async function startFakeFabric(): Promise<FakeFabric> {
  const fabric = await startPeerDouble(
    dirname(require.resolve('@fedledger/chaincode/package.json')),
  );
  return Object.assign(fabric, {
    config(mspId: string, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
      const connectionPath = fabric.connectionFile(mspId);
      const orgDir = dirname(connectionPath);
      return {
        mspId,
        ledgerMode: 'fabric',
        connection: loadOrgConnection(connectionPath),
        channel: FAKE_CHANNEL,
        chaincode: CHAINCODE_NAME,
        dataDir: join(orgDir, 'data'),
        stateDir: join(orgDir, 'state'),
        httpHost: '127.0.0.1',
        httpPort: 0,
        apiKeysFile: join(orgDir, 'keys.json'),
        bodyLimitBytes: 16 * 1024 * 1024,
        maxCsvBytes: 16 * 1024 * 1024,
        participation: false,
        trainAhead: true,
        logLevel: 'silent',
        ledgerTimeoutMs: 5_000,
        ...overrides,
      };
    },
  });
}
