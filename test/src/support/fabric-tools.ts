import { obtainFabricTools, REPO_ROOT } from '@fedledger/demo';

/**
 * Finds the Fabric tools with network/scripts/build-fabric-tools.sh, or throws with the script's
 * own message (which lists every place it looked). The real-network tests never skip: a machine
 * that runs the test suite must have the tools (see docs/operations.md, "Prerequisites").
 */
export async function requireFabricTools(): Promise<void> {
  const status = await obtainFabricTools(REPO_ROOT);
  if (!status.available)
    throw new Error(`the real-network tests need the Fabric tools: ${status.reason}`);
}
