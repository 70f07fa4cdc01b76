import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The machine-wide lock taken around a real network by the end-to-end tests and the network
 * benchmark: `<tmpdir>/fedledger-e2e-network.lock`, a directory holding the holder's PID. It keeps
 * them from bringing up two networks on the same ports and state directory.
 */
export const NETWORK_LOCK_DIR = path.join(os.tmpdir(), 'fedledger-e2e-network.lock');

export interface LockOptions {
  lockDir?: string;
  /** How long to wait for a live holder before giving up; default 15 minutes. */
  timeoutMs?: number;
  pollMs?: number;
  /** Told once, when the lock is found held by a live process. */
  onWait?: (holderPid: number | undefined) => void;
}

/**
 * The PID written in the lock, or undefined when the pid file is missing or unreadable (the holder
 * may be between its mkdir and its write).
 */
export function lockHolder(lockDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(lockDir, 'pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock (an atomic mkdir), runs `body`, and removes the lock if it still names this process.
 * A lock whose holder no longer exists is taken over; a live holder is waited for, polling every
 * `pollMs`, and after `timeoutMs` this throws naming the holder.
 */
export async function withNetworkLock<T>(
  body: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lockDir = options.lockDir ?? NETWORK_LOCK_DIR;
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  const pollMs = options.pollMs ?? 2000;
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder(lockDir);
    if (holder !== undefined && !processAlive(holder)) {
      // Left behind by a process that is gone: take it over (the next mkdir decides who wins a race).
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `${lockDir} is still held by ${holder === undefined ? 'a process that has not written its pid' : `pid ${holder}`} after ${Math.round(timeoutMs / 1000)} s: another real network (an e2e test or benchmark) is in use`,
      );
    }
    if (!told) {
      options.onWait?.(holder);
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  try {
    return await body();
  } finally {
    if (lockHolder(lockDir) === process.pid) rmSync(lockDir, { recursive: true, force: true });
  }
}

/** True while a process with this PID exists (also one we may not signal) and is not a zombie. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}
