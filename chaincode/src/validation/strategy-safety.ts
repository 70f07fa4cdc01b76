import { FedLedgerError, TrimmedMeanStrategy, type FederationSpec } from '@fedledger/core';

/**
 * Trimmed mean trims ⌊β·n⌋ updates from each end per coordinate. A round may aggregate with as few
 * as `minParticipants` updates, and with the default β = 0.1 and fewer than 10 orgs that count is 0:
 * the "robust" strategy would silently be an unweighted mean. Refused at creation (ADR 0017), with
 * the smallest β that would trim one update, so the creator asks for what they get.
 */
export function checkTrimmedMeanTrims(spec: FederationSpec): void {
  const { name, params } = spec.strategy;
  if (name !== 'trimmed-mean') {
    return;
  }
  const strategy = new TrimmedMeanStrategy(params ?? {});
  const beta = strategy.config.params?.['beta'];
  const n = spec.minParticipants;
  if (strategy.trimCount(n) >= 1) {
    return;
  }
  const minimalBeta = 1 / n;
  const hint =
    minimalBeta < 0.5
      ? `set spec.strategy.params.beta to at least ${minimalBeta.toFixed(4)} (1/minParticipants) or raise spec.minParticipants`
      : `trimmed mean cannot trim anything with minParticipants = ${n} (β must stay below 0.5); raise spec.minParticipants to at least 3, or use fedavg for an untrimmed mean`;
  throw new FedLedgerError(
    'INVALID_ARGUMENT',
    `spec.strategy.params.beta = ${beta ?? '0.1 (default)'} trims ⌊β·${n}⌋ = 0 updates when a round aggregates with minParticipants = ${n}; ${hint}`,
  );
}
