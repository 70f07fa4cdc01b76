import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which local dataset this gateway trains on for each federation. The choice is local (the ledger
 * never learns dataset names or paths) and persisted in `<stateDir>/dataset-bindings.json`, so a
 * restarted gateway keeps participating.
 */
export class DatasetBindingsStore {
  readonly #path: string;
  #bindings: Record<string, string>;

  constructor(stateDir: string) {
    this.#path = join(stateDir, 'dataset-bindings.json');
    this.#bindings = readBindings(this.#path);
  }

  /** The dataset bound to a federation, if any. */
  get(federationId: string): string | undefined {
    return this.#bindings[federationId];
  }

  /** Federations bound to a dataset, sorted. */
  federationsBoundTo(datasetId: string): string[] {
    return Object.entries(this.#bindings)
      .filter(([, bound]) => bound === datasetId)
      .map(([federationId]) => federationId)
      .sort();
  }

  /** Binds (or rebinds) a federation to a local dataset and persists the change. */
  bind(federationId: string, datasetId: string): void {
    this.#bindings = { ...this.#bindings, [federationId]: datasetId };
    mkdirSync(join(this.#path, '..'), { recursive: true });
    const temp = `${this.#path}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.#bindings, null, 2)}\n`);
    renameSync(temp, this.#path);
  }
}

function readBindings(path: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}
