import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { machineInfo, type MachineInfo } from './machine';

export interface BenchResult<T> {
  name: string;
  /** ISO time the run finished. */
  finishedAt: string;
  quick: boolean;
  machine: MachineInfo;
  /** Exactly what was measured and what was not, in words. */
  notes: string[];
  /** The Markdown table printed at the end of the run. */
  table: string;
  data: T;
}

/** Writes `<resultsDir>/<name>.json` and returns its path. */
export function writeResult<T>(
  resultsDir: string,
  result: Omit<BenchResult<T>, 'finishedAt' | 'machine'>,
): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${result.name}.json`);
  const full: BenchResult<T> = {
    ...result,
    finishedAt: new Date().toISOString(),
    machine: machineInfo(),
  };
  writeFileSync(file, `${JSON.stringify(full, null, 2)}\n`);
  return file;
}
