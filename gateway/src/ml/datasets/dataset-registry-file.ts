import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FedLedgerError } from '@fedledger/core';
import type { DatasetRecord } from './dataset-record';

/** The registry's file name inside the state directory. */
export const REGISTRY_FILE = 'datasets.json';

interface RegistryDocument {
  version: 1;
  datasets: DatasetRecord[];
}

/** Reads the registry synchronously at start-up; a missing file is an empty registry. */
export function readRegistry(stateDir: string): DatasetRecord[] {
  const file = path.join(stateDir, REGISTRY_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      `${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const datasets = (document as Partial<RegistryDocument> | null)?.datasets;
  if ((document as Partial<RegistryDocument> | null)?.version !== 1 || !Array.isArray(datasets)) {
    throw new FedLedgerError('FAILED_PRECONDITION', `${file} is not a version 1 dataset registry`);
  }
  return datasets;
}

/** Replaces the registry file atomically (write a temporary file, then rename over the old one). */
export async function writeRegistry(
  stateDir: string,
  datasets: readonly DatasetRecord[],
): Promise<void> {
  await fs.mkdir(stateDir, { recursive: true });
  const file = path.join(stateDir, REGISTRY_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  const document: RegistryDocument = {
    version: 1,
    datasets: [...datasets].sort((a, b) => a.id.localeCompare(b.id)),
  };
  await fs.writeFile(temporary, JSON.stringify(document, null, 2) + '\n', 'utf8');
  await fs.rename(temporary, file);
}
