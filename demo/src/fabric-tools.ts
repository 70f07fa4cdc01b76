import { join } from 'node:path';
import { runCommand, stripAnsi } from './child-process';

/** Exit code of network/scripts/build-fabric-tools.sh when the tools cannot be obtained on this machine. */
export const FABRIC_TOOLS_UNOBTAINABLE_EXIT = 3;

export type FabricToolsStatus =
  /** `version` and `source`: from the script's `using Fabric <version> from <source>` line. */
  | { available: true; version: string; source: string }
  /** `unobtainable`: the script's distinct exit code (found nowhere); `exitCode`: the script's. */
  | { available: false; unobtainable: boolean; exitCode: number; reason: string };

/**
 * Obtains the pinned Fabric tools through `network/scripts/build-fabric-tools.sh` (which reuses
 * network/bin or FABRIC_BIN when present) and says whether a real network can run here. The reason
 * is the script's own error line, so callers can quote it verbatim.
 */
export async function obtainFabricTools(
  repoRoot: string,
  onLine?: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FabricToolsStatus> {
  const script = join(repoRoot, 'network', 'scripts', 'build-fabric-tools.sh');
  const result = await runCommand('bash', [script], {
    cwd: repoRoot,
    env,
    ...(onLine ? { onLine } : {}),
  });
  const lines = stripAnsi(result.output)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (result.code === 0) {
    const using = lines
      .map((line) => /using Fabric (\S+) from (.+)$/.exec(line))
      .find((match) => match !== null);
    return { available: true, version: using?.[1] ?? 'unknown', source: using?.[2] ?? 'unknown' };
  }
  // stdout and stderr arrive interleaved, so the error may follow another stream's partial line.
  const errorLine =
    [...lines]
      .reverse()
      .map((line) => line.slice(Math.max(0, line.indexOf('ERROR ['))))
      .find((line) => line.startsWith('ERROR [')) ??
    lines.at(-1) ??
    `exit code ${result.code}`;
  return {
    available: false,
    unobtainable: result.code === FABRIC_TOOLS_UNOBTAINABLE_EXIT,
    exitCode: result.code,
    reason: `build-fabric-tools.sh exited ${result.code}: ${errorLine}`,
  };
}
