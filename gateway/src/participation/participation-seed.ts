import { createHash } from 'node:crypto';

/**
 * The training seed of one org in one round: derived from (federation, round, org) so a retried
 * or restarted training reproduces the same shuffles, while orgs and rounds differ.
 */
export function participationSeed(federationId: string, round: number, mspId: string): number {
  return createHash('sha256')
    .update(`${federationId}\u0000${round}\u0000${mspId}`)
    .digest()
    .readUInt32LE(0);
}
