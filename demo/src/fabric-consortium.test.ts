// repo-paths reads NETWORK_STATE_DIR when it loads: point it at a directory that already exists.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const existingState = mkdtempSync(join(tmpdir(), 'fedledger-existing-network-'));
process.env['NETWORK_STATE_DIR'] = existingState;

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startFabricConsortium } from './fabric-consortium';
import { Teardown } from './teardown';

describe('startFabricConsortium', () => {
  after(() => {
    rmSync(existingState, { recursive: true, force: true });
  });

  it('refuses to start over an existing network state and registers no teardown (down would stop that network)', async () => {
    const teardownLog: string[] = [];
    const teardown = new Teardown((line) => teardownLog.push(line));
    const root = mkdtempSync(join(tmpdir(), 'fedledger-demo-state-'));
    try {
      await assert.rejects(
        startFabricConsortium(root, join(root, 'logs'), teardown, () => undefined),
        {
          message: `${existingState} exists: a network is already up (or was not taken down). Stop it with network/network.sh down, or run with --ledger in-process`,
        },
      );
      await teardown.run();
      assert.deepEqual(teardownLog, []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
