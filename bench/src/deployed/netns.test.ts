import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loopbackBytes, parseLoopbackBytes, processLive } from './netns';

const PROC_NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
  eth0: 9876543   1200    0    0    0     0          0         0  123456     900    0    0    0     0       0          0
    lo: 4521987    3210    0    0    0     0          0         0 4521987    3210    0    0    0     0       0          0
`;

test('parseLoopbackBytes reads the received bytes of lo, not of another interface', () => {
  assert.equal(parseLoopbackBytes(PROC_NET_DEV), 4_521_987);
});

test('parseLoopbackBytes rejects text without an lo line or with an unreadable counter', () => {
  assert.throws(() => parseLoopbackBytes('  eth0: 1 2 3\n'), /no lo line/);
  assert.throws(() => parseLoopbackBytes('    lo: many 2 3\n'), /unreadable lo counters/);
});

test('loopbackBytes reads this namespace\'s counter and it never goes down', () => {
  const first = loopbackBytes();
  assert.ok(Number.isSafeInteger(first) && first >= 0);
  assert.ok(loopbackBytes() >= first);
});

test('processLive: this process is live, a PID beyond the kernel maximum is not', () => {
  assert.equal(processLive(process.pid), true);
  assert.equal(processLive(2 ** 23), false);
});
