import type { ApiRole } from './ledger.tokens';

/**
 * Which identity of the org's connection file each API role signs with, so the ledger records who
 * acted: admins as the org Admin, scientists as User1, auditors as User2 (used for reads only).
 */
export const IDENTITY_BY_ROLE: Readonly<Record<ApiRole, string>> = {
  admin: 'Admin',
  scientist: 'User1',
  auditor: 'User2',
};
