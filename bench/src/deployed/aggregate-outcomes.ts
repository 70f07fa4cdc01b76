import { type StepTotal } from '@fedledger/demo';

/**
 * The gateways' `aggregate` calls by outcome (`fedledger_ledger_tx_seconds{transaction="aggregate"}`),
 * summed over the gateways' /metrics expositions. On the blob path (ADR 22) the gateway's `aggregate`
 * fetches the round's updates, aggregates them itself and commits AttestAggregate, then accepts the
 * model only once a majority attested: every attestation before the majority ends as QUORUM_NOT_MET,
 * a lost race as ROUND_CLOSED or CONFLICT, and the accepting call as `ok`. So the round's attestation
 * work is in the failed outcomes, which RoundMetrics (ok / failed counts only) leaves out.
 */
export function aggregateByOutcome(expositions: readonly string[]): Record<string, StepTotal> {
  const byOutcome: Record<string, StepTotal> = {};
  for (const text of expositions) {
    for (const line of text.split('\n')) {
      const match = /^fedledger_ledger_tx_seconds_(sum|count)\{([^}]*)\} (\S+)$/.exec(line);
      if (match === null) continue;
      const labels: Partial<Record<string, string>> = Object.fromEntries(
        [...match[2].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
      );
      if (labels['transaction'] !== 'aggregate' || labels['outcome'] === undefined) continue;
      const total = (byOutcome[labels['outcome']] ??= { count: 0, seconds: 0 });
      if (match[1] === 'sum') total.seconds += Number(match[3]);
      else total.count += Number(match[3]);
    }
  }
  return byOutcome;
}
