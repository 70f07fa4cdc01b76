import { join } from 'node:path';
import { runCommand, stripAnsi } from './child-process';

/** Exit code of network/scripts/build-fabric-tools.sh when the tools cannot be obtained on this machine. */
export const FABRIC_TOOLS_UNOBTAINABLE_EXIT = 3;

export type FabricToolsStatus =
  | { available: true }
  /** `unobtainable`: the script's distinct exit code (Go proxy refusal, no Go and no FABRIC_BIN). */
  | { available: false; unobtainable: boolean; reason: string };

/**
 * Obtains the pinned Fabric tools through `network/scripts/build-fabric-tools.sh` (which reuses
 * network/bin or FABRIC_BIN when present) and says whether a real network can run here. The reason
 * is the script's own error line, so callers can quote it verbatim.
 */
export async function obtainFabricTools(repoRoot: string, onLine?: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<FabricToolsStatus> {
  const script = join(repoRoot, 'network', 'scripts', 'build-fabric-tools.sh');
  const result = await runCommand('bash', [script], { cwd: repoRoot, env, ...(onLine ? { onLine } : {}) });
  if (result.code === 0) return { available: true };
  const lines = stripAnsi(result.output)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  // stdout and stderr arrive interleaved, so the error may follow another stream's partial line.
  const errorLine = [...lines].reverse().map((line) => line.slice(Math.max(0, line.indexOf('ERROR ['))))
    .find((line) => line.startsWith('ERROR [')) ?? lines[lines.length - 1] ?? `exit code ${result.code}`;
  return { available: false, unobtainable: result.code === FABRIC_TOOLS_UNOBTAINABLE_EXIT, reason: `build-fabric-tools.sh exited ${result.code}: ${errorLine}` };
}
