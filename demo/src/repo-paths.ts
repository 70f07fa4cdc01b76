import { resolve } from 'node:path';

/** The repository root, from the compiled location demo/dist/. */
export const REPO_ROOT = resolve(__dirname, '..', '..');
export const NETWORK_SCRIPT = resolve(REPO_ROOT, 'network', 'network.sh');
export const GATEWAY_MAIN = resolve(REPO_ROOT, 'gateway', 'dist', 'main.js');
export const GATEWAY_CLI = resolve(REPO_ROOT, 'gateway', 'dist', 'cli.js');
/** network.sh's state directory: network/state unless NETWORK_STATE_DIR moves it (as network.sh itself honours). */
export const NETWORK_STATE_DIR = process.env['NETWORK_STATE_DIR']
  ? resolve(process.env['NETWORK_STATE_DIR'])
  : resolve(REPO_ROOT, 'network', 'state');
/** Where `network.sh up` writes one gateway connection file per org (org1.json … auditor.json). */
export const CONNECTIONS_DIR = resolve(NETWORK_STATE_DIR, 'connections');
