import type { ApiRole } from './ledger.tokens';

/**
 * Which identity of the org's connection file each API role signs with, so the ledger records who
 * acted: admins as the org admin (cryptogen's Admin@domain), scientists as User1, auditors as User2
 * (used for reads only). The names are those `network/scripts/write-connection-file.js` writes.
 */
export const IDENTITY_BY_ROLE: Readonly<Record<ApiRole, string>> = {
  admin: 'admin',
  scientist: 'user1',
  auditor: 'user2',
};
