import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counterTotal, histogramTotal } from './round-metrics';

const EXPOSITION = [
  '# HELP fedledger_ledger_tx_seconds Latency of ledger transactions by transaction and outcome',
  'fedledger_ledger_tx_seconds_bucket{le="0.1",transaction="aggregate",outcome="ok"} 1',
  'fedledger_ledger_tx_seconds_sum{transaction="aggregate",outcome="ok"} 0.75',
  'fedledger_ledger_tx_seconds_count{transaction="aggregate",outcome="ok"} 3',
  'fedledger_ledger_tx_seconds_sum{transaction="aggregate",outcome="CONFLICT"} 0.25',
  'fedledger_ledger_tx_seconds_count{transaction="aggregate",outcome="CONFLICT"} 1',
  'fedledger_ledger_tx_seconds_sum{transaction="submitUpdate",outcome="ok"} 2',
  'fedledger_ledger_tx_seconds_count{transaction="submitUpdate",outcome="ok"} 5',
  'fedledger_training_seconds_sum 4.5',
  'fedledger_training_seconds_count 9',
  'fedledger_trained_ahead_total{outcome="used"} 4',
  'fedledger_trained_ahead_total{outcome="discarded"} 1',
  'fedledger_rounds_participated_total 7',
].join('\n');

describe('histogramTotal', () => {
  it('sums _sum and _count over the series whose labels match', () => {
    assert.deepEqual(
      histogramTotal(EXPOSITION, 'fedledger_ledger_tx_seconds', { transaction: 'aggregate' }),
      { count: 4, seconds: 1 },
    );
    assert.deepEqual(
      histogramTotal(EXPOSITION, 'fedledger_ledger_tx_seconds', {
        transaction: 'aggregate',
        outcome: 'ok',
      }),
      { count: 3, seconds: 0.75 },
    );
    assert.deepEqual(histogramTotal(EXPOSITION, 'fedledger_training_seconds'), {
      count: 9,
      seconds: 4.5,
    });
    assert.deepEqual(
      histogramTotal(EXPOSITION, 'fedledger_ledger_tx_seconds', {
        transaction: 'recordEvaluation',
      }),
      { count: 0, seconds: 0 },
    );
  });
});

describe('counterTotal', () => {
  it('sums the counter over the series whose labels match, and nothing of other metrics', () => {
    assert.equal(counterTotal(EXPOSITION, 'fedledger_trained_ahead_total'), 5);
    assert.equal(counterTotal(EXPOSITION, 'fedledger_trained_ahead_total', { outcome: 'used' }), 4);
    assert.equal(
      counterTotal(EXPOSITION, 'fedledger_trained_ahead_total', { outcome: 'failed' }),
      0,
    );
    assert.equal(counterTotal(EXPOSITION, 'fedledger_rounds_participated_total'), 7);
    assert.equal(counterTotal(EXPOSITION, 'fedledger_training_seconds'), 0);
  });
});
