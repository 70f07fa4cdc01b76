import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flowerRounds, parseFlowerResult, type FlowerMark } from './flower-result';

/** Two rounds as the ServerApp writes them: round 0 scored at t=100, then fit, score, evaluate per round. */
const MARKS: FlowerMark[] = [
  { round: 0, event: 'global', t: 100, loBytes: 1_000, accuracy: 0.5 },
  { round: 1, event: 'fit-done', t: 130, loBytes: 9_000, trainSeconds: [0.2, 0.4] },
  { round: 1, event: 'global', t: 131, loBytes: 9_500, accuracy: 0.7 },
  { round: 1, event: 'evaluate-done', t: 141, loBytes: 12_000, evaluateSeconds: [0.01, 0.02] },
  { round: 2, event: 'fit-done', t: 161, loBytes: 20_000, trainSeconds: [0.1, 0.3], failures: 1 },
  { round: 2, event: 'global', t: 162, loBytes: 20_500, accuracy: 0.75 },
  { round: 2, event: 'evaluate-done', t: 170, loBytes: 23_000, evaluateSeconds: [0.01, 0.01] },
];

test('flowerRounds: round = score to score, fit from the previous evaluate phase, evaluate after the score', () => {
  const rounds = flowerRounds({ rounds: 2, marks: MARKS });
  assert.deepEqual(rounds.roundSeconds, [31, 31]);
  assert.deepEqual(rounds.fitSeconds, [30, 20]);
  assert.deepEqual(rounds.evaluateSeconds, [10, 8]);
  assert.deepEqual(
    rounds.clientTrainSeconds.map((s) => Number(s.toFixed(6))),
    [0.3, 0.2],
  );
  assert.deepEqual(rounds.accuracyByRound, [0.5, 0.7, 0.75]);
  assert.deepEqual(rounds.bytesByRound, [8_500, 11_000]);
  assert.equal(rounds.failures, 1);
});

test('flowerRounds names the missing mark of an unfinished run', () => {
  assert.throws(() => flowerRounds({ rounds: 3, marks: MARKS }), /no fit-done mark for round 3/);
});

test('parseFlowerResult accepts the ServerApp file and rejects malformed marks', () => {
  assert.equal(parseFlowerResult(JSON.stringify({ rounds: 2, marks: MARKS })).marks.length, 7);
  assert.throws(() => parseFlowerResult('{"marks": []}'), /expected \{rounds, marks\[\]\}/);
  assert.throws(
    () =>
      parseFlowerResult(
        JSON.stringify({ rounds: 1, marks: [{ round: 1, event: 'train', t: 1, loBytes: 2 }] }),
      ),
    /malformed mark/,
  );
});
