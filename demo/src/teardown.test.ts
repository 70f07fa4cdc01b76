import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Teardown } from './teardown';

describe('Teardown', () => {
  it('runs steps newest first, keeps going past a failing step, and runs each step once', async () => {
    const log: string[] = [];
    const ran: string[] = [];
    const teardown = new Teardown((line) => log.push(line));
    teardown.add('network', () => void ran.push('network'));
    teardown.add('gateway', () => {
      ran.push('gateway');
      throw new Error('already gone');
    });
    teardown.add('logs', () => void ran.push('logs'));
    await Promise.all([teardown.run(), teardown.run()]);
    await teardown.run();
    assert.deepEqual(ran, ['logs', 'gateway', 'network']);
    assert.deepEqual(log, [
      'stopping logs',
      'stopping gateway',
      'could not stop gateway: already gone',
      'stopping network',
    ]);
  });

  it('lets a step be run early, after which the teardown skips it', async () => {
    const ran: string[] = [];
    const teardown = new Teardown(() => undefined);
    teardown.add('a', () => void ran.push('a'));
    const stopB = teardown.add('b', () => void ran.push('b'));
    await stopB();
    await stopB();
    await teardown.run();
    assert.deepEqual(ran, ['b', 'a']);
  });
});
