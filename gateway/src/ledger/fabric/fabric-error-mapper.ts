import {
  CommitError,
  CommitStatusError,
  GatewayError,
  StatusCode,
} from '@hyperledger/fabric-gateway';
import { FedLedgerError, isFedLedgerError, parseErrorCode } from '@fedledger/core';

/** gRPC status codes that mean the peer could not be reached in time, not that the request was wrong. */
const UNAVAILABLE_GRPC_CODES: ReadonlySet<number> = new Set([
  4, // DEADLINE_EXCEEDED
  14, // UNAVAILABLE
  8, // RESOURCE_EXHAUSTED
  1, // CANCELLED
]);

/**
 * What a peer says when it committed a block whose private data it has not received yet (a push
 * missed it during a fault). It fetches the data itself (reconciliation, every few seconds), so the
 * read is worth repeating: this is not the request's fault and not a permanent failure.
 */
const MISSING_PRIVATE_DATA = 'private data matching public hash version is not available';

/**
 * What a peer says when it cannot reach its chaincode server (stopped, restarting): the request was
 * never run, so it is retried like an unreachable peer, not reported as a failure of the request.
 * Measured on the fault matrix: a submission refused this way while the org's chaincode server
 * restarted was dropped, and that org sat the round out.
 */
const CHAINCODE_UNREACHABLE = ['could not launch chaincode', 'failed to invoke chaincode'];

/**
 * What the gateway peer says (gRPC ABORTED) when too few endorsing peers answered alike in time: a
 * peer past its endorsement timeout under load, or peers at different block heights returning
 * different read sets. No peer refused the request (a chaincode refusal carries its own code in the
 * details, read first), so a fresh proposal can succeed: retried, not reported as INTERNAL. Seen on
 * the blob path as unexplained INTERNAL aggregate outcomes and on 5M private-data submits.
 */
const TOO_FEW_ENDORSEMENTS = 'failed to collect enough transaction endorsements';

/**
 * Maps anything the Fabric client throws to a {@link FedLedgerError}. The chaincode prefixes each
 * error with its stable code; that text reaches the client in the per-peer `details` of an
 * EndorseError (or in its message), from where {@link parseErrorCode} recovers it.
 */
export function mapFabricError(error: unknown): FedLedgerError {
  if (isFedLedgerError(error)) return error;
  if (error instanceof CommitError) {
    const status = statusName(error.code);
    const conflict =
      error.code === StatusCode.MVCC_READ_CONFLICT ||
      error.code === StatusCode.PHANTOM_READ_CONFLICT;
    return new FedLedgerError(
      conflict ? 'CONFLICT' : 'INTERNAL',
      `transaction ${error.transactionId} failed to commit with status ${status}`,
      {
        transactionId: error.transactionId,
        status,
      },
    );
  }
  if (error instanceof GatewayError) {
    const transactionId = (error as GatewayError & { transactionId?: string }).transactionId;
    const messages = [...error.details.map((detail) => detail.message), error.message];
    for (const message of messages) {
      const parsed = parseErrorCode(message);
      if (parsed) {
        return new FedLedgerError(
          parsed.code,
          parsed.reason,
          transactionId ? { transactionId } : undefined,
        );
      }
    }
    if (messages.some((message) => message.includes(MISSING_PRIVATE_DATA))) {
      return new FedLedgerError(
        'LEDGER_UNAVAILABLE',
        `this org's peer has not yet received private data that a committed block refers to; it reconciles it within seconds, retry (${error.message})`,
        {
          grpcCode: error.code,
          ...(transactionId ? { transactionId } : {}),
        },
      );
    }
    const chaincodeUnreachable = messages.some((message) =>
      CHAINCODE_UNREACHABLE.some((marker) => message.includes(marker)),
    );
    const tooFewEndorsements = messages.some((message) => message.includes(TOO_FEW_ENDORSEMENTS));
    const unavailable =
      chaincodeUnreachable ||
      tooFewEndorsements ||
      error instanceof CommitStatusError ||
      UNAVAILABLE_GRPC_CODES.has(error.code);
    return new FedLedgerError(unavailable ? 'LEDGER_UNAVAILABLE' : 'INTERNAL', error.message, {
      grpcCode: error.code,
      ...(transactionId ? { transactionId } : {}),
      peers: error.details.map(({ address, mspId, message }) => ({ address, mspId, message })),
    });
  }
  if (isGrpcServiceError(error)) {
    return new FedLedgerError(
      UNAVAILABLE_GRPC_CODES.has(error.code) ? 'LEDGER_UNAVAILABLE' : 'INTERNAL',
      error.message,
      { grpcCode: error.code },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  const parsed = parseErrorCode(message);
  return parsed
    ? new FedLedgerError(parsed.code, parsed.reason)
    : new FedLedgerError('INTERNAL', message);
}

/**
 * True for the commit failures worth retrying: another transaction changed a key we read (MVCC) or
 * the keys a range scan returns (phantom read, e.g. another org's participant key appearing under
 * the federation's prefix). A fresh endorsement re-reads the state either way.
 */
export function isRetryableCommitError(error: unknown): boolean {
  return (
    error instanceof CommitError &&
    (error.code === StatusCode.MVCC_READ_CONFLICT ||
      error.code === StatusCode.PHANTOM_READ_CONFLICT)
  );
}

/** The name of a Fabric transaction validation code, e.g. `MVCC_READ_CONFLICT`. */
export function statusName(code: number): string {
  const entry = Object.entries(StatusCode).find(([, value]) => value === code);
  return entry ? entry[0] : String(code);
}

function isGrpcServiceError(error: unknown): error is Error & { code: number } {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'number' &&
    'metadata' in error
  );
}
