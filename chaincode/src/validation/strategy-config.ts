import {
  FedLedgerError,
  validateStrategyConfig,
  type ErrorCode,
  type StrategyConfig,
} from '@fedledger/core';

/**
 * Validates a strategy config with core's validator (the one the aggregation itself trusts), so
 * that a federation can never be created with a strategy that `Aggregate` would later reject.
 * For stored records a failure means corrupt state, reported as INTERNAL.
 */
export function readStrategyConfig(value: unknown, path: string, code: ErrorCode): StrategyConfig {
  try {
    return validateStrategyConfig(value);
  } catch (error) {
    if (error instanceof FedLedgerError) {
      throw new FedLedgerError(
        code === 'INTERNAL' ? 'INTERNAL' : error.code,
        `${path}: ${error.reason}`,
      );
    }
    throw error;
  }
}
