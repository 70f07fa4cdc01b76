import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { lockHolder, withNetworkLock } from './network-lock';

function scratch(): { dir: string; lockDir: string; done: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fedledger-lock-'));
  return {
    dir,
    lockDir: path.join(dir, 'network.lock'),
    done: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('withNetworkLock holds the lock with this pid during the body and removes it after', async () => {
  const { lockDir, done } = scratch();
  try {
    const seen = await withNetworkLock(
      () => Promise.resolve(readFileSync(path.join(lockDir, 'pid'), 'utf8')),
      { lockDir },
    );
    assert.equal(seen, String(process.pid));
    assert.equal(existsSync(lockDir), false);
  } finally {
    done();
  }
});

test('withNetworkLock removes the lock when the body throws', async () => {
  const { lockDir, done } = scratch();
  try {
    await assert.rejects(
      withNetworkLock(async () => Promise.reject(new Error('boom')), { lockDir }),
      /boom/,
    );
    assert.equal(existsSync(lockDir), false);
  } finally {
    done();
  }
});

test('a lock left by a process that is gone is taken over', async () => {
  const { lockDir, done } = scratch();
  try {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    mkdirSync(lockDir);
    writeFileSync(path.join(lockDir, 'pid'), String(gone));
    let waited = false;
    const ran = await withNetworkLock(() => Promise.resolve(lockHolder(lockDir)), {
      lockDir,
      timeoutMs: 0,
      onWait: () => (waited = true),
    });
    assert.equal(ran, process.pid);
    assert.equal(waited, false);
  } finally {
    done();
  }
});

test('a lock held by a live process is waited for, then refused with its pid, and left alone', async () => {
  const { lockDir, done } = scratch();
  try {
    mkdirSync(lockDir);
    writeFileSync(path.join(lockDir, 'pid'), String(process.ppid));
    let toldHolder: number | undefined;
    let ran = false;
    await assert.rejects(
      withNetworkLock(() => Promise.resolve((ran = true)), {
        lockDir,
        timeoutMs: 30,
        pollMs: 5,
        onWait: (holder) => (toldHolder = holder),
      }),
      new RegExp(`held by pid ${process.ppid}`),
    );
    assert.equal(ran, false);
    assert.equal(toldHolder, process.ppid);
    assert.equal(lockHolder(lockDir), process.ppid);
  } finally {
    done();
  }
});
