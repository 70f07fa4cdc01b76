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
  'PRIVACY_BUDGET_EXHAUSTED',
  'LEDGER_UNAVAILABLE',
  'BLOB_UNAVAILABLE',
  'BACKEND_UNAVAILABLE',
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

/**
 * Recovers the stable code from an error message such as `chaincode response 500, NOT_FOUND: ...`.
 * Clients wrap chaincode messages in their own prefixes, and gRPC's status prefix (`10 ABORTED: `,
 * `13 INTERNAL: `) looks like a code, so the first `CODE: ` that is a known code and not a gRPC
 * status (a number before it) wins.
 */
export function parseErrorCode(message: string): { code: ErrorCode; reason: string } | undefined {
  for (const match of message.matchAll(/\b([A-Z][A-Z_]+): /g)) {
    const code = match[1];
    const isGrpcStatus = /\d+ $/.test(message.slice(0, match.index));
    if (!isGrpcStatus && KNOWN_CODES.has(code)) {
      return { code: code as ErrorCode, reason: message.slice(match.index + match[0].length) };
    }
  }
  return undefined;
}

export function isFedLedgerError(error: unknown): error is FedLedgerError {
  return error instanceof FedLedgerError;
}
