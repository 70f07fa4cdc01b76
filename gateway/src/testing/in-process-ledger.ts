import { fabricClientId, type InProcessWorld } from '@fedledger/chaincode/dist/testing';
import type { LedgerApi } from '@fedledger/core';
import type { InjectedLedger } from '../ledger/ledger.module';
import { IDENTITY_BY_ROLE } from '../ledger/identity-map';
import { API_ROLES, type ApiRole } from '../ledger/ledger.tokens';

/**
 * The ledger of one org inside an {@link InProcessWorld} (tests and the single-process demo): each
 * API role acts as that org's identity with the matching NodeOU (admin → admin, user1/user2 → client).
 * Events replay from the first block, as a Fabric listener without a checkpoint does. Every org reads
 * the one world state, so a write is visible to all at once and `waitForBlock` has nothing to wait for.
 */
export function inProcessLedger(world: InProcessWorld, mspId: string): InjectedLedger {
  const ledgers = new Map<ApiRole, LedgerApi>(
    API_ROLES.map((role) => {
      const nodeRole = role === 'admin' ? 'admin' : 'client';
      return [role, world.ledger({ mspId, role: nodeRole, id: fabricClientId(mspId, nodeRole, `${IDENTITY_BY_ROLE[role]}@${mspId}`) })];
    }),
  );
  return { provider: { ledgerFor: (role) => ledgers.get(role) as LedgerApi, waitForBlock: () => Promise.resolve() }, events: world.eventSource({ startBlock: 0n }) };
}
