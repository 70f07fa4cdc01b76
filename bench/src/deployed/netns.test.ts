import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { loopbackBytes, NetNamespace, parseLoopbackBytes, processLive } from './netns';

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

test("loopbackBytes reads this namespace's counter and it never goes down", () => {
  const first = loopbackBytes();
  assert.ok(Number.isSafeInteger(first) && first >= 0);
  assert.ok(loopbackBytes() >= first);
});

test('processLive: this process is live, a PID beyond the kernel maximum is not', () => {
  assert.equal(processLive(process.pid), true);
  assert.equal(processLive(2 ** 23), false);
});

test('NetNamespace: traffic inside is counted on its loopback, its processes are listed and stopped by PID, then it is gone', async () => {
  const ns = NetNamespace.create(`fedledger-test-${process.pid}`);
  try {
    const before = ns.loopbackBytes();
    // A server and a client in one process inside the namespace: 200 kB over 127.0.0.1, then it idles until stopped.
    const script = `const net=require('net');const s=net.createServer(c=>c.resume()).listen(0,'127.0.0.1',()=>{const c=net.connect(s.address().port,'127.0.0.1',()=>{c.write(Buffer.alloc(200000),()=>console.log('sent'))})});setInterval(()=>{},1000)`;
    const [command, args] = ns.wrap(process.execPath, ['-e', script]);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) =>
      child.stdout.once('data', () => {
        resolve();
      }),
    );
    assert.ok(
      ns.loopbackBytes() - before >= 200_000,
      'the 200 kB sent inside the namespace are on its loopback',
    );
    assert.deepEqual(ns.pids(), [child.pid]);
    assert.deepEqual(await ns.stopAll(), [child.pid]);
    assert.deepEqual(ns.pids(), []);
  } finally {
    await ns.destroy();
  }
  assert.equal(existsSync(`/run/netns/${ns.name}`), false);
});
