import { rmSync } from 'node:fs';
import { progress } from '../cli/run-bench';
import { NetNamespace } from './netns';

/** What a namespaced benchmark's run reads to stop early, and where its scratch folder is. */
export interface BenchInterrupt {
  signal: AbortSignal;
  /** The run's scratch folder, removed when an interrupt finds nothing left to stop. */
  setWorkDir(dir: string): void;
}

/**
 * SIGINT/SIGTERM for the benchmarks that run systems in network namespaces: while a namespace is
 * alive the run is aborted (its children get SIGTERM, and each run's `finally` stops whatever is left
 * in its namespace by PID); with none alive (e.g. still waiting for the network lock) there is
 * nothing to stop, so the process removes its scratch folder and exits at once.
 */
export function onBenchInterrupt(name: string): BenchInterrupt {
  const controller = new AbortController();
  let workDir: string | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (NetNamespace.live.size === 0) {
        if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
        process.exit(130);
      }
      progress(`${name}: ${signal}: stopping every process this benchmark started…`);
      controller.abort();
    });
  }
  return {
    signal: controller.signal,
    setWorkDir: (dir) => {
      workDir = dir;
    },
  };
}
