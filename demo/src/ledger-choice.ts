import { obtainFabricTools } from './fabric-tools';
import type { LedgerRequest } from './demo-options';
import type { LedgerKind } from './running-consortium';
import { REPO_ROOT } from './repo-paths';

export interface LedgerChoice {
  kind: LedgerKind;
  /** Why this ledger: for in-process, the reason it is not Fabric (quoted in the banner and summary). */
  reason: string;
  /** The Fabric release the network runs (fabric only). */
  fabricVersion?: string;
}

/** Thrown when the Fabric tools cannot be found: the demo exits with the tools script's own code. */
export class FabricToolsMissingError extends Error {
  constructor(
    readonly exitCode: number,
    reason: string,
  ) {
    super(
      `the demo runs on a real Fabric network, but the Fabric tools are not available: ${reason}\n(Run with --ledger in-process to use the in-memory ledger instead, announced as NOT Fabric.)`,
    );
    this.name = 'FabricToolsMissingError';
  }
}

/**
 * `in-process`: as asked. `fabric`: the Fabric tools must be obtainable (see
 * network/scripts/build-fabric-tools.sh for where they are looked for), else
 * {@link FabricToolsMissingError}: never a silent fallback to the double.
 */
export async function chooseLedger(
  request: LedgerRequest,
  log: (line: string) => void,
): Promise<LedgerChoice> {
  if (request === 'in-process')
    return { kind: 'in-process', reason: 'requested with --ledger in-process' };
  log('finding the Fabric tools (network/scripts/build-fabric-tools.sh)…');
  const tools = await obtainFabricTools(REPO_ROOT, (line) => {
    log(`  [fabric tools] ${line}`);
  });
  if (tools.available)
    return {
      kind: 'fabric',
      reason: `Fabric ${tools.version} from ${tools.source}`,
      fabricVersion: tools.version,
    };
  throw new FabricToolsMissingError(tools.exitCode, tools.reason);
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
