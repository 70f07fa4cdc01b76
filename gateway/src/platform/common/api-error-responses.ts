import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../errors/error-body';

const DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT: request validation failed (details.fields lists each field)',
  401: 'UNAUTHENTICATED: missing, unknown or revoked API key',
  403: 'FORBIDDEN: the key’s role may not do this, or the ledger refused this org',
  404: 'NOT_FOUND',
  409: 'CONFLICT, ALREADY_EXISTS, FAILED_PRECONDITION, ROUND_CLOSED, ROUND_NOT_OPEN or QUORUM_NOT_MET',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'INVALID_ARGUMENT, SHAPE_MISMATCH, NON_FINITE_VALUE or DIGEST_MISMATCH raised by the ledger or model code',
  503: 'LEDGER_UNAVAILABLE',
};

/** Documents the error responses of a route, all with the `{ code, message, details }` body. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'error', type: ErrorBodyDto }),
    ),
  );
}
