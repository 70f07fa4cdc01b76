import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '@fedledger/demo';

/** The ordering services network.sh can bring up (`--consensus`). */
export const CONSENSUS_KINDS = ['bft', 'raft'] as const;
export type Consensus = (typeof CONSENSUS_KINDS)[number];

/** A comma-separated list of consensus kinds, without duplicates, in the given order. */
export function parseConsensusList(text: string): Consensus[] {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) throw new Error('no consensus given (bft, raft)');
  const seen = new Set<string>();
  for (const part of parts) {
    if (!(CONSENSUS_KINDS as readonly string[]).includes(part))
      throw new Error(`consensus must be bft or raft (got '${part}')`);
    if (seen.has(part)) throw new Error(`consensus ${part} is listed twice`);
    seen.add(part);
  }
  return parts as Consensus[];
}

/**
 * Writes a copy of network/network.config with CONSENSUS set, for a process that runs network.sh
 * itself (the demo): network.sh reads $NETWORK_CONFIG in place of network.config, so the
 * consensus is chosen without a flag through the demo's own code.
 */
export function networkConfigWith(consensus: Consensus, dir: string): string {
  const base = readFileSync(path.join(REPO_ROOT, 'network', 'network.config'), 'utf8');
  const file = path.join(dir, `network.${consensus}.config`);
  writeFileSync(
    file,
    `${base}\n# Set by the benchmark: the ordering service of this run.\nCONSENSUS=${consensus}\n`,
  );
  return file;
}
