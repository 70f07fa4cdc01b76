import { fabricClientId, type LedgerApi, type LedgerEventSource } from '@fedledger/core';
import { IDENTITY_BY_ROLE } from './identity-map';
import type { InjectedLedger } from './ledger.module';
import { API_ROLES, type ApiRole } from './ledger.tokens';

/**
 * What the gateway needs of an in-process channel: a ledger per identity and its events. The
 * simulator's `InProcessWorld` has both; the gateway does not depend on the simulator.
 */
export interface InProcessChannel {
  ledger(identity: { mspId: string; role: 'admin' | 'client'; id: string }): LedgerApi;
  eventSource(options: { startBlock?: bigint }): LedgerEventSource;
}

/**
 * The ledger of one org inside an in-process channel (tests and the single-process demo): each
 * API role acts as that org's identity with the matching NodeOU (admin → admin, user1/user2 → client).
 * Events replay from the first block, as a Fabric listener without a checkpoint does. Every org reads
 * the one world state, so a write is visible to all at once and `waitForBlock` has nothing to wait for.
 */
export function inProcessLedger(channel: InProcessChannel, mspId: string): InjectedLedger {
  const ledgers = new Map<ApiRole, LedgerApi>(
    API_ROLES.map((role) => {
      const nodeRole = role === 'admin' ? 'admin' : 'client';
      return [
        role,
        channel.ledger({
          mspId,
          role: nodeRole,
          id: fabricClientId(mspId, nodeRole, `${IDENTITY_BY_ROLE[role]}@${mspId}`),
        }),
      ];
    }),
  );
  return {
    provider: {
      ledgerFor: (role) => ledgers.get(role) as LedgerApi,
      waitForBlock: () => Promise.resolve(),
    },
    events: channel.eventSource({ startBlock: 0n }),
  };
}
