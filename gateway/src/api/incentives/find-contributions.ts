import { isFedLedgerError, type ContributionReport, type LedgerApi } from '@fedledger/core';

/** The round's settled contributions, or undefined while it is not settled. */
export async function findContributions(
  ledger: LedgerApi,
  federationId: string,
  round: number,
): Promise<ContributionReport | undefined> {
  try {
    return await ledger.getContributions(federationId, round);
  } catch (error) {
    if (isFedLedgerError(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}
