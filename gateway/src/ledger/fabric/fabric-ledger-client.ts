import {
  CommitError,
  type Contract,
  type Network,
  type ProposalOptions,
} from '@hyperledger/fabric-gateway';
import {
  CONTRACT,
  FedLedgerError,
  LedgerCallClient,
  TX,
  type ContractKey,
  type LedgerApi,
  type LedgerCall,
} from '@fedledger/core';
import { noteCommittedBlock } from '../port/ledger-session';
import { mapFabricError } from './fabric-error-mapper';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withMvccRetry } from './mvcc-retry';

/**
 * Writes not retried on an MVCC conflict. `Aggregate` can only have lost to another Aggregate of
 * the same round (or its deadline bookkeeping), so a retry would re-run the whole strategy on the
 * endorsing peers just to be told ROUND_CLOSED; the CONFLICT goes to the caller.
 */
const NOT_RETRIED: ReadonlySet<string> = new Set([TX.round.Aggregate]);

export interface FabricLedgerClientOptions {
  retry?: RetryPolicy;
  /** Whether the gRPC connection under the network is still open (see {@link FabricConnection}). */
  isOpen?: () => boolean;
  /** Told about each MVCC/phantom conflict that is retried, with the transaction name. */
  onConflictRetry?: (transaction: string, error: CommitError) => void;
}

/**
 * {@link LedgerApi} over a Fabric channel for one signing identity: the transport that executes
 * `LEDGER_CALLS` entries. Reads are evaluated, writes submitted and awaited until committed
 * (the commit block noted for the request); weights travel only in the transient map. Every failure
 * leaves as a FedLedgerError (see {@link mapFabricError}); MVCC read conflicts are retried.
 */
export class FabricLedgerClient extends LedgerCallClient implements LedgerApi {
  readonly #contracts: Record<ContractKey, Contract>;
  readonly #retry: RetryPolicy;
  readonly #isOpen: () => boolean;
  readonly #onConflictRetry: (transaction: string, error: CommitError) => void;

  constructor(network: Network, chaincodeName: string, options: FabricLedgerClientOptions = {}) {
    super();
    this.#contracts = {
      consortium: network.getContract(chaincodeName, CONTRACT.consortium),
      federation: network.getContract(chaincodeName, CONTRACT.federation),
      round: network.getContract(chaincodeName, CONTRACT.round),
      model: network.getContract(chaincodeName, CONTRACT.model),
      audit: network.getContract(chaincodeName, CONTRACT.audit),
      data: network.getContract(chaincodeName, CONTRACT.data),
      incentive: network.getContract(chaincodeName, CONTRACT.incentive),
      privacy: network.getContract(chaincodeName, CONTRACT.privacy),
    };
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#isOpen = options.isOpen ?? (() => true);
    this.#onConflictRetry = options.onConflictRetry ?? (() => undefined);
  }

  /** Evaluates reads; submits writes, awaiting their commit and retrying MVCC conflicts (except `Aggregate`). */
  async invoke<P extends readonly unknown[], R>(call: LedgerCall<P, R>, input: P): Promise<R> {
    const contract = this.#contracts[call.contract];
    const args = call.args(...input);
    if (call.kind === 'evaluate') {
      return call.decode(
        await this.#call(() => contract.evaluate(call.transaction, { arguments: args })),
      );
    }
    const transientData = call.transient?.(...input);
    const options: ProposalOptions = transientData
      ? { arguments: args, transientData }
      : { arguments: args };
    const submitOnce = (): Promise<Uint8Array> =>
      submitAndNoteBlock(contract, call.transaction, options);
    const policy = NOT_RETRIED.has(call.transaction)
      ? { ...this.#retry, maxAttempts: 1 }
      : this.#retry;
    const bytes = await this.#call(() =>
      withMvccRetry(submitOnce, policy, undefined, (error) => {
        this.#onConflictRetry(call.transaction, error);
      }),
    );
    return call.decode(bytes);
  }

  async #call(run: () => Promise<Uint8Array>): Promise<Uint8Array> {
    // grpc-js rejects calls on a closed client with a plain Error, which would read as INTERNAL.
    if (!this.#isOpen())
      throw new FedLedgerError('LEDGER_UNAVAILABLE', 'the connection to the peer is closed');
    try {
      return await run();
    } catch (error) {
      throw mapFabricError(error);
    }
  }
}

/**
 * `Contract.submit`, except that the block the transaction committed in is noted for the request
 * being served (see ledger-session.ts), so the client can ask other orgs' gateways to wait for it.
 */
async function submitAndNoteBlock(
  contract: Contract,
  transaction: string,
  options: ProposalOptions,
): Promise<Uint8Array> {
  const submitted = await contract.submitAsync(transaction, options);
  const status = await submitted.getStatus();
  if (!status.successful) {
    throw new CommitError({
      code: status.code,
      transactionId: status.transactionId,
      message: `transaction ${status.transactionId} failed to commit with status code ${status.code}`,
    });
  }
  noteCommittedBlock(Number(status.blockNumber));
  return submitted.getResult();
}
