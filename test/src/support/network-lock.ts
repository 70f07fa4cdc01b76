import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from './network';

const LOCK_DIR = join(tmpdir(), 'fedledger-e2e-network.lock');
const LOCK_ATTEMPTS = 3600;
const LOCK_DELAY_MS = 1000;

/**
 * Runs `body` while holding a machine-wide lock, so end-to-end test files that node --test runs
 * concurrently never bring up two networks on the same ports and state directory. A lock left by a
 * process that no longer exists is taken over.
 */
export async function withNetworkLock<T>(body: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= LOCK_ATTEMPTS) throw error;
      if (!holderAlive()) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_DELAY_MS));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function holderAlive(): boolean {
  try {
    return processAlive(Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8')));
  } catch {
    return true; // being created right now: wait
  }
}
