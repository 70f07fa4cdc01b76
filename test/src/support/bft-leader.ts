import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NETWORK_STATE_DIR } from './network';

/**
 * The SmartBFT leader as the orderers report it on their operations endpoint (orderer.yaml
 * Metrics.Provider prometheus, set by network.sh): the gauge `consensus_smartbft_view_leader_id`
 * carries the consenter ID of the current view's leader, and network.sh gives orderer i the
 * ConsenterMapping ID i. Each live node answers for itself; the leader is the ID most of them name,
 * so one lagging or lying node cannot point the test at the wrong process.
 */
export async function bftLeader(
  channel: string,
  operationsPorts: Readonly<Record<number, number>>,
): Promise<number | undefined> {
  const votes = new Map<number, number>();
  for (const port of Object.values(operationsPorts)) {
    const id = await leaderSeenBy(port, channel);
    if (id !== undefined) votes.set(id, (votes.get(id) ?? 0) + 1);
  }
  let best: [number, number] | undefined;
  for (const entry of votes) if (best === undefined || entry[1] > best[1]) best = entry;
  return best?.[0];
}

async function leaderSeenBy(port: number, channel: string): Promise<number | undefined> {
  let text: string;
  try {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
      signal: AbortSignal.timeout(2_000),
    });
    text = await response.text();
  } catch {
    return undefined;
  }
  for (const match of text.matchAll(/^consensus_smartbft_view_leader_id\{([^}]*)\} (\d+)$/gm)) {
    if (match[1].includes(`channel="${channel}"`)) return Number(match[2]);
  }
  return undefined;
}

/** PID recorded for a component in network/state/pids/<component>.pid ("PID START_TIME"). */
export function componentPid(component: string): number {
  const pid = Number(
    readFileSync(join(NETWORK_STATE_DIR, 'pids', `${component}.pid`), 'utf8')
      .trim()
      .split(/\s+/)[0],
  );
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no PID recorded for ${component}`);
  return pid;
}
