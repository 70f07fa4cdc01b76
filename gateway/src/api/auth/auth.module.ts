import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { GatewayConfig } from '../../platform/config/gateway-config';
import { GATEWAY_CONFIG } from '../../platform/config/config.tokens';
import { ApiKeyStore } from './api-key-store';
import { ApiKeyGuard } from './api-key.guard';
import { WhoAmIController } from './whoami.controller';

/** API-key authentication and role checks, applied to every route as an APP_GUARD. */
@Module({
  controllers: [WhoAmIController],
  providers: [
    {
      provide: ApiKeyStore,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => new ApiKeyStore(config.apiKeysFile),
    },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
  exports: [ApiKeyStore],
})
export class AuthModule {}
