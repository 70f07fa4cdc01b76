import type { TestContext } from 'node:test';
import { obtainFabricTools } from '@fedledger/gateway/dist/demo/fabric-tools';
import { REPO_ROOT } from '@fedledger/gateway/dist/demo/repo-paths';

/**
 * Obtains the Fabric tools with network/scripts/build-fabric-tools.sh. When the script says they are
 * unobtainable on this machine (its distinct exit code 3) the test is marked SKIPPED with the script's
 * own message and this returns false; any other failure throws, so the test fails.
 */
export async function fabricToolsOrSkip(t: TestContext): Promise<boolean> {
  const status = await obtainFabricTools(REPO_ROOT);
  if (status.available) return true;
  if (status.unobtainable) {
    t.skip(status.reason);
    return false;
  }
  throw new Error(`the Fabric tools could not be prepared: ${status.reason}`);
}
