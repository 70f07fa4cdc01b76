import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Logger } from '@nestjs/common';
import type { ChaincodeEvent, CloseableAsyncIterable, Network } from '@hyperledger/fabric-gateway';
import type { LedgerEvent, LedgerEventSource, ListenOptions } from '@fedledger/core';
import { decodeChaincodeEvent } from './event-decoding';
import { FileCheckpoint } from './file-checkpoint';
import { ReadAhead } from './read-ahead';

const DEFAULT_RECONNECT_DELAY_MS = 2_000;
/** A chaincode event as read, decoded once (undefined for an event this code does not know). */
interface Arrival {
  raw: ChaincodeEvent;
  event: LedgerEvent | undefined;
}

/** Events read ahead of the handler at most (replaying a long ledger must not fill the memory). */
const READ_AHEAD_MAX = 1_024;

/**
 * Chaincode events from the org's peer, checkpointed to a file after each event whose handler
 * resolved, so that a restarted gateway resumes right after the last event it settled; an event
 * whose handler rejected is delivered again. With no checkpoint file yet it reads from block 0:
 * the participation handlers check the ledger before acting, so replay is harmless. A corrupt file
 * stops `listen` with a {@link CheckpointFileError} (see file-checkpoint.ts) instead of replaying.
 */
export class FabricEventSource implements LedgerEventSource {
  readonly #network: Network;
  readonly #chaincodeName: string;
  readonly #checkpointPath: string;
  readonly #reconnectDelayMs: number;
  readonly #logger = new Logger('fabric-events');
  readonly #subscriptions = new Set<{ close(): void }>();

  constructor(
    network: Network,
    chaincodeName: string,
    checkpointPath: string,
    reconnectDelayMs = DEFAULT_RECONNECT_DELAY_MS,
  ) {
    this.#network = network;
    this.#reconnectDelayMs = reconnectDelayMs;
    this.#chaincodeName = chaincodeName;
    this.#checkpointPath = checkpointPath;
  }

  async listen(
    onEvent: (event: LedgerEvent) => Promise<void>,
    options: ListenOptions = {},
  ): Promise<{ close(): void }> {
    await mkdir(dirname(this.#checkpointPath), { recursive: true });
    const checkpointer = await FileCheckpoint.load(this.#checkpointPath);
    let closed = false;
    let stream: CloseableAsyncIterable<ChaincodeEvent> | undefined;
    const run = async (): Promise<void> => {
      while (!closed) {
        try {
          stream = await this.#network.getChaincodeEvents(this.#chaincodeName, {
            checkpoint: checkpointer,
            startBlock: 0n,
          });
          // close() may have run while the stream was being opened, when it could not close this one.
          // Close it now; the reading below then ends with CANCELLED, which the catch absorbs. (Closing
          // it without reading it would leave grpc-js's CANCELLED error without a listener: a crash.)
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() sets `closed` while the await above is pending.
          if (closed) stream.close();
          const arrivals = new ReadAhead<ChaincodeEvent, Arrival>(READ_AHEAD_MAX);
          // Read ahead of the handler, so that `onArrival` hears of events while the handler is
          // still busy with an earlier one; the checkpoint still moves only past handled events.
          void arrivals.fill(stream, (raw) => {
            const event = decodeChaincodeEvent(raw);
            if (event) this.#tellArrival(event, options.onArrival);
            return { raw, event };
          });
          for (
            let arrival = await arrivals.take();
            arrival !== undefined;
            arrival = await arrivals.take()
          ) {
            // Closed while this event waited in the read-ahead: it stays for the next listener.
            // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() sets `closed` while take() is awaited.
            if (closed) return;
            const { raw, event } = arrival;
            if (event) {
              await onEvent(event);
            } else {
              this.#logger.warn({
                msg: 'skipped unknown chaincode event',
                eventName: raw.eventName,
                txId: raw.transactionId,
              });
            }
            await checkpointer.checkpointChaincodeEvent(raw);
          }
        } catch (error) {
          // A handler failure leaves the stream open; close it before asking for a new one. Events
          // read ahead but not handled are delivered again from the checkpoint.
          stream?.close();
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() sets `closed` while the stream or handler is awaited.
          if (closed) return;
          this.#logger.warn({
            msg: 'chaincode event stream or handler failed; resuming from the checkpoint',
            error: (error as Error).message,
            delayMs: this.#reconnectDelayMs,
          });
          await new Promise((resolve) => setTimeout(resolve, this.#reconnectDelayMs));
        }
      }
    };
    void run();
    const subscription = {
      close: (): void => {
        closed = true;
        stream?.close();
        this.#subscriptions.delete(subscription);
      },
    };
    this.#subscriptions.add(subscription);
    return subscription;
  }

  #tellArrival(event: LedgerEvent, onArrival: ListenOptions['onArrival']): void {
    if (onArrival === undefined) return;
    try {
      onArrival(event);
    } catch (error) {
      this.#logger.warn({
        msg: 'event arrival hint failed',
        event: event.name,
        txId: event.txId,
        error: (error as Error).message,
      });
    }
  }

  /** Stops every listener; called before the gateways close so no stream tries to reconnect. */
  closeAll(): void {
    [...this.#subscriptions].forEach((subscription) => {
      subscription.close();
    });
  }
}
