import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runCommand, stopChild } from './child-process';
import { connectionHost } from './connection-host';
import type { GatewayEndpoint, KeyRole } from './gateway-client';
import { AUDITOR_MSP_ID, HOSPITAL_MSP_IDS, type RunningConsortium } from './running-consortium';
import {
  CONNECTIONS_DIR,
  GATEWAY_CLI,
  GATEWAY_MAIN,
  NETWORK_SCRIPT,
  NETWORK_STATE_DIR,
  REPO_ROOT,
} from './repo-paths';
import type { Teardown } from './teardown';

/** How the network is laid out: `netns` gives every org a host (network namespace) of its own. */
export type HostLayout = 'loopback' | 'netns';

export interface FabricConsortiumOptions {
  /** `network.sh up --hosts`; default loopback. */
  hosts?: HostLayout;
  /** `network.sh up --orgs`; default the three hospitals. */
  memberOrgs?: number;
  /** More environment for every gateway process (e.g. FEDLEDGER_BLOB_MIN_PARAMS). */
  gatewayEnv?: Readonly<Record<string, string>>;
}

/** Bounded wait for a gateway to serve our keys: attempts × delay. */
const LIVE_ATTEMPTS = 120;
const LIVE_DELAY_MS = 500;
/** Fresh ports tried when the one picked was taken before the gateway bound it. */
const PORT_ATTEMPTS = 3;
/** Lines of a gateway's log quoted when it fails to start. */
const LOG_TAIL_LINES = 20;

/**
 * Brings up the real consortium with `network/network.sh up` and `deployCC` (which also initialises
 * the consortium), then one gateway process per org (`gateway/dist/main.js`) configured through env
 * vars and the org's connection file, with API keys made by the keys CLI. `network.sh down` and every
 * gateway's stop are registered with `teardown` before the thing they stop is started.
 */
export async function startFabricConsortium(
  stateRoot: string,
  logDir: string,
  teardown: Teardown,
  log: (line: string) => void,
  options: FabricConsortiumOptions = {},
): Promise<RunningConsortium> {
  // The default layout (three hospitals) or `network.sh up --orgs N`: member orgs org1…orgN, Org1MSP…OrgNMSP.
  const memberOrgs = options.memberOrgs ?? HOSPITAL_MSP_IDS.length;
  mkdirSync(logDir, { recursive: true });
  // Another network (a --keep run, an operator's) owns that state: `down` at our teardown would stop it.
  if (existsSync(NETWORK_STATE_DIR)) {
    throw new Error(
      `${NETWORK_STATE_DIR} exists: a network is already up (or was not taken down). Stop it with network/network.sh down, or run with --ledger in-process`,
    );
  }
  teardown.add('the Fabric network (network.sh down)', async () => {
    const result = await runCommand('bash', [NETWORK_SCRIPT, 'down'], {
      cwd: REPO_ROOT,
      onLine: (line) => {
        log(`  [network] ${line}`);
      },
    });
    if (result.code !== 0) throw new Error(`network.sh down exited ${result.code}`);
  });
  // An interrupt during up/deployCC stops that script first (the newer step runs first), then down.
  const setup = new AbortController();
  let running: Promise<unknown> = Promise.resolve();
  const stopSetup = teardown.add('network.sh up/deployCC in progress', async () => {
    setup.abort();
    await running;
  });
  const upFlags = [
    ...(options.hosts === undefined ? [] : ['--hosts', options.hosts]),
    ...(options.memberOrgs === undefined ? [] : ['--orgs', String(memberOrgs)]),
  ];
  for (const mode of ['up', 'deployCC']) {
    log(`network.sh ${mode}`);
    const step = runCommand('bash', [NETWORK_SCRIPT, mode, ...(mode === 'up' ? upFlags : [])], {
      cwd: REPO_ROOT,
      signal: setup.signal,
      onLine: (line) => {
        log(`  [network ${mode}] ${line}`);
      },
    });
    running = step.catch(() => undefined);
    const result = await step;
    if (setup.signal.aborted) throw new Error(`network.sh ${mode} was interrupted`);
    if (result.code !== 0) {
      throw new Error(`network.sh ${mode} exited ${result.code}; see the output above`);
    }
  }
  await stopSetup();
  const keys = [...Array.from({ length: memberOrgs }, (_, k) => `org${k + 1}`), 'auditor'];
  const mspIds = [
    ...Array.from({ length: memberOrgs }, (_, k) => `Org${k + 1}MSP`),
    AUDITOR_MSP_ID,
  ];
  const connectionFiles = Object.fromEntries(
    keys.map((key, index) => [mspIds[index], join(CONNECTIONS_DIR, `${key}.json`)]),
  );
  const { hospitals, auditor } = await startGatewayProcesses(
    connectionFiles,
    stateRoot,
    logDir,
    teardown,
    log,
    options.gatewayEnv,
  );
  return { ledger: 'fabric', hospitals, auditor, logDir };
}

