import { type DynamicModule, Module } from '@nestjs/common';
import { DEFAULT_CONSOLE_DIR, loadConsoleBundle } from './console-bundle';
import { CONSOLE_BUNDLE } from './web-console.tokens';
import { WebConsoleController } from './web-console.controller';

/**
 * The browser console for scientists and auditors (docs/console.md). It is only static files: every
 * action it offers goes through the same REST API, guard and roles as any other client.
 */
@Module({})
export class WebConsoleModule {
  static forRoot(dir: string = DEFAULT_CONSOLE_DIR): DynamicModule {
    return {
      module: WebConsoleModule,
      controllers: [WebConsoleController],
      providers: [{ provide: CONSOLE_BUNDLE, useFactory: () => loadConsoleBundle(dir) }],
    };
  }
}
