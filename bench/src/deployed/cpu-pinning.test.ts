import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTrainingWorker, pinningMasks } from './cpu-pinning';

test('pinningMasks: CPU 0 for training, every other CPU for the rest; refused below 2 CPUs', () => {
  assert.deepEqual(pinningMasks(2), { training: '0x1', rest: '0x2' });
  assert.deepEqual(pinningMasks(16), { training: '0x1', rest: '0xfffe' });
  assert.throws(() => pinningMasks(1), /at least 2 CPUs/);
});

test('isTrainingWorker: the forked training worker only, not the gateway that forked it', () => {
  assert.equal(
    isTrainingWorker('/usr/bin/node\0/srv/gateway/dist/ml/training/training-worker.js\0'),
    true,
  );
  assert.equal(isTrainingWorker('node\0gateway/dist/main.js\0'), false);
  assert.equal(isTrainingWorker('peer\0node\0start\0'), false);
});