/**
 * Starts one `gateway/dist/main.js` process in fabric mode per org (the three hospitals with
 * automatic participation, then the auditor without), each from its connection file, and waits
 * until each answers /health/live. Each stop is registered with `teardown` as the process starts.
 */
export async function startGatewayProcesses(
  connectionFiles: Readonly<Partial<Record<string, string>>>,
  stateRoot: string,
  logDir: string,
  teardown: Teardown,
  log: (line: string) => void,
  gatewayEnv: Readonly<Record<string, string>> = {},
): Promise<{ hospitals: GatewayEndpoint[]; auditor: GatewayEndpoint }> {
  mkdirSync(logDir, { recursive: true });
  const fileOf = (mspId: string): string => {
    const connectionFile = connectionFiles[mspId];
    if (connectionFile === undefined) throw new Error(`no connection file for ${mspId}`);
    return connectionFile;
  };
  // Every org but the auditor is a hospital, in the order given (the default: HOSPITAL_MSP_IDS).
  const hospitalIds = Object.keys(connectionFiles).filter((msp) => msp !== AUDITOR_MSP_ID);
  const blobEnv = await blobServerEnv(
    hospitalIds.map((mspId) => ({
      mspId,
      address: connectionHost(fileOf(mspId))?.address ?? '127.0.0.1',
    })),
  );
  const start = async (mspId: string, participation: boolean): Promise<GatewayEndpoint> => {
    const env = { ...gatewayEnv, ...(blobEnv[mspId] ?? {}) };
    const endpoint = await startOrgGateway({
      mspId,
      connectionFile: fileOf(mspId),
      stateRoot,
      logDir,
      participation,
      teardown,
      env,
    });
    log(
      `${mspId} gateway listening on ${endpoint.baseUrl}${'FEDLEDGER_BLOB_LISTEN' in env ? `, blobs on ${env.FEDLEDGER_BLOB_LISTEN}` : ''}`,
    );
    return endpoint;
  };
  const hospitals: GatewayEndpoint[] = [];
  for (const mspId of hospitalIds) hospitals.push(await start(mspId, true));
  return { hospitals, auditor: await start(AUDITOR_MSP_ID, false) };
}

/**
 * Every hospital's gateway serves blob-path models (ADR 22) on a port of its own and knows the
 * others' (the TLS material comes from the connection files), so a federation of any model size
 * runs. The auditor is not a member and serves none.
 */
async function blobServerEnv(
  orgs: readonly { mspId: string; address: string }[],
): Promise<Record<string, Record<string, string>>> {
  const listen: Record<string, string> = {};
  for (const { mspId, address } of orgs) listen[mspId] = `${address}:${await freePort()}`;
  const endpoints = orgs.map(({ mspId }) => `${mspId}=https://${listen[mspId] ?? ''}`).join(',');
  return Object.fromEntries(
    orgs.map(({ mspId }) => [
      mspId,
      { FEDLEDGER_BLOB_LISTEN: listen[mspId] ?? '', FEDLEDGER_BLOB_ENDPOINTS: endpoints },
    ]),
  );
}

/**
 * Starts (or, after it stopped, starts again) one org's gateway process on its state under
 * `stateRoot/<mspId>`: a restarted gateway resumes from that state's event checkpoint.
 */
export function startOrgGateway(options: {
  mspId: string;
  connectionFile: string;
  stateRoot: string;
  logDir: string;
  participation: boolean;
  teardown: Teardown;
  /** More environment for the gateway process (its blob server, settings under test). */
  env?: Readonly<Record<string, string>>;
}): Promise<GatewayEndpoint> {
  const { stateRoot, ...rest } = options;
  return startGatewayProcess({ ...rest, root: join(stateRoot, options.mspId) });
}

interface GatewayProcessOptions {
  mspId: string;
  connectionFile: string;
  root: string;
  logDir: string;
  participation: boolean;
  teardown: Teardown;
  env?: Readonly<Record<string, string>>;
}

