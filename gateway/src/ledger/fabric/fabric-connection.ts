import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import {
  connect,
  hash,
  signers,
  type CommitError,
  type Gateway,
} from '@hyperledger/fabric-gateway';
import type { LedgerApi, LedgerEventSource } from '@fedledger/core';
import type { GatewayConfig } from '../../platform/config/gateway-config';
import { ConfigError } from '../../platform/config/config-error';
import { identityFiles, type OrgConnection } from '../../platform/config/org-connection';
import { IDENTITY_BY_ROLE } from '../port/identity-map';
import { API_ROLES, type ApiRole, type LedgerProvider } from '../port/ledger.tokens';
import { FabricEventSource } from './fabric-event-source';
import { FabricLedgerClient } from './fabric-ledger-client';
import { newGrpcClient } from './grpc-client';
import { DEFAULT_RETRY_POLICY } from './mvcc-retry';
import { PeerHeight } from './peer-height';

/** Told the transaction name and Fabric validation code of each conflict that is retried. */
export type ConflictRetryListener = (transaction: string, error: CommitError) => void;

/** Submits wait for the commit, which takes at least one block cut; give it more than endorsement. */
const COMMIT_TIMEOUT_FACTOR = 2;

/**
 * The org's connection to its peer: one shared gRPC client and one Fabric Gateway per identity
 * used by an API role. {@link close} closes the gateways, then the client.
 */
export class FabricConnection implements LedgerProvider {
  readonly #client: grpc.Client;
  readonly #gateways: Map<string, Gateway>;
  readonly #ledgers: Map<ApiRole, LedgerApi>;
  readonly #events: FabricEventSource;
  readonly #height: PeerHeight;
  #open = true;

  private constructor(
    client: grpc.Client,
    gateways: Map<string, Gateway>,
    config: GatewayConfig,
    onConflictRetry: ConflictRetryListener,
  ) {
    this.#client = client;
    this.#gateways = gateways;
    this.#ledgers = new Map(
      API_ROLES.map((role) => {
        const network = (gateways.get(IDENTITY_BY_ROLE[role]) as Gateway).getNetwork(
          config.channel,
        );
        return [
          role,
          new FabricLedgerClient(network, config.chaincode, {
            retry: DEFAULT_RETRY_POLICY,
            isOpen: () => this.#open,
            onConflictRetry,
          }),
        ];
      }),
    );
    // Events are read as the org Admin: every member identity may, but one stream is enough.
    const adminNetwork = (gateways.get(IDENTITY_BY_ROLE.admin) as Gateway).getNetwork(
      config.channel,
    );
    this.#events = new FabricEventSource(
      adminNetwork,
      config.chaincode,
      join(config.stateDir, 'events.checkpoint.json'),
    );
    this.#height = new PeerHeight(adminNetwork);
  }

  /**
   * Reads the identities named in the connection file and connects one gateway per API role;
   * `onConflictRetry` hears of every MVCC/phantom conflict its ledgers retry.
   */
  static async open(
    config: GatewayConfig,
    onConflictRetry: ConflictRetryListener = () => undefined,
  ): Promise<FabricConnection> {
    const connection = config.connection;
    if (!connection)
      throw new ConfigError('FEDLEDGER_ORG_CONNECTION', 'is required in fabric mode');
    const client = newGrpcClient(connection.peer, await readFile(connection.peer.tlsCaCertPath));
    const gateways = new Map<string, Gateway>();
    try {
      for (const identityName of new Set(Object.values(IDENTITY_BY_ROLE))) {
        gateways.set(
          identityName,
          await connectIdentity(client, connection, identityName, config.ledgerTimeoutMs),
        );
      }
    } catch (error) {
      gateways.forEach((gateway) => {
        gateway.close();
      });
      client.close();
      throw error;
    }
    return new FabricConnection(client, gateways, config, onConflictRetry);
  }

  ledgerFor(role: ApiRole): LedgerApi {
    return this.#ledgers.get(role) as LedgerApi;
  }

  waitForBlock(block: number, timeoutMs: number): Promise<void> {
    return this.#height.waitForBlock(block, timeoutMs);
  }

  get events(): LedgerEventSource {
    return this.#events;
  }

  /** Stops the event listeners, then closes the gateways, then the gRPC client. */
  close(): void {
    this.#open = false;
    this.#events.closeAll();
    this.#gateways.forEach((gateway) => {
      gateway.close();
    });
    this.#client.close();
  }
}

async function connectIdentity(
  client: grpc.Client,
  connection: OrgConnection,
  identityName: string,
  timeoutMs: number,
): Promise<Gateway> {
  const files = identityFiles(connection, identityName);
  if (!files) {
    throw new ConfigError(
      `identities.${identityName}`,
      `the connection file must define identity ${identityName} (used by the ${roleOf(identityName)} API role)`,
    );
  }
  const [credentials, keyPem] = await Promise.all([
    readFile(files.certPath),
    readFile(files.keyPath),
  ]);
  const deadline = (ms: number) => () => ({ deadline: Date.now() + ms });
  return connect({
    client,
    identity: { mspId: connection.mspId, credentials },
    signer: signers.newPrivateKeySigner(createPrivateKey(keyPem)),
    hash: hash.sha256,
    evaluateOptions: deadline(timeoutMs),
    endorseOptions: deadline(timeoutMs),
    submitOptions: deadline(timeoutMs),
    commitStatusOptions: deadline(timeoutMs * COMMIT_TIMEOUT_FACTOR),
  });
}

function roleOf(identityName: string): string {
  return API_ROLES.filter((role) => IDENTITY_BY_ROLE[role] === identityName).join('/');
}
