import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommitError, StatusCode } from '@hyperledger/fabric-gateway';
import { FedLedgerError } from '@fedledger/core';
import { DEFAULT_RETRY_POLICY, retryDelayMs, shouldRetry, withMvccRetry } from './mvcc-retry';

const mvcc = (): CommitError =>
  new CommitError({ code: StatusCode.MVCC_READ_CONFLICT, transactionId: 'tx' });

describe('MVCC retry', () => {
  it('draws full-jitter exponential delays capped at maxDelayMs', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 300 };
    assert.equal(
      retryDelayMs(1, policy, () => 0.999),
      49,
    );
    assert.equal(
      retryDelayMs(2, policy, () => 0.5),
      50,
    );
    assert.equal(
      retryDelayMs(3, policy, () => 0.999),
      199,
    );
    assert.equal(
      retryDelayMs(8, policy, () => 0.999),
      299,
    );
    assert.equal(
      retryDelayMs(3, policy, () => 0),
      0,
    );
  });

  it('decides per attempt and error', () => {
    assert.equal(shouldRetry(mvcc(), 1, DEFAULT_RETRY_POLICY), true);
    assert.equal(
      shouldRetry(mvcc(), DEFAULT_RETRY_POLICY.maxAttempts, DEFAULT_RETRY_POLICY),
      false,
    );
    assert.equal(shouldRetry(new FedLedgerError('CONFLICT', 'x'), 1, DEFAULT_RETRY_POLICY), false);
  });

  it('retries a conflicting submit until it succeeds, sleeping between attempts', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await withMvccRetry(
      () => {
        calls += 1;
        return calls < 3 ? Promise.reject(mvcc()) : Promise.resolve('committed');
      },
      { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 100 },
      (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    );
    assert.equal(result, 'committed');
    assert.equal(calls, 3);
    assert.equal(sleeps.length, 2);
  });

  it('gives up after maxAttempts and never retries other errors', async () => {
    let calls = 0;
    await assert.rejects(
      withMvccRetry(
        () => {
          calls += 1;
          return Promise.reject(mvcc());
        },
        { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
        () => Promise.resolve(),
      ),
      CommitError,
    );
    assert.equal(calls, 3);
    calls = 0;
    await assert.rejects(
      withMvccRetry(
        () => {
          calls += 1;
          return Promise.reject(new FedLedgerError('ROUND_CLOSED', 'closed'));
        },
        DEFAULT_RETRY_POLICY,
        () => Promise.resolve(),
      ),
      /ROUND_CLOSED/,
    );
    assert.equal(calls, 1);
  });
});
