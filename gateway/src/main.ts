import { createGatewayApp } from './app.factory';
import { ConfigError } from './platform/config/config-error';
import { loadGatewayConfig } from './platform/config/gateway-config';
import { GATEWAY_USAGE } from './platform/config/gateway-usage';

/** Boots one org's gateway from `FEDLEDGER_*` env vars; fails fast on bad configuration. */
async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(GATEWAY_USAGE);
    return;
  }
  let config;
  try {
    config = loadGatewayConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: error.message, key: error.key })}\n`,
      );
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await createGatewayApp({ config });
  app.enableShutdownHooks();
  await app.listen(config.httpPort, config.httpHost);
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'gateway failed to start', error: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exit(1);
});
