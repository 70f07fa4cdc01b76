import { HttpException } from '@nestjs/common';
import { isFedLedgerError, type ErrorCode } from '@fedledger/core';
import { errorBody, type ErrorBodyDto } from './error-body';
import { httpStatusFor } from './http-status';
import { RequestValidationError } from './request-validation.error';

export interface ErrorResponse {
  status: number;
  body: ErrorBodyDto;
}

const CODE_BY_HTTP_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'INVALID_ARGUMENT',
  422: 'INVALID_ARGUMENT',
  503: 'LEDGER_UNAVAILABLE',
};

/** Maps anything thrown while handling a request to a status and the `{ code, message, details }` body. */
export function exceptionToResponse(exception: unknown): ErrorResponse {
  if (exception instanceof RequestValidationError) {
    return {
      status: 400,
      body: errorBody('INVALID_ARGUMENT', exception.reason, { fields: exception.fields }),
    };
  }
  if (isFedLedgerError(exception)) {
    return {
      status: httpStatusFor(exception.code),
      body: errorBody(exception.code, exception.reason, exception.details),
    };
  }
  if (exception instanceof HttpException) {
    // Framework-raised errors: unknown routes (404), malformed JSON (400), and the like.
    const status = exception.getStatus();
    const code = CODE_BY_HTTP_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
    return { status: status >= 500 ? 500 : status, body: errorBody(code, exception.message) };
  }
  const bodyParserStatus = bodyParserErrorStatus(exception);
  if (bodyParserStatus !== undefined) {
    const code = bodyParserStatus === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_ARGUMENT';
    return { status: bodyParserStatus, body: errorBody(code, (exception as Error).message) };
  }
  return { status: 500, body: errorBody('INTERNAL', 'internal error') };
}

/** body-parser errors carry `type` (e.g. `entity.too.large`) and a 4xx `status`. */
function bodyParserErrorStatus(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { type, status } = exception as { type?: unknown; status?: unknown };
  if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
    return status;
  }
  return undefined;
}
