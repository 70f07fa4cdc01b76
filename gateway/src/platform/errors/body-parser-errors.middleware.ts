import type { MetricsService } from '../metrics/metrics.service';
import { exceptionToResponse } from './exception-to-response';

interface JsonResponse {
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}

type ErrorMiddleware = (
  error: unknown,
  request: unknown,
  response: JsonResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Body parsing runs as Express middleware before Nest's routing, so its failures (body too large,
 * malformed JSON) never reach the exception filter; this answers them in the same format.
 */
export function bodyParserErrorsMiddleware(metrics: MetricsService): ErrorMiddleware {
  return (error, _request, response, _next) => {
    const { status, body } = exceptionToResponse(error);
    metrics.errors.inc({ code: body.code, source: 'http' });
    // A route may have set another content type (binary downloads) before failing.
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.status(status).json(body);
  };
}
