import { CONTRACT } from './ledger-api';
import { decodeBase64Result, decodeJsonResult } from './ledger-result';

/** `submit` is endorsed, ordered and committed; `evaluate` runs on one peer and writes nothing. */
export type LedgerCallKind = 'submit' | 'evaluate';

/** A contract of the chaincode by its key in {@link CONTRACT} (keys and names are the same). */
export type ContractKey = keyof typeof CONTRACT;

/**
 * One `LedgerApi` method as a chaincode transaction: everything a client must agree on with the
 * chaincode, and nothing about how the transaction travels. `P` is the method's parameter list,
 * `R` what it resolves to.
 */
export interface LedgerCall<P extends readonly unknown[], R> {
  readonly contract: ContractKey;
  readonly transaction: string;
  readonly kind: LedgerCallKind;
  /** The transaction's string arguments, in the chaincode's parameter order; JSON as canonical JSON. */
  readonly args: (...input: P) => string[];
  /** Transient map entries (never written to blocks); absent or `undefined` when none are sent. */
  readonly transient?: (...input: P) => Record<string, Uint8Array> | undefined;
  /** The result bytes as the chaincode returned them, decoded; rejects malformed bytes as INTERNAL. */
  readonly decode: (bytes: Uint8Array) => R;
}

type ArgsOf<P extends readonly unknown[]> = (...input: P) => string[];
type TransientOf<P extends readonly unknown[]> = (
  ...input: P
) => Record<string, Uint8Array> | undefined;

// The result type R is the chaincode's contract for the transaction (one table, LEDGER_CALLS,
// shared with the chaincode's own types), so decoded JSON is taken as R here, in one place.

/** A write whose result is the chaincode's JSON. */
export function submitCall<P extends readonly unknown[], R>(
  contract: ContractKey,
  transaction: string,
  args: ArgsOf<P>,
  transient?: TransientOf<P>,
): LedgerCall<P, R> {
  const call = {
    contract,
    transaction,
    kind: 'submit' as const,
    args,
    decode: (bytes: Uint8Array) => decodeJsonResult(bytes, transaction) as R,
  };
  return transient === undefined ? call : { ...call, transient };
}

/** A read whose result is the chaincode's JSON. */
export function evaluateCall<P extends readonly unknown[], R>(
  contract: ContractKey,
  transaction: string,
  args: ArgsOf<P>,
): LedgerCall<P, R> {
  return {
    contract,
    transaction,
    kind: 'evaluate',
    args,
    decode: (bytes) => decodeJsonResult(bytes, transaction) as R,
  };
}

/** A read whose result is base64 text of stored bytes (weights), decoded to the bytes. */
export function evaluateBytesCall<P extends readonly unknown[]>(
  contract: ContractKey,
  transaction: string,
  args: ArgsOf<P>,
): LedgerCall<P, Uint8Array> {
  return {
    contract,
    transaction,
    kind: 'evaluate',
    args,
    decode: (bytes) => decodeBase64Result(bytes, transaction),
  };
}
