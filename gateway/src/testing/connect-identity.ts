import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, hash, signers, type Gateway } from '@hyperledger/fabric-gateway';
import type * as grpc from '@grpc/grpc-js';
import { identityFiles, type OrgConnection } from '../platform/config/org-connection';
import { newGrpcClient } from '../ledger/fabric/grpc-client';

/**
 * A gRPC client and a Gateway for one identity of a connection file, built with the production
 * client factory, for tests that need the fabric-gateway API below FabricConnection.
 */
export function connectIdentity(
  connection: OrgConnection,
  identityName: string,
): { client: grpc.Client; gateway: Gateway; close(): void } {
  const files = identityFiles(connection, identityName);
  if (!files) throw new Error(`no identity ${identityName} in the connection`);
  const client = newGrpcClient(connection.peer, readFileSync(connection.peer.tlsCaCertPath));
  const gateway = connect({
    client,
    identity: { mspId: connection.mspId, credentials: readFileSync(files.certPath) },
    signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(files.keyPath))),
    hash: hash.sha256,
  });
  return {
    client,
    gateway,
    close: () => {
      gateway.close();
      client.close();
    },
  };
}
