import 'reflect-metadata';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule, type GatewayAppOptions } from './app.module';
import { ConfigError } from './platform/config/config-error';
import { ENV } from './platform/config/gateway-config';
import { bodyParserErrorsMiddleware } from './platform/errors/body-parser-errors.middleware';
import { MAX_JSON_DEPTH, rejectJsonDeeperThan } from './platform/errors/json-depth-limit';
import { JsonLogger } from './platform/logging/json-logger';
import { MetricsService } from './platform/metrics/metrics.service';
import { buildOpenApiDocument } from './openapi/openapi-document';

export interface CreateGatewayAppOptions extends GatewayAppOptions {
  /** Defaults to a JSON logger at the configured level. */
  logger?: LoggerService;
}

/**
 * Builds the gateway exactly as production runs it: body limits, the global pipe/filter/guard
 * (registered as APP_* providers in {@link AppModule}), Swagger at `/api` and `/api-json`.
 * `main.ts` and the API tests both use this; the caller calls `listen` or `init`.
 */
export async function createGatewayApp(
  options: CreateGatewayAppOptions,
): Promise<INestApplication> {
  const { config } = options;
  if (config.ledgerMode === 'in-process' && !options.ledger) {
    throw new ConfigError(
      ENV.ledgerMode,
      'in-process mode needs a ledger injected by the caller (tests and the single-process demo)',
    );
  }
  const logger = options.logger ?? new JsonLogger(config.logLevel, config.mspId);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    bodyParser: false,
    logger,
  });
  app.useBodyParser('json', {
    limit: config.bodyLimitBytes,
    verify: rejectJsonDeeperThan(MAX_JSON_DEPTH),
  });
  app.useBodyParser('raw', { limit: config.bodyLimitBytes, type: 'application/octet-stream' });
  app.use(bodyParserErrorsMiddleware(app.get(MetricsService)));
  SwaggerModule.setup('api', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'api-json' });
  return app;
}
