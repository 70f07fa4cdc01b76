import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FedLedgerError } from '@fedledger/core';
import { Public } from '../auth/auth.decorators';
import { CONSOLE_BUNDLE } from './web-console.tokens';
import type { ConsoleBundle } from './console-bundle';

interface RawResponse {
  setHeader(name: string, value: string): void;
  send(body: Buffer): void;
}

/**
 * The console's page may load only its own scripts and styles and talk only to this gateway: the
 * API key lives in the page, so no third-party code may run beside it.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Serves the web console: `/` (never cached, so a new build is picked up) and its content-hashed assets (cached for good). */
@ApiExcludeController()
@Public()
@Controller()
export class WebConsoleController {
  constructor(@Inject(CONSOLE_BUNDLE) private readonly bundle: ConsoleBundle | undefined) {}

  @Get()
  index(@Res() response: RawResponse): void {
    if (!this.bundle) {
      throw new FedLedgerError(
        'NOT_FOUND',
        'the web console is not built on this gateway: run `npm run build` at the repository root (it bundles gateway/console)',
      );
    }
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('Content-Security-Policy', CONSOLE_CSP);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.send(this.bundle.indexHtml);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() response: RawResponse): void {
    const asset = this.bundle?.assets.get(name);
    if (!asset) throw new FedLedgerError('NOT_FOUND', `no console asset named ${name}`);
    response.setHeader('Content-Type', asset.contentType);
    response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.send(asset.body);
  }
}
