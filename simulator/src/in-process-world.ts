import { createHash } from 'node:crypto';
import {
  FedLedgerError,
  MEMBER_COLLECTION,
  decodeLedgerEvent,
  parseErrorCode,
  type LedgerEvent,
  type LedgerEventSource,
} from '@fedledger/core';
import type { Context, Contract } from 'fabric-contract-api';
import { InProcessLedger } from './in-process-ledger';
import type { Invocation, TransactionRunner } from './invocation';
import { ManualClock, type Clock } from './manual-clock';
import { MemoryClientIdentity, resolveIdentity, type TestIdentity } from './memory-identity';
import { MemoryState } from './memory-state';
import { MemoryStub } from './memory-stub';

export interface InProcessWorldOptions {
  /** The contract classes the channel runs (a chaincode's `contracts`); the simulator knows no chaincode of its own. */
  contracts: ReadonlyArray<new () => Contract>;
  /** Source of transaction timestamps; defaults to a {@link ManualClock} at 2026-01-01T00:00:00Z stepping 1 s per transaction. */
  clock?: Clock;
  channelId?: string;
  /**
   * The endorsing peer's clock when a transaction with this timestamp runs; by default the timestamp
   * itself (client and peer clocks agree). Tests of forged or skewed timestamps set it.
   */
  peerTime?: (txTimestamp: Date) => Date;
}

/** A committed transaction, for tests that inspect what it wrote. */
export interface CommittedTransaction {
  txId: string;
  blockNumber: bigint;
  contract: string;
  fcn: string;
  /** Public keys as-is, private keys as `<collection> <key>`, sorted. */
  writtenKeys: string[];
  event: LedgerEvent | undefined;
}

type TransactionMethod = (ctx: Context, ...params: string[]) => Promise<string>;

/** A context that reads the endorsing peer's clock (the chaincode's `FedLedgerContext` does). */
function hasPeerClock(ctx: Context): ctx is Context & { peerNow: () => number } {
  return 'peerNow' in ctx;
}

/**
 * One simulated Fabric channel running the real contract classes in this process. Transactions run
 * one at a time; each gets its own tx id and a timestamp from the clock; a transaction's writes are
 * applied only if it succeeds, and its event is delivered to listeners after commit, in order.
 *
 * ```ts
 * const world = new InProcessWorld({ contracts, clock: new ManualClock() });
 * const org1 = world.ledger({ mspId: 'Org1MSP', role: 'admin' }); // a LedgerApi
 * const events = world.eventSource();                              // a LedgerEventSource
 * ```
 */
export class InProcessWorld implements TransactionRunner {
  readonly clock: Clock;
  readonly state = new MemoryState([MEMBER_COLLECTION]);
  readonly committed: CommittedTransaction[] = [];
  readonly #channelId: string;
  readonly #peerTime: (txTimestamp: Date) => Date;
  readonly #contracts = new Map<string, Contract>();
  readonly #events: LedgerEvent[] = [];
  readonly #listeners = new Set<EventListener>();
  #queue: Promise<unknown> = Promise.resolve();
  #txCounter = 0;
  #blockNumber = 0n;

  constructor(options: InProcessWorldOptions) {
    this.clock = options.clock ?? new ManualClock();
    this.#peerTime = options.peerTime ?? ((txTimestamp) => txTimestamp);
    this.#channelId = options.channelId ?? 'fedledger';
    for (const ContractClass of options.contracts) {
      const contract = new ContractClass();
      this.#contracts.set(contract.getName(), contract);
    }
  }

  /** A `LedgerApi` acting as this identity. */
  ledger(identity: TestIdentity): InProcessLedger {
    return new InProcessLedger(this, resolveIdentity(identity));
  }

  /** A `LedgerEventSource`; by default it delivers events committed after `listen`, or from `startBlock` on. */
  eventSource(options: { startBlock?: bigint } = {}): LedgerEventSource {
    return {
      listen: (onEvent, listenOptions) => {
        const listener = new EventListener(
          this.#events,
          onEvent,
          options.startBlock ?? this.#blockNumber + 1n,
          listenOptions?.onArrival,
        );
        this.#listeners.add(listener);
        listener.pump();
        return Promise.resolve({
          close: () => {
            listener.closed = true;
            this.#listeners.delete(listener);
          },
        });
      },
    };
  }

  /** Every event committed so far, in order. */
  get events(): readonly LedgerEvent[] {
    return this.#events;
  }

