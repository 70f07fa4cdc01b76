import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aggregatorRank,
  designatedAggregator,
  everyoneIn,
  LOST_AGGREGATION_RACE,
  LOST_CLOSE_RACE,
  quorumMet,
  roundReady,
} from './round-policy';

describe('roundReady', () => {
  const tally = {
    participants: 3,
    submitted: 2,
    failed: 0,
    minParticipants: 2,
    pastDeadline: false,
  };

  it('waits for everyone before the deadline, and takes the quorum after it', () => {
    assert.equal(roundReady(tally), false);
    assert.equal(roundReady({ ...tally, pastDeadline: true }), true);
    assert.equal(roundReady({ ...tally, submitted: 3 }), true);
    assert.equal(
      roundReady({ ...tally, submitted: 1, pastDeadline: true }),
      false,
      'no quorum even after the deadline',
    );
  });

  it('counts an org that reported it cannot train as done, but only with the quorum', () => {
    assert.equal(everyoneIn({ ...tally, failed: 1 }), true);
    assert.equal(everyoneIn({ ...tally, submitted: 1, failed: 2 }), false);
    assert.equal(quorumMet({ submitted: 1, minParticipants: 2 }), false);
  });
});

describe('lost races', () => {
  it('an Aggregate or CloseSubmissions that lost to another org is recognised by its code', () => {
    assert.deepEqual([...LOST_AGGREGATION_RACE].sort(), [
      'CONFLICT',
      'QUORUM_NOT_MET',
      'ROUND_CLOSED',
      'ROUND_NOT_OPEN',
    ]);
    assert.deepEqual([...LOST_CLOSE_RACE].sort(), [
      'ALREADY_EXISTS',
      'CONFLICT',
      'QUORUM_NOT_MET',
      'ROUND_CLOSED',
      'ROUND_NOT_OPEN',
    ]);
  });
});

describe('aggregatorRank', () => {
  const participants = ['Org3MSP', 'Org1MSP', 'Org2MSP'];

  it('gives each round exactly one designated aggregator, rotating over the sorted participants', () => {
    for (let round = 1; round <= 6; round++) {
      const ranks = participants.map((mspId) => aggregatorRank(participants, round, mspId));
      assert.deepEqual([...ranks].sort(), [0, 1, 2], `round ${round}`);
    }
    assert.deepEqual(
      [1, 2, 3, 4].map((round) => designatedAggregator(participants, round)),
      ['Org1MSP', 'Org2MSP', 'Org3MSP', 'Org1MSP'],
    );
  });

  it('does not depend on the order the ledger lists participants in', () => {
    assert.equal(
      aggregatorRank(['Org1MSP', 'Org2MSP', 'Org3MSP'], 2, 'Org3MSP'),
      aggregatorRank(participants, 2, 'Org3MSP'),
    );
  });

  it('is -1 for an org that does not participate', () => {
    assert.equal(aggregatorRank(participants, 1, 'AuditorMSP'), -1);
  });
});
