import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** What a process recorded by network.sh is, from its component name (orderer1, peer.org2, cc.auditor). */
export type ProcessKind = 'orderer' | 'peer' | 'chaincode';

export const PROCESS_KINDS: readonly ProcessKind[] = ['orderer', 'peer', 'chaincode'];

/** One line of network/state/pids/<component>.pid ("PID START_TIME"). */
export interface RecordedProcess {
  component: string;
  kind: ProcessKind | undefined;
  pid: number;
  /** Kernel start time (clock ticks since boot), so a PID reused by another process is not mistaken for ours. */
  startTime: string | undefined;
}

/** The resident set size in KiB from the text of /proc/<pid>/status, or undefined without a VmRSS line (kernel threads, zombies). */
export function parseVmRssKiB(statusText: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB\s*$/m.exec(statusText);
  return match === null ? undefined : Number(match[1]);
}

/** The PID and start time in a pid file's text ("PID START_TIME", start time optional), or undefined for garbage. */
export function parsePidRecord(
  text: string,
): { pid: number; startTime: string | undefined } | undefined {
  const fields = text.trim().split(/\s+/);
  // split always yields a first field (empty for empty text); the start time may be absent.
  const pidText = fields[0];
  const startTime = fields.at(1);
  if (!/^[1-9]\d*$/.test(pidText)) {
    return undefined;
  }
  return {
    pid: Number(pidText),
    startTime: startTime !== undefined && /^\d+$/.test(startTime) ? startTime : undefined,
  };
}

/**
 * Start time (field 22) and state (field 3) from the text of /proc/<pid>/stat. The command name
 * (field 2) may contain spaces and parentheses, so the fields are counted after the last ')'.
 */
export function parseStat(statText: string): { state: string; startTime: string } | undefined {
  const fields = statText
    .slice(statText.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/);
  const state = fields[0];
  const startTime = fields.at(19);
  return startTime === undefined ? undefined : { state, startTime };
}

/** orderer1 → orderer, peer.org2 → peer, cc.auditor → chaincode; anything else → undefined. */
export function componentKind(component: string): ProcessKind | undefined {
  if (/^orderer\d+$/.test(component)) return 'orderer';
  if (component.startsWith('peer.')) return 'peer';
  if (component.startsWith('cc.')) return 'chaincode';
  return undefined;
}

export interface RssReading {
  component: string;
  kind: ProcessKind | undefined;
  pid: number;
  rssKiB: number;
}

/** Sum of resident memory per kind and in all, in KiB; processes of no known kind count only in the total. */
export function sumRssByKind(
  readings: readonly RssReading[],
): Record<ProcessKind | 'total', number> {
  const sums: Record<ProcessKind | 'total', number> = {
    orderer: 0,
    peer: 0,
    chaincode: 0,
    total: 0,
  };
  for (const reading of readings) {
    if (reading.kind !== undefined) sums[reading.kind] += reading.rssKiB;
    sums.total += reading.rssKiB;
  }
  return sums;
}

/** The processes recorded in `<stateDir>/pids/*.pid`; unreadable or garbage files are skipped. */
export function recordedProcesses(stateDir: string): RecordedProcess[] {
  const dir = path.join(stateDir, 'pids');
  if (!existsSync(dir)) return [];
  const found: RecordedProcess[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.pid'))
    .sort()) {
    let record: ReturnType<typeof parsePidRecord>;
    try {
      record = parsePidRecord(readFileSync(path.join(dir, name), 'utf8'));
    } catch {
      continue;
    }
    if (record === undefined) continue;
    const component = name.slice(0, -'.pid'.length);
    found.push({ component, kind: componentKind(component), ...record });
  }
  return found;
}

/** True while this very process (same PID and, where recorded, same start time) exists and is not a zombie. */
export function recordedProcessAlive(proc: Pick<RecordedProcess, 'pid' | 'startTime'>): boolean {
  try {
    process.kill(proc.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else, so it cannot be one of ours unless the start time says so.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  let stat: ReturnType<typeof parseStat>;
  try {
    stat = parseStat(readFileSync(`/proc/${proc.pid}/stat`, 'utf8'));
  } catch {
    return !existsSync('/proc/self/stat'); // no /proc: kill(0) is all we know
  }
  if (stat === undefined || stat.state === 'Z') return false;
  return proc.startTime === undefined || stat.startTime === proc.startTime;
}

/** The resident memory of a live process in KiB, from /proc/<pid>/status; undefined when it is gone. */
export function readRssKiB(pid: number): number | undefined {
  try {
    return parseVmRssKiB(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}
