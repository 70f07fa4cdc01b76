/**
 * Stable error codes shared by chaincode and gateway.
 *
 * Chaincode errors travel to clients only as text, so every chaincode error message starts with
 * `CODE: ` and the gateway recovers the code with {@link parseErrorCode}. The gateway maps each code
 * to an HTTP status in exactly one place.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  'ALREADY_EXISTS',
  'FAILED_PRECONDITION',
  'ROUND_CLOSED',
  'ROUND_NOT_OPEN',
  'QUORUM_NOT_MET',
  'DIGEST_MISMATCH',
  'SHAPE_MISMATCH',
  'NON_FINITE_VALUE',
  'PAYLOAD_TOO_LARGE',
  'BUDGET_EXCEEDED',
  'LEDGER_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** A domain error whose message is prefixed with its stable code. */
export class FedLedgerError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(`${code}: ${message}`);
    this.name = 'FedLedgerError';
    this.code = code;
    this.details = details;
  }

  /** The message without its `CODE: ` prefix. */
  get reason(): string {
    return this.message.slice(this.code.length + 2);
  }
}

/** Recovers the stable code from an error message such as `chaincode response 500, NOT_FOUND: ...`. */
export function parseErrorCode(message: string): { code: ErrorCode; reason: string } | undefined {
  const match = /\b([A-Z][A-Z_]+): (.*)$/s.exec(message);
  if (!match || !KNOWN_CODES.has(match[1] as string)) {
    return undefined;
  }
  return { code: match[1] as ErrorCode, reason: match[2] as string };
}

export function isFedLedgerError(error: unknown): error is FedLedgerError {
  return error instanceof FedLedgerError;
}
