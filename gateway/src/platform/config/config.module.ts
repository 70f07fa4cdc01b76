import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { GatewayConfig } from './gateway-config';
import { GATEWAY_CONFIG } from './config.tokens';

/** Makes the validated {@link GatewayConfig} injectable everywhere as {@link GATEWAY_CONFIG}. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }],
      exports: [GATEWAY_CONFIG],
    };
  }
}
