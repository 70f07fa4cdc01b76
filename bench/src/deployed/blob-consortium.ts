import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runCommand } from '@fedledger/gateway/dist/demo/child-process';
import { startOrgGateway } from '@fedledger/gateway/dist/demo/fabric-consortium';
import type { GatewayEndpoint } from '@fedledger/gateway/dist/demo/gateway-client';
import { CONNECTIONS_DIR, NETWORK_SCRIPT, NETWORK_STATE_DIR, REPO_ROOT } from '@fedledger/gateway/dist/demo/repo-paths';
import type { Teardown } from '@fedledger/gateway/dist/demo/teardown';

/** The gateway's blob settings, read from its environment when it is spawned (gateway-config.ts). */
const BLOB_ENV = ['FEDLEDGER_BLOB_LISTEN', 'FEDLEDGER_BLOB_ENDPOINTS'] as const;

/**
 * `network.sh up` + `deployCC` and one hospital gateway process per org, as the demo's
 * startFabricConsortium does, but with each gateway serving blobs on a port of its own and knowing
 * every other org's (FEDLEDGER_BLOB_LISTEN / _ENDPOINTS; TLS from the connection files): what a
 * federation needs for models above the blob threshold. The demo's starter sets no blob server, so
 * such a model could not run there. No auditor gateway (the rounds do not use it).
 */
export async function startBlobConsortium(orgs: number, stateRoot: string, logDir: string, teardown: Teardown, log: (line: string) => void): Promise<GatewayEndpoint[]> {
  mkdirSync(logDir, { recursive: true });
  if (existsSync(NETWORK_STATE_DIR)) throw new Error(`${NETWORK_STATE_DIR} exists: a network is already up (or was not taken down)`);
  teardown.add('the Fabric network (network.sh down)', async () => {
    const result = await runCommand('bash', [NETWORK_SCRIPT, 'down'], { cwd: REPO_ROOT, onLine: (line) => log(`  [network] ${line}`) });
    if (result.code !== 0) throw new Error(`network.sh down exited ${result.code}`);
  });
  for (const mode of ['up', 'deployCC']) {
    log(`network.sh ${mode}`);
    const result = await runCommand('bash', [NETWORK_SCRIPT, mode, ...(mode === 'up' && orgs !== 3 ? ['--orgs', String(orgs)] : [])], { cwd: REPO_ROOT, onLine: (line) => log(`  [network ${mode}] ${line}`) });
    if (result.code !== 0) throw new Error(`network.sh ${mode} exited ${result.code}; see the output above`);
  }
  const mspIds = Array.from({ length: orgs }, (_, k) => `Org${k + 1}MSP`);
  const ports: number[] = [];
  for (let k = 0; k < orgs; k++) ports.push(await freePort());
  const endpoints = mspIds.map((mspId, k) => `${mspId}=https://127.0.0.1:${ports[k]}`).join(',');
  const hospitals: GatewayEndpoint[] = [];
  for (const [k, mspId] of mspIds.entries()) {
    // startOrgGateway spawns with this process's environment: set this org's blob settings around the spawn only.
    process.env['FEDLEDGER_BLOB_LISTEN'] = `127.0.0.1:${ports[k]}`;
    process.env['FEDLEDGER_BLOB_ENDPOINTS'] = endpoints;
    try {
      hospitals.push(await startOrgGateway({ mspId, connectionFile: join(CONNECTIONS_DIR, `org${k + 1}.json`), stateRoot, logDir, participation: true, teardown }));
    } finally {
      for (const name of BLOB_ENV) delete process.env[name];
    }
    log(`${mspId} gateway listening on ${hospitals[k]?.baseUrl ?? '?'}, blobs on 127.0.0.1:${ports[k]}`);
  }
  return hospitals;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
