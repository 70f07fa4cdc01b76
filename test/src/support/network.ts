import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  CONNECTIONS_DIR,
  NETWORK_SCRIPT,
  NETWORK_STATE_DIR,
  REPO_ROOT,
  runCommand,
  stripAnsi,
} from '@fedledger/demo';

export { CONNECTIONS_DIR, NETWORK_STATE_DIR };
export { processAlive } from '@fedledger/demo';

/** Runs `network/network.sh <args>`; throws with its output unless it exits 0 (or `allowFailure`). */
export async function networkSh(
  args: string[],
  options: { allowFailure?: boolean } = {},
): Promise<string> {
  const result = await runCommand('bash', [NETWORK_SCRIPT, ...args], { cwd: REPO_ROOT });
  const output = stripAnsi(result.output);
  if (result.code !== 0 && !options.allowFailure) {
    throw new Error(`network.sh ${args.join(' ')} exited ${result.code}:\n${output}`);
  }
  return output;
}

/** Block height of each running peer, from `network.sh status` ("peer.org2 … height 12"). */
export async function peerHeights(): Promise<Partial<Record<string, number>>> {
  const output = await networkSh(['status'], { allowFailure: true });
  const heights: Partial<Record<string, number>> = {};
  for (const match of output.matchAll(/^(peer\.\S+)\s+\d+\s+up\s+\S+\s+height (\d+)/gm)) {
    heights[match[1]] = Number(match[2]);
  }
  return heights;
}

/** PIDs recorded in network/state/pids/*.pid ("PID START_TIME"). */
export function recordedPids(): number[] {
  const dir = join(NETWORK_STATE_DIR, 'pids');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.pid'))
    .map((name) => recordedPid(name.slice(0, -'.pid'.length)))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/** The PID recorded for one network component (`peer.org2`, `orderer1`, `cc.org3`, …). */
export function recordedPid(component: string): number {
  return Number(
    readFileSync(join(NETWORK_STATE_DIR, 'pids', `${component}.pid`), 'utf8')
      .trim()
      .split(/\s+/)[0],
  );
}

/** Block height of each running orderer, from `network.sh status` ("orderer2 … height 12 (consenter)"). */
export async function ordererHeights(): Promise<Record<string, number>> {
  const output = await networkSh(['status'], { allowFailure: true });
  const heights: Record<string, number> = {};
  for (const match of output.matchAll(/^(orderer\d+)\s+\d+\s+up\s+\S+\s+height (\d+)/gm)) {
    heights[match[1]] = Number(match[2]);
  }
  return heights;
}

/** Orderer nodes of the default layout: BFT, one per member org (3) and the auditor. */
export const DEFAULT_ORDERER_NODES = 4;

/**
 * Every port of the default layout (network/network.config: BASE_PORT 7050, BFT with one orderer
 * per member org and the auditor, three member orgs): orderer i at 7050+10(i-1) (+0 listen, +1
 * admin, +2 operations); the peer of org k at 7150+10(k-1) (+0 peer, +1 chaincode listener, +2
 * operations, +3 chaincode server).
 */
export function defaultLayoutPorts(): number[] {
  return layoutPorts(3);
}

/** Every port of the BFT layout with `memberOrgs` member orgs (`network.sh up --orgs N`): N + 1 orderers and N + 1 peers. */
export function layoutPorts(memberOrgs: number): number[] {
  const ports: number[] = [];
  for (let i = 1; i <= memberOrgs + 1; i++)
    for (let offset = 0; offset < 3; offset++) ports.push(7050 + 10 * (i - 1) + offset);
  for (let k = 1; k <= memberOrgs + 1; k++)
    for (let offset = 0; offset < 4; offset++) ports.push(7150 + 10 * (k - 1) + offset);
  return ports;
}

/** The ports among `ports` that cannot be bound on 127.0.0.1 right now. */
export async function busyPorts(ports: number[]): Promise<number[]> {
  const busy: number[] = [];
  for (const port of ports) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => {
        resolve(false);
      });
      server.listen({ host: '127.0.0.1', port, exclusive: true }, () =>
        server.close(() => {
          resolve(true);
        }),
      );
    });
    if (!free) busy.push(port);
  }
  return busy;
}

/** Polls `check` every `delayMs` up to `attempts` times; throws naming `what` when it never holds. */
export async function waitFor(
  what: string,
  attempts: number,
  delayMs: number,
  check: () => Promise<boolean>,
): Promise<void> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  throw new Error(`timed out waiting for ${what} (${attempts} × ${delayMs} ms)`);
}
