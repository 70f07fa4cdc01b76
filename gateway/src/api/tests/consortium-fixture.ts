import { InProcessWorld } from '../../testing/world';
import { startGateways } from '../../testing/gateway-suite';
import type { TestGateway, TestGatewayOptions } from '../../testing/test-gateway';

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

export async function startConsortium(
  options: TestGatewayOptions = {},
): Promise<ConsortiumFixture> {
  const world = new InProcessWorld();
  const settings = { bodyLimitBytes: FIXTURE_BODY_LIMIT, ...options };
  const running = await startGateways(world, ['Org1MSP', 'Org2MSP', 'Org3MSP'], {
    ...settings,
    auditors: ['AuditorMSP'],
  });
  const [org1, org2, org3] = running.gateways as [TestGateway, TestGateway, TestGateway];
  return { world, org1, org2, org3, close: () => running.close() };
}