  /** Resolves when every listener has handled every committed event; rejects with a handler's error. */
  async settled(): Promise<void> {
    this.#listeners.forEach((listener) => {
      listener.pump();
    });
    await Promise.all([...this.#listeners].map((listener) => listener.idle()));
  }

  /** Runs one transaction as `identity`; rejects with a FedLedgerError carrying the chaincode's code. */
  invoke(identity: Required<TestIdentity>, invocation: Invocation): Promise<string> {
    const run = this.#queue.then(() => this.#run(identity, invocation));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #run(identity: Required<TestIdentity>, invocation: Invocation): Promise<string> {
    const contract = this.#contracts.get(invocation.contract);
    const method =
      contract === undefined
        ? undefined
        : (Reflect.get(contract, invocation.fcn) as TransactionMethod | undefined);
    if (contract === undefined || typeof method !== 'function' || !/^[A-Z]/.test(invocation.fcn)) {
      throw new FedLedgerError(
        'INTERNAL',
        `no transaction ${invocation.contract}:${invocation.fcn}`,
      );
    }
    this.#txCounter += 1;
    const txId = createHash('sha256').update(`${this.#channelId}/${this.#txCounter}`).digest('hex');
    const timestamp = this.clock.now();
    const stub = new MemoryStub(this.state, {
      txId,
      timestamp,
      channelId: this.#channelId,
      creator: { mspid: identity.mspId, idBytes: new TextEncoder().encode(identity.id) },
      transient: new Map(Object.entries(invocation.transient ?? {})),
      fcn: `${invocation.contract}:${invocation.fcn}`,
      params: invocation.params,
    });
    const ctx = contract.createContext();
    ctx.stub = stub;
    ctx.clientIdentity = new MemoryClientIdentity(identity);
    if (hasPeerClock(ctx)) {
      ctx.peerNow = () => this.#peerTime(timestamp).getTime();
    }
    let result: string;
    try {
      result = await method.call(contract, ctx, ...invocation.params);
    } catch (error) {
      throw asWireError(error);
    }
    if (invocation.mode === 'submit') {
      this.#commit(stub, invocation, txId, timestamp);
    }
    return result;
  }

  #commit(stub: MemoryStub, invocation: Invocation, txId: string, timestamp: Date): void {
    this.state.commit(stub.writes, txId, timestamp);
    this.#blockNumber += 1n;
    const event =
      stub.event === undefined
        ? undefined
        : decodeLedgerEvent(stub.event.name, stub.event.payload, txId, this.#blockNumber);
    this.committed.push({
      txId,
      blockNumber: this.#blockNumber,
      contract: invocation.contract,
      fcn: invocation.fcn,
      writtenKeys: stub.writtenKeys(),
      event,
    });
    if (event !== undefined) {
      this.#events.push(event);
      // Delivered after the submit resolves, as a Fabric event arrives after the commit.
      setImmediate(() => {
        this.#listeners.forEach((listener) => {
          listener.pump();
        });
      });
    }
  }
}

/** Chaincode errors reach clients as text; recover the code from it exactly as the gateway does. */
function asWireError(error: unknown): FedLedgerError {
  const message = error instanceof Error ? error.message : String(error);
  const parsed = parseErrorCode(message);
  return parsed === undefined
    ? new FedLedgerError('INTERNAL', message)
    : new FedLedgerError(parsed.code, parsed.reason);
}

/** Delivers events to one handler strictly in order, one at a time. */
class EventListener {
  closed = false;
  #next: number;
  #running: Promise<void> | undefined;
  #error: unknown;

  /** Events told to `onArrival` so far (ahead of `#next` while a handler is busy). */
  #arrived: number;

  constructor(
    readonly events: readonly LedgerEvent[],
    readonly onEvent: (event: LedgerEvent) => Promise<void>,
    startBlock: bigint,
    readonly onArrival: ((event: LedgerEvent) => void) | undefined,
  ) {
    const first = events.findIndex((event) => event.blockNumber >= startBlock);
    this.#next = first === -1 ? events.length : first;
    this.#arrived = this.#next;
  }

  pump(): void {
    for (; !this.closed && this.#arrived < this.events.length; this.#arrived++)
      this.onArrival?.(this.events[this.#arrived]);
    if (this.#running === undefined && this.#error === undefined) {
      this.#running = this.#drain().finally(() => {
        this.#running = undefined;
      });
    }
  }

  async idle(): Promise<void> {
    while (this.#running !== undefined) {
      await this.#running;
    }
    if (this.#error !== undefined) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows exactly what the listener threw, as a real event stream's consumer would see it
      throw this.#error;
    }
  }

  async #drain(): Promise<void> {
    while (!this.closed && this.#next < this.events.length) {
      try {
        await this.onEvent(this.events[this.#next]);
      } catch (error) {
        // Like a listener whose checkpoint did not advance: stop here and report.
        this.#error = error;
        return;
      }
      this.#next += 1;
    }
  }
}
