import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { exceptionToResponse } from './exception-to-response';

interface JsonResponse {
  headersSent: boolean;
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}

/** The gateway's only exception filter: every error leaves as `{ code, message, details }`. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  readonly #logger = new Logger('http');

  constructor(private readonly metrics: MetricsService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, body } = exceptionToResponse(exception);
    this.metrics.errors.inc({ code: body.code, source: 'http' });
    if (status >= 500) {
      this.#logger.error(
        {
          msg: 'request failed',
          code: body.code,
          error: exception instanceof Error ? exception.message : String(exception),
        },
        exception instanceof Error ? exception.stack : undefined,
      );
    }
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (response.headersSent) return;
    // A route may have set another content type (binary downloads) before failing.
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.status(status).json(body);
  }
}
