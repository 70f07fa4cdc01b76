import { after, before } from 'node:test';
import type { InProcessWorld } from '@fedledger/simulator';
import { initConsortium } from './api-helpers';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from './test-gateway';

export interface GatewaySuiteOptions extends TestGatewayOptions {
  /** Orgs added to the consortium as auditors (they run no gateway here). */
  auditors?: string[];
}

/** Gateways of several orgs on one in-process channel, the consortium initialised with them as members. */
export interface RunningGateways {
  gateways: TestGateway[];
  close(): Promise<void>;
}

/** Starts one gateway per org on `world` (in order) and initialises the consortium through the first. */
export async function startGateways(
  world: InProcessWorld,
  mspIds: string[],
  options: GatewaySuiteOptions = {},
): Promise<RunningGateways> {
  const { auditors = [], ...settings } = options;
  const gateways: TestGateway[] = [];
  for (const mspId of mspIds) gateways.push(await startTestGateway(world, mspId, settings));
  await initConsortium(gateways, auditors);
  return {
    gateways,
    close: async () => {
      await Promise.all(gateways.map((gateway) => gateway.close()));
    },
  };
}

/**
 * The frame of an API suite: registers hooks on the enclosing describe that start the gateways
 * before its tests and close them after. `gateways` is filled once the before hook has run.
 */
export function gatewaySuite(
  world: InProcessWorld,
  mspIds: string[],
  options: GatewaySuiteOptions = {},
): { gateways: TestGateway[] } {
  const suite = { gateways: [] as TestGateway[] };
  let running: RunningGateways | undefined;
  before(async () => {
    running = await startGateways(world, mspIds, options);
    suite.gateways.push(...running.gateways);
  });
  after(async () => {
    await running?.close();
    suite.gateways.length = 0;
  });
  return suite;
}
