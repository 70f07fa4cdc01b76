import { obtainFabricTools } from './fabric-tools';
import type { LedgerRequest } from './demo-options';
import type { LedgerKind } from './running-consortium';
import { REPO_ROOT } from './repo-paths';

export interface LedgerChoice {
  kind: LedgerKind;
  /** Why this ledger: for in-process, the reason it is not Fabric (quoted in the banner and summary). */
  reason: string;
}

/**
 * `in-process`: as asked. `fabric`: the Fabric tools must be obtainable (network/bin, FABRIC_BIN, or a
 * successful build), else an error. `auto`: Fabric when the tools can be obtained, otherwise the
 * in-process ledger with the build script's own explanation as the reason.
 */
export async function chooseLedger(request: LedgerRequest, log: (line: string) => void): Promise<LedgerChoice> {
  if (request === 'in-process') return { kind: 'in-process', reason: 'requested with --ledger in-process' };
  log('obtaining the Fabric tools (network/scripts/build-fabric-tools.sh)…');
  const tools = await obtainFabricTools(REPO_ROOT, (line) => log(`  [fabric tools] ${line}`));
  if (tools.available) return { kind: 'fabric', reason: 'Fabric tools available' };
  if (request === 'fabric') throw new Error(`--ledger fabric, but the Fabric tools are not available: ${tools.reason}`);
  return { kind: 'in-process', reason: `the Fabric tools are not available on this machine (${tools.reason})` };
}

/** The loud banner for runs that are not on Fabric. */
export function notFabricBanner(reason: string): string {
  const rule = '!'.repeat(100);
  return [
    rule,
    '!!  NOT a Fabric network: this run uses the in-process ledger (the real chaincode contract classes on',
    '!!  an in-memory world state shared by four gateway apps in this one Node process). No peers, no',
    '!!  orderer, no endorsement policy, no private-data gossip. See docs/adr/0002.',
    `!!  Reason: ${reason}`,
    rule,
  ].join('\n');
}
