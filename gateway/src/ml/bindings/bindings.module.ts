import { Global, Module } from '@nestjs/common';
import type { GatewayConfig } from '../../platform/config/gateway-config';
import { GATEWAY_CONFIG } from '../../platform/config/config.tokens';
import { DatasetBindingsStore } from './dataset-bindings.store';

@Global()
@Module({
  providers: [
    {
      provide: DatasetBindingsStore,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => new DatasetBindingsStore(config.stateDir),
    },
  ],
  exports: [DatasetBindingsStore],
})
export class BindingsModule {}
