/**
 * @fedledger/demo — the multi-hospital demo (`node demo/dist/main.js`, see --help) and what the
 * end-to-end tests and benchmarks share with it: bringing up the real consortium with
 * network/network.sh and one gateway process per org, a REST client of the gateways, the network
 * lock, and the demo's data.
 *
 * @packageDocumentation
 */
export { runCommand, stripAnsi } from './child-process';
export { connectionHost } from './connection-host';
export { buildDemoData, type DemoData } from './demo-data';
export { DEFAULT_DEMO_OPTIONS, DEMO_SPLITS, type DemoSplit } from './demo-options';
export type { DemoSummary } from './demo-summary';
export {
  startFabricConsortium,
  startOrgGateway,
  type FabricConsortiumOptions,
} from './fabric-consortium';
export { obtainFabricTools } from './fabric-tools';
export { ensureConsortium, runFederation } from './federation-run';
export {
  GatewayClient,
  GatewayRequestError,
  type FederationInfo,
  type GatewayEndpoint,
  type KeyRole,
  type ModelVersionInfo,
} from './gateway-client';
export { buildImageDemoData } from './image-data';
export { LedgerCursor } from './ledger-cursor';
export { processAlive, withNetworkLock, type LockOptions } from './network-lock';
export { openOrgLedger, type OrgLedger } from './org-ledger';
export { CONNECTIONS_DIR, NETWORK_SCRIPT, NETWORK_STATE_DIR, REPO_ROOT } from './repo-paths';
export { collectRoundMetrics, type RoundMetrics, type StepTotal } from './round-metrics';
export { DATASET_ID, HIDDEN_UNITS, IMAGE_FEDERATION_ID, runDemo } from './run-demo';
export type { RunningConsortium } from './running-consortium';
export { readServerSentEvents } from './sse-reader';
export { Teardown } from './teardown';
export type { TrainingProgressEvent } from './training-progress';
