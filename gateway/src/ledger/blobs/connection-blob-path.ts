import type { Consortium } from '@fedledger/core';
import { BLOB_PATH_MIN_PARAMS } from '@fedledger/core';
import { DEFAULT_BLOB_TIMEOUT_MS, type BlobPathConfig } from '../../platform/config/gateway-config';
import { ConfigError } from '../../platform/config/config-error';
import { loadOrgConnection } from '../../platform/config/org-connection';
import { BlobPath } from './blob-path';

/**
 * An org's blob path from its network connection file (the TLS pair and consortium TLS CAs the
 * network scripts write there), its server on `127.0.0.1:port` (0: any free port) and blobs under
 * `stateDir`. `endpoints` is read at each fetch, so callers may fill it in once every org listens.
 * For tests and benchmarks that run several orgs in one process; a gateway reads FEDLEDGER_BLOB_*.
 */
export function openConnectionBlobPath(
  connectionFile: string,
  stateDir: string,
  consortium: () => Promise<Consortium>,
  endpoints: Record<string, string>,
  options: { port?: number; minParams?: number } = {},
): Promise<BlobPath> {
  const connection = loadOrgConnection(connectionFile);
  if (connection.blobTls === undefined || connection.consortiumTlsCas === undefined) {
    throw new ConfigError(
      'blobTls',
      `${connectionFile} names no blob TLS material; written by an older network.sh?`,
    );
  }
  const config: BlobPathConfig = {
    listenHost: '127.0.0.1',
    listenPort: options.port ?? 0,
    endpoints,
    certPath: connection.blobTls.certPath,
    keyPath: connection.blobTls.keyPath,
    caPaths: connection.consortiumTlsCas,
    minParams: options.minParams ?? BLOB_PATH_MIN_PARAMS,
    timeoutMs: DEFAULT_BLOB_TIMEOUT_MS,
  };
  return BlobPath.open(connection.mspId, config, stateDir, consortium);
}
