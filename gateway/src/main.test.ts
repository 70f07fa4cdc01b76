import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const MAIN = join(__dirname, 'main.js');

function boot(env: Record<string, string>): {
  status: number | null;
  record: { level: string; msg: string; key?: string };
} {
  const result = spawnSync(process.execPath, [MAIN], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return {
    status: result.status,
    record: JSON.parse(result.stderr.trim().split('\n').pop() as string) as {
      level: string;
      msg: string;
      key?: string;
    },
  };
}

describe('main', () => {
  it('exits with 78 and one JSON line naming the bad key', () => {
    const missing = boot({ FEDLEDGER_DATA_DIR: '/tmp/d', FEDLEDGER_STATE_DIR: '/tmp/s' });
    assert.equal(missing.status, 78);
    assert.deepEqual(
      [missing.record.level, missing.record.key],
      ['error', 'FEDLEDGER_ORG_CONNECTION'],
    );
    const badMode = boot({
      FEDLEDGER_LEDGER_MODE: 'mock',
      FEDLEDGER_DATA_DIR: '/tmp/d',
      FEDLEDGER_STATE_DIR: '/tmp/s',
    });
    assert.equal(badMode.status, 78);
    assert.equal(badMode.record.key, 'FEDLEDGER_LEDGER_MODE');
  });

  it('refuses the in-process ledger: it is for tests and the demo, which inject it in code', () => {
    const result = boot({
      FEDLEDGER_LEDGER_MODE: 'in-process',
      FEDLEDGER_DATA_DIR: '/tmp/d',
      FEDLEDGER_STATE_DIR: '/tmp/s',
    });
    assert.equal(result.status, 78);
    assert.equal(result.record.key, 'FEDLEDGER_LEDGER_MODE');
  });
});
