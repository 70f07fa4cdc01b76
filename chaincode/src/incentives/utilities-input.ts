import { FedLedgerError, type ErrorCode } from '@fedledger/core';
import { describe } from '../validation/field-reader';

/** Longest coalition key: 64 orgs of 128-character MSP ids and their separators. */
const MAX_KEY_CHARS = 64 * 129;

/**
 * A JSON object of coalition key → finite number (keys may be '' for the empty coalition, unlike
 * metric maps). At most `maxEntries` entries.
 */
export function readUtilityMap(
  value: unknown,
  path: string,
  code: ErrorCode,
  maxEntries: number,
): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FedLedgerError(
      code,
      `${path} must be a JSON object of coalition → utility, got ${describe(value)}`,
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > maxEntries) {
    throw new FedLedgerError(
      code,
      `${path} has ${entries.length} entries; at most ${maxEntries} are allowed`,
    );
  }
  const result: Record<string, number> = {};
  for (const [name, item] of entries) {
    if (name.length > MAX_KEY_CHARS || name === '__proto__') {
      throw new FedLedgerError(
        code,
        `${path} key ${JSON.stringify(name.slice(0, 80))} is not a coalition`,
      );
    }
    if (typeof item !== 'number' || !Number.isFinite(item)) {
      throw new FedLedgerError(
        code,
        `${path}[${JSON.stringify(name)}] must be a finite number, got ${describe(item)}`,
      );
    }
    result[name] = item;
  }
  return result;
}

/**
 * Checks an org's utilities against the round's coalition plan: exactly the planned coalitions,
 * each a finite number in [0, 1]. Unknown coalitions name the first offender; missing ones say how
 * many and the first. Returns a copy with the keys in plan order.
 */
export function checkUtilities(
  utilities: Record<string, number>,
  coalitions: readonly string[],
): Record<string, number> {
  const planned = new Set(coalitions);
  for (const key of Object.keys(utilities).sort()) {
    if (!planned.has(key)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `utilitiesJson has an unknown coalition ${JSON.stringify(key)}; coalitions are this round's contributors sorted and joined with ',' (GetCoalitionPlan lists them)`,
      );
    }
    const value = utilities[key];
    if (!(value >= 0 && value <= 1)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `utilitiesJson[${JSON.stringify(key)}] must be a number in [0, 1] (a validation score), got ${value}`,
      );
    }
  }
  const missing = coalitions.filter((key) => !(key in utilities));
  if (missing.length > 0) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `utilitiesJson misses ${missing.length} of the ${coalitions.length} planned coalitions, first ${JSON.stringify(missing[0])}`,
    );
  }
  return Object.fromEntries(coalitions.map((key) => [key, utilities[key]]));
}
