import type { ErrorCode } from '@fedledger/core';

/**
 * The one place that turns a stable error code into an HTTP status. Bad input that the chaincode
 * or the codec rejects (shape, digest, non-finite values) is 422: the request was well-formed JSON
 * that passed validation, but its content cannot be processed. Request-validation failures caught by
 * the ValidationPipe never reach this map; they are 400 INVALID_ARGUMENT (see the exception filter).
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 422,
  SHAPE_MISMATCH: 422,
  NON_FINITE_VALUE: 422,
  DIGEST_MISMATCH: 422,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  ROUND_CLOSED: 409,
  ROUND_NOT_OPEN: 409,
  QUORUM_NOT_MET: 409,
  FAILED_PRECONDITION: 409,
  BUDGET_EXCEEDED: 409,
  // This gateway cannot train the model (no native backend for convolution layers): an operator fixes it, not the request.
  BACKEND_UNAVAILABLE: 409,
  /** The federation's (ε, δ) budget has no room for another round: final for that federation. */
  PRIVACY_BUDGET_EXHAUSTED: 409,
  PAYLOAD_TOO_LARGE: 413,
  LEDGER_UNAVAILABLE: 503,
  /** Blob path (ADR 0022): no org that serves a blob the ledger names could be reached, or it refused this org. */
  BLOB_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** HTTP status for a stable error code. */
export function httpStatusFor(code: ErrorCode): number {
  return HTTP_STATUS_BY_CODE[code];
}
