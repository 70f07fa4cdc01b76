import { MEMBER_COLLECTION } from '@fedledger/core';
import { MemoryState } from '../memory-state';
import { peer } from '@hyperledger/fabric-protos';
import type { DispatchStub, KeyRange } from './shim-chaincode';

/** A chaincode event as committed in a block. */
export interface CommittedEvent {
  chaincodeName: string;
  txId: string;
  eventName: string;
  payload: Uint8Array;
}

/** One block: the fake cuts exactly one transaction per block, numbered from 1. */
export interface FakeBlock {
  number: bigint;
  txId: string;
  validationCode: number;
  /** Present only when the transaction is VALID and set an event. */
  event: CommittedEvent | undefined;
}

/** A scanned key range and the keys (with versions) it returned at endorsement. */
export interface RangeRead extends KeyRange {
  keys: Array<[string, number]>;
}

/** An endorsed transaction waiting for its signed envelope (Submit). */
export interface PendingTransaction {
  txId: string;
  chaincodeName: string;
  fcn: string;
  timestamp: Date;
  stub: DispatchStub;
  /** Version (commit sequence) of every key the chaincode read, when it was endorsed. */
  readVersions: Map<string, number>;
  /** Every public range the chaincode scanned, as it was when endorsed. */
  rangeReads: RangeRead[];
  /** The exact payload bytes of the prepared envelope handed to the client. */
  envelopePayload: Uint8Array;
}

const { TxValidationCode } = peer;

/**
 * The committed side of one simulated channel: world state, key versions for MVCC validation,
 * blocks (one transaction each, invalid ones included, as Fabric records them), validation codes
 * per tx id, and listeners for new blocks.
 */
export class FakeChannel {
  readonly state = new MemoryState([MEMBER_COLLECTION]);
  readonly blocks: FakeBlock[] = [];
  readonly #versions = new Map<string, number>();
  readonly #statuses = new Map<string, FakeBlock>();
  readonly #listeners = new Set<(block: FakeBlock) => void>();
  #injected: number[] = [];

  /** The next `times` transactions submitted are recorded with `code` instead of being validated. */
  injectValidationCode(code: number, times = 1): void {
    this.#injected.push(...Array.from({ length: times }, () => code));
  }

  /** The committed version of each key in the stub's read set. */
  readVersions(stub: DispatchStub): Map<string, number> {
    return new Map([...stub.reads].map((key) => [key, this.#versions.get(key) ?? 0]));
  }

  /** The committed keys and versions in each range the stub scanned. */
  rangeReads(stub: DispatchStub): RangeRead[] {
    return stub.ranges.map((range) => ({ ...range, keys: this.#scan(range) }));
  }

  #scan(range: KeyRange): Array<[string, number]> {
    return this.state
      .range(range.start, range.end)
      .map(({ key }) => [key, this.#versions.get(key) ?? 0]);
  }

  /**
   * Validates and commits an endorsed transaction in a new block: an injected code wins, then MVCC
   * (a key read at endorsement has changed since), then phantom reads (a scanned range now returns
   * other keys or versions), else VALID and its writes and event apply.
   */
  commit(pending: PendingTransaction): FakeBlock {
    let code = this.#injected.shift() ?? TxValidationCode.VALID;
    if (
      code === TxValidationCode.VALID &&
      [...pending.readVersions].some(([key, version]) => (this.#versions.get(key) ?? 0) !== version)
    ) {
      code = TxValidationCode.MVCC_READ_CONFLICT;
    }
    if (
      code === TxValidationCode.VALID &&
      pending.rangeReads.some(
        (range) => JSON.stringify(this.#scan(range)) !== JSON.stringify(range.keys),
      )
    ) {
      code = TxValidationCode.PHANTOM_READ_CONFLICT;
    }
    // Block 0 is the channel's genesis (configuration) block; transactions start at block 1.
    const number = BigInt(this.blocks.length + 1);
    let event: CommittedEvent | undefined;
    if (code === TxValidationCode.VALID) {
      this.state.commit(pending.stub.writes, pending.txId, pending.timestamp);
      for (const key of pending.stub.writtenKeys()) {
        this.#versions.set(key, Number(number));
      }
      const raw = pending.stub.event;
      event = raw && {
        chaincodeName: pending.chaincodeName,
        txId: pending.txId,
        eventName: raw.name,
        payload: raw.payload,
      };
    }
    const block: FakeBlock = { number, txId: pending.txId, validationCode: code, event };
    this.blocks.push(block);
    this.#statuses.set(pending.txId, block);
    this.#listeners.forEach((listener) => {
      listener(block);
    });
    return block;
  }

  /** The block a transaction was committed in, if it was. */
  status(txId: string): FakeBlock | undefined {
    return this.#statuses.get(txId);
  }

  /** Calls `listener` for each block committed from now on; returns the unsubscribe function. */
  onBlock(listener: (block: FakeBlock) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
