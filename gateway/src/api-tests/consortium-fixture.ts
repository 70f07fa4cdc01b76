import { InProcessWorld } from '../testing/world';
import { initConsortium } from '../testing/api-helpers';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from '../testing/test-gateway';

/** Three member org gateways (participation off) sharing one in-process channel, plus an auditor org. */
export interface ConsortiumFixture {
  world: InProcessWorld;
  org1: TestGateway;
  org2: TestGateway;
  org3: TestGateway;
  close(): Promise<void>;
}

/** Body limit of the fixture gateways: small, so oversized-body tests stay cheap. */
export const FIXTURE_BODY_LIMIT = 256 * 1024;

export async function startConsortium(options: TestGatewayOptions = {}): Promise<ConsortiumFixture> {
  const world = new InProcessWorld();
  const settings = { bodyLimitBytes: FIXTURE_BODY_LIMIT, ...options };
  const org1 = await startTestGateway(world, 'Org1MSP', settings);
  const org2 = await startTestGateway(world, 'Org2MSP', settings);
  const org3 = await startTestGateway(world, 'Org3MSP', settings);
  await initConsortium([org1, org2, org3], ['AuditorMSP']);
  return {
    world,
    org1,
    org2,
    org3,
    close: async () => {
      await Promise.all([org1.close(), org2.close(), org3.close()]);
    },
  };
}
