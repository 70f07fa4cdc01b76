import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { NetNamespace } from './netns';

/** How often new processes (a gateway's training worker starts at its first training) are pinned. */
const PIN_EVERY_MS = 300;

/**
 * taskset masks that give the gateways' training workers CPU 0 and everything else of a run (peers,
 * orderers, chaincode servers, gateways, the driver) the other CPUs: an org's ledger work then never
 * competes with its training, as where each org trains on cores (or a GPU) of its own.
 */
export function pinningMasks(cpus: number): { training: string; rest: string } {
  if (!Number.isInteger(cpus) || cpus < 2)
    throw new Error(`pinning training apart needs at least 2 CPUs, this machine has ${cpus}`);
  const all = (1n << BigInt(cpus)) - 1n;
  return { training: '0x1', rest: `0x${(all & ~1n).toString(16)}` };
}

/** Whether a process, by its command line (NUL-separated as in /proc), is a gateway's training worker. */
export function isTrainingWorker(cmdline: string): boolean {
  return cmdline.split('\0').some((arg) => arg.endsWith('training-worker.js'));
}

/** Keeps every process of a namespace pinned by {@link pinningMasks} until stopped. */
export class CpuPinning {
  readonly #timer: NodeJS.Timeout;
  readonly #pinned = new Map<number, string>();

  private constructor(ns: NetNamespace, cpus: number) {
    const masks = pinningMasks(cpus);
    this.#timer = setInterval(() => {
      for (const pid of ns.pids()) {
        let cmdline: string;
        try {
          cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          continue; // exited meanwhile
        }
        const mask = isTrainingWorker(cmdline) ? masks.training : masks.rest;
        if (this.#pinned.get(pid) === mask) continue;
        this.#pinned.set(pid, mask);
        // -a: every thread of the process; threads started later inherit the mask.
        execFile('taskset', ['-a', '-p', mask, String(pid)], () => undefined);
      }
    }, PIN_EVERY_MS);
  }

  static start(ns: NetNamespace, cpus: number): CpuPinning {
    return new CpuPinning(ns, cpus);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
