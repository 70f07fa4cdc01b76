import type { GatewayEndpoint } from './gateway-client';

/** The ledger a demo run really used; recorded in summary.json. */
export type LedgerKind = 'fabric' | 'in-process';

/** The hospitals' MSP ids, in order (Org1 creates the federation) and the auditor org's. */
export const HOSPITAL_MSP_IDS = ['Org1MSP', 'Org2MSP', 'Org3MSP'] as const;
export const AUDITOR_MSP_ID = 'AuditorMSP';

/** One gateway per org, reachable over HTTP; stopping them is registered with the run's Teardown. */
export interface RunningConsortium {
  ledger: LedgerKind;
  hospitals: GatewayEndpoint[];
  auditor: GatewayEndpoint;
  /** Where the gateways write their logs (fabric: `<mspId>.log` per process; in-process: one shared file). */
  logDir: string;
}
