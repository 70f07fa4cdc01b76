import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregateByOutcome } from './aggregate-outcomes';

const ORG1 = [
  '# HELP fedledger_ledger_tx_seconds Latency of ledger transactions by transaction and outcome',
  'fedledger_ledger_tx_seconds_bucket{le="0.5",transaction="aggregate",outcome="ok"} 1',
  'fedledger_ledger_tx_seconds_sum{transaction="aggregate",outcome="ok"} 0.25',
  'fedledger_ledger_tx_seconds_count{transaction="aggregate",outcome="ok"} 1',
  'fedledger_ledger_tx_seconds_sum{transaction="aggregate",outcome="QUORUM_NOT_MET"} 1.5',
  'fedledger_ledger_tx_seconds_count{transaction="aggregate",outcome="QUORUM_NOT_MET"} 2',
  'fedledger_ledger_tx_seconds_sum{transaction="submitUpdate",outcome="ok"} 9',
  'fedledger_ledger_tx_seconds_count{transaction="submitUpdate",outcome="ok"} 3',
].join('\n');
const ORG2 = [
  'fedledger_ledger_tx_seconds_sum{transaction="aggregate",outcome="QUORUM_NOT_MET"} 0.5',
  'fedledger_ledger_tx_seconds_count{transaction="aggregate",outcome="QUORUM_NOT_MET"} 1',
  'fedledger_ledger_tx_seconds_sum{transaction="aggregate",outcome="ROUND_CLOSED"} 0.1',
  'fedledger_ledger_tx_seconds_count{transaction="aggregate",outcome="ROUND_CLOSED"} 1',
].join('\n');

test('aggregateByOutcome sums the aggregate calls per outcome over every gateway and ignores buckets and other transactions', () => {
  assert.deepEqual(aggregateByOutcome([ORG1, ORG2]), {
    ok: { count: 1, seconds: 0.25 },
    QUORUM_NOT_MET: { count: 3, seconds: 2 },
    ROUND_CLOSED: { count: 1, seconds: 0.1 },
  });
  assert.deepEqual(aggregateByOutcome(['']), {});
});
