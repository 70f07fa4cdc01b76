import { createWriteStream, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  ApiKeyStore,
  createGatewayApp,
  inProcessGatewayConfig,
  inProcessLedger,
  JsonLogger,
} from '@fedledger/gateway';
import type { GatewayEndpoint } from './gateway-client';
import { AUDITOR_MSP_ID, HOSPITAL_MSP_IDS, type RunningConsortium } from './running-consortium';
import type { Teardown } from './teardown';

/** The one log file of the in-process gateways (see below why not one per org). */
export const IN_PROCESS_LOG_FILE = 'in-process-gateways.log';

/**
 * Starts one Nest gateway app per org (three hospitals and the auditor) in this process, each on its
 * own 127.0.0.1 port, all backed by ONE in-memory world state running the real chaincode contract
 * classes (ADR 0002). This is a test double of the Fabric network: no endorsement, ordering or
 * gossip happens, which is why the demo announces it and records `ledger: "in-process"`.
 */
export async function startInProcessConsortium(
  stateRoot: string,
  logDir: string,
  teardown: Teardown,
): Promise<RunningConsortium> {
  // The contract API logs every decorator at info level; must be set before the chaincode loads.
  process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'error';
  const [{ InProcessWorld }, { contracts }] = await Promise.all([
    import('@fedledger/simulator'),
    import('@fedledger/chaincode'),
  ]);
  const world = new InProcessWorld({ contracts });
  mkdirSync(logDir, { recursive: true });
  // Nest's Logger is process-wide: four apps in one process share whichever logger was set last, so
  // per-org files would be a lie (every line landed in the auditor's). One file, honestly named;
  // lines that name their org carry it in `org`.
  const logFile = createWriteStream(join(logDir, IN_PROCESS_LOG_FILE), { flags: 'a' });
  teardown.add('in-process gateways log', () => new Promise((resolve) => logFile.end(resolve)));

  const start = async (mspId: string, participation: boolean): Promise<GatewayEndpoint> => {
    const root = join(stateRoot, mspId);
    const config = inProcessGatewayConfig(mspId, root, { participation, logLevel: 'info' });
    const store = new ApiKeyStore(config.apiKeysFile);
    const keys = {
      admin: store.create('demo-admin', 'admin').apiKey,
      scientist: store.create('demo-scientist', 'scientist').apiKey,
      auditor: store.create('demo-auditor', 'auditor').apiKey,
    };
    const logger = new JsonLogger(config.logLevel, 'in-process', (line) =>
      logFile.write(`${line}\n`),
    );
    const app = await createGatewayApp({ config, ledger: inProcessLedger(world, mspId), logger });
    teardown.add(`${mspId} gateway (in-process)`, () => app.close());
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    return { mspId, baseUrl: `http://127.0.0.1:${port}`, keys, dataDir: config.dataDir };
  };

  const hospitals: GatewayEndpoint[] = [];
  for (const mspId of HOSPITAL_MSP_IDS) hospitals.push(await start(mspId, true));
  const auditor = await start(AUDITOR_MSP_ID, false);
  return { ledger: 'in-process', hospitals, auditor, logDir };
}