async function startGatewayProcess(options: GatewayProcessOptions): Promise<GatewayEndpoint> {
  const stateDir = join(options.root, 'state');
  const keysFile = join(stateDir, 'api-keys.json');
  const keys = {
    admin: await createApiKey(keysFile, 'admin'),
    scientist: await createApiKey(keysFile, 'scientist'),
    auditor: await createApiKey(keysFile, 'auditor'),
  };
  const logFile = join(options.logDir, `${options.mspId}.log`);
  for (let attempt = 1; ; attempt++) {
    const started = await spawnGateway(options, keys, stateDir, keysFile, logFile);
    if ('endpoint' in started) return started.endpoint;
    // The port picked as free was taken before the gateway bound it: pick another.
    if (!started.portTaken || attempt >= PORT_ATTEMPTS) {
      throw new Error(
        `${started.problem}; the end of ${logFile}:\n${started.output.split('\n').slice(-LOG_TAIL_LINES).join('\n')}`,
      );
    }
  }
}

/** Starts one gateway process and waits until it serves OUR keys (not just anything on the port). */
async function spawnGateway(
  options: GatewayProcessOptions,
  keys: GatewayEndpoint['keys'],
  stateDir: string,
  keysFile: string,
  logFile: string,
): Promise<
  { endpoint: GatewayEndpoint } | { problem: string; output: string; portTaken: boolean }
> {
  const port = await freePort();
  const logStart = existsSync(logFile) ? statSync(logFile).size : 0;
  const out = openSync(logFile, 'a');
  // On the netns layout the gateway lives on its org's host: in that namespace, on that address.
  const host = connectionHost(options.connectionFile);
  const httpHost = host?.address ?? '127.0.0.1';
  const [command, args] =
    host === undefined
      ? [process.execPath, [GATEWAY_MAIN]]
      : ['ip', ['netns', 'exec', host.namespace, process.execPath, GATEWAY_MAIN]];
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...options.env,
      FEDLEDGER_LEDGER_MODE: 'fabric',
      FEDLEDGER_ORG_CONNECTION: options.connectionFile,
      FEDLEDGER_DATA_DIR: join(options.root, 'data'),
      FEDLEDGER_STATE_DIR: stateDir,
      FEDLEDGER_API_KEYS_FILE: keysFile,
      FEDLEDGER_HTTP_HOST: httpHost,
      FEDLEDGER_HTTP_PORT: String(port),
      FEDLEDGER_PARTICIPATION: String(options.participation),
      FEDLEDGER_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const stop = options.teardown.add(`${options.mspId} gateway (pid ${child.pid ?? '?'})`, () =>
    stopChild(child),
  );
  const output = (): string => readFileSync(logFile, 'utf8').slice(logStart);
  const baseUrl = `http://${httpHost}:${port}`;
  for (let attempt = 1; attempt <= LIVE_ATTEMPTS; attempt++) {
    if (child.exitCode !== null) {
      await stop();
      const text = output();
      return {
        problem: `the ${options.mspId} gateway exited with code ${child.exitCode} during start-up`,
        output: text,
        portTaken: text.includes('EADDRINUSE'),
      };
    }
    let status = 0;
    try {
      status = (
        await fetch(`${baseUrl}/datasets`, {
          headers: { 'x-api-key': keys.scientist },
          signal: AbortSignal.timeout(2_000),
        })
      ).status;
    } catch {
      // not listening yet
    }
    if (status === 200) {
      return {
        endpoint: {
          mspId: options.mspId,
          baseUrl,
          keys,
          dataDir: join(options.root, 'data'),
          ...(child.pid !== undefined ? { pid: child.pid } : {}),
        },
      };
    }
    if (status === 401) {
      await stop();
      return {
        problem: `another server answered on ${baseUrl} (it refused our ${options.mspId} key)`,
        output: output(),
        portTaken: true,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, LIVE_DELAY_MS));
  }
  await stop();
  return {
    problem: `the ${options.mspId} gateway did not serve ${baseUrl} within ${(LIVE_ATTEMPTS * LIVE_DELAY_MS) / 1000}s`,
    output: output(),
    portTaken: false,
  };
}

/** Creates an API key with the gateway's own keys CLI and returns the secret it prints once. */
async function createApiKey(keysFile: string, role: KeyRole): Promise<string> {
  const result = await runCommand(
    process.execPath,
    [
      GATEWAY_CLI,
      'keys',
      'create',
      '--role',
      role,
      '--name',
      `demo-${role}`,
      '--keys-file',
      keysFile,
    ],
    { cwd: REPO_ROOT },
  );
  if (result.code !== 0)
    throw new Error(`keys create --role ${role} exited ${result.code}: ${result.output.trim()}`);
  const created = JSON.parse(result.output.trim().split('\n').pop() as string) as {
    apiKey?: unknown;
  };
  if (typeof created.apiKey !== 'string')
    throw new Error(`keys create printed no apiKey: ${result.output}`);
  return created.apiKey;
}

/** A TCP port on 127.0.0.1 that is free right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}
