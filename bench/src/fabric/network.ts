import {
  NETWORK_SCRIPT,
  NETWORK_STATE_DIR,
  REPO_ROOT,
  runCommand,
  stripAnsi,
} from '@fedledger/demo';

export { NETWORK_STATE_DIR };
export { openOrgLedger, type OrgLedger } from '@fedledger/demo';

/** network.sh's exit code when the Fabric tools cannot be obtained on this machine (build-fabric-tools.sh's 3). */
export const TOOLS_UNOBTAINABLE_EXIT = 3;

/** A network.sh run that exited non-zero; `output` is its whole output without colour codes. */
export class NetworkShError extends Error {
  constructor(
    message: string,
    readonly args: readonly string[],
    readonly code: number,
    readonly output: string,
  ) {
    super(message);
    this.name = 'NetworkShError';
  }
}

/** The last `count` non-empty lines of a command's output. */
export function tailLines(output: string, count: number): string {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n');
}

/**
 * Runs `network/network.sh <args>` and returns its wall time in seconds. Step headers and errors go to
 * `onLine`; a non-zero exit throws with the end of the output, and exit 3 (no Fabric tools here) says so.
 */
export async function timedNetworkSh(
  args: string[],
  onLine: (line: string) => void = () => undefined,
  env?: NodeJS.ProcessEnv,
): Promise<number> {
  const started = performance.now();
  const result = await runCommand('bash', [NETWORK_SCRIPT, ...args], {
    cwd: REPO_ROOT,
    ...(env === undefined ? {} : { env }),
    onLine: (raw) => {
      const line = stripAnsi(raw);
      if (line.startsWith('==> ') || line.includes('ERROR')) onLine(line);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.code !== 0) {
    const output = stripAnsi(result.output);
    const tail = tailLines(output, 30);
    if (result.code === TOOLS_UNOBTAINABLE_EXIT) {
      throw new NetworkShError(
        `network.sh ${args.join(' ')} exited 3: the Fabric tools cannot be obtained on this machine, so nothing was measured:\n${tail}`,
        args,
        result.code,
        output,
      );
    }
    throw new NetworkShError(
      `network.sh ${args.join(' ')} exited ${result.code}:\n${tail}`,
      args,
      result.code,
      output,
    );
  }
  return seconds;
}
