import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { obtainFabricTools } from './fabric-tools';
import { REPO_ROOT } from './repo-paths';

describe('obtainFabricTools', () => {
  it('reports an unusable FABRIC_BIN as a failure that is not "unobtainable", quoting the script’s error', async () => {
    const status = await obtainFabricTools(REPO_ROOT, undefined, {
      ...process.env,
      FABRIC_BIN: '/nonexistent/fabric/bin',
    });
    assert.equal(status.available, false);
    assert.ok(!status.available);
    assert.equal(status.unobtainable, false);
    assert.match(
      status.reason,
      /^build-fabric-tools\.sh exited 1: ERROR \[step: check Fabric tools in FABRIC_BIN=\/nonexistent\/fabric\/bin\]: FABRIC_BIN=\/nonexistent\/fabric\/bin has no executable 'peer'/,
    );
  });
});
