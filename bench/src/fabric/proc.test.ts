import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  componentKind,
  parsePidRecord,
  parseStat,
  parseVmRssKiB,
  readRssKiB,
  recordedProcessAlive,
  recordedProcesses,
  sumRssByKind,
} from './proc';

const STATUS = [
  'Name:\tpeer',
  'State:\tS (sleeping)',
  'VmPeak:\t 2000000 kB',
  'VmHWM:\t  190000 kB',
  'VmRSS:\t  123456 kB',
  'RssAnon:\t  100000 kB',
  'Threads:\t12',
  '',
].join('\n');

test('parseVmRssKiB reads the VmRSS line only', () => {
  assert.equal(parseVmRssKiB(STATUS), 123456);
  assert.equal(parseVmRssKiB('Name:\tkthreadd\nState:\tS (sleeping)\n'), undefined);
  assert.equal(parseVmRssKiB(''), undefined);
});

test('parsePidRecord reads "PID START_TIME" and rejects garbage', () => {
  assert.deepEqual(parsePidRecord('20791 123456\n'), { pid: 20791, startTime: '123456' });
  assert.deepEqual(parsePidRecord('42\n'), { pid: 42, startTime: undefined });
  assert.deepEqual(parsePidRecord('42 \n'), { pid: 42, startTime: undefined });
  for (const bad of ['', 'abc 1', '0 5', '-3 5', '12x']) {
    assert.equal(parsePidRecord(bad), undefined, bad);
  }
});

test('parseStat counts fields after the last parenthesis (names may hold spaces and parentheses)', () => {
  // Fields 4..52 hold their own field number, so field 22 (start time) reads "22".
  const rest = Array.from({ length: 49 }, (_, i) => String(i + 4)).join(' ');
  const stat = `123 (peer node (x)) S ${rest}`;
  assert.deepEqual(parseStat(stat), { state: 'S', startTime: '22' });
  assert.equal(parseStat('123 (short)'), undefined);
});

test('componentKind maps network.sh component names', () => {
  assert.equal(componentKind('orderer1'), 'orderer');
  assert.equal(componentKind('orderer3'), 'orderer');
  assert.equal(componentKind('peer.org2'), 'peer');
  assert.equal(componentKind('peer.auditor'), 'peer');
  assert.equal(componentKind('cc.org1'), 'chaincode');
  assert.equal(componentKind('gateway.org1'), undefined);
});

test('sumRssByKind sums per kind; unknown kinds count in the total only', () => {
  const sums = sumRssByKind([
    { component: 'orderer1', kind: 'orderer', pid: 1, rssKiB: 10 },
    { component: 'peer.org1', kind: 'peer', pid: 2, rssKiB: 100 },
    { component: 'peer.org2', kind: 'peer', pid: 3, rssKiB: 120 },
    { component: 'cc.org1', kind: 'chaincode', pid: 4, rssKiB: 50 },
    { component: 'other', kind: undefined, pid: 5, rssKiB: 7 },
  ]);
  assert.deepEqual(sums, { orderer: 10, peer: 220, chaincode: 50, total: 287 });
  assert.deepEqual(sumRssByKind([]), { orderer: 0, peer: 0, chaincode: 0, total: 0 });
});

test('recordedProcesses reads pids/*.pid, skipping garbage and other files', () => {
  const state = mkdtempSync(path.join(os.tmpdir(), 'bench-proc-'));
  try {
    assert.deepEqual(recordedProcesses(state), []);
    mkdirSync(path.join(state, 'pids'));
    writeFileSync(path.join(state, 'pids', 'peer.org1.pid'), '200 999\n');
    writeFileSync(path.join(state, 'pids', 'orderer1.pid'), '100 998\n');
    writeFileSync(path.join(state, 'pids', 'cc.org1.pid'), 'garbage\n');
    writeFileSync(path.join(state, 'pids', 'notes.txt'), '300 1\n');
    assert.deepEqual(recordedProcesses(state), [
      { component: 'orderer1', kind: 'orderer', pid: 100, startTime: '998' },
      { component: 'peer.org1', kind: 'peer', pid: 200, startTime: '999' },
    ]);
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
});

test(
  'recordedProcessAlive checks existence and start time; readRssKiB reads a live process',
  { skip: process.platform !== 'linux' },
  () => {
    const own = parseStat(readFileSync('/proc/self/stat', 'utf8'));
    assert.ok(own !== undefined);
    assert.equal(recordedProcessAlive({ pid: process.pid, startTime: own.startTime }), true);
    assert.equal(recordedProcessAlive({ pid: process.pid, startTime: undefined }), true);
    assert.equal(
      recordedProcessAlive({ pid: process.pid, startTime: `${own.startTime}0` }),
      false,
      'a reused PID is not ours',
    );
    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    assert.equal(recordedProcessAlive({ pid: exited, startTime: undefined }), false);
    assert.ok((readRssKiB(process.pid) ?? 0) > 0);
    assert.equal(readRssKiB(exited), undefined);
  },
);
