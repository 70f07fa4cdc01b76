import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baselineTimeout, parseBatchTimeout, parseBatchTimeouts } from './batch-timeouts';

test('parseBatchTimeout accepts network.sh forms and converts to milliseconds', () => {
  assert.deepEqual(parseBatchTimeout('250ms'), { label: '250ms', ms: 250 });
  assert.deepEqual(parseBatchTimeout(' 2s '), { label: '2s', ms: 2000 });
  assert.deepEqual(parseBatchTimeout('020ms'), { label: '20ms', ms: 20 });
  for (const bad of ['250', '0ms', '1.5s', '-5ms', 'ms', '10m']) {
    assert.throws(() => parseBatchTimeout(bad), /batch timeout must look like/, bad);
  }
});

test('parseBatchTimeouts keeps the order and refuses empty lists and duplicates', () => {
  assert.deepEqual(
    parseBatchTimeouts('50ms,250ms').map((t) => t.ms),
    [50, 250],
  );
  assert.deepEqual(
    parseBatchTimeouts('1s, 20ms,').map((t) => t.label),
    ['1s', '20ms'],
  );
  assert.throws(() => parseBatchTimeouts(''), /no batch timeout/);
  assert.throws(() => parseBatchTimeouts('250ms,250ms'), /listed twice/);
  assert.throws(() => parseBatchTimeouts('1s,1000ms'), /listed twice/);
});

test('baselineTimeout prefers 250ms, else the longest', () => {
  assert.equal(baselineTimeout(parseBatchTimeouts('20ms,250ms,1s')).label, '250ms');
  assert.equal(baselineTimeout(parseBatchTimeouts('20ms,1s,100ms')).label, '1s');
});
