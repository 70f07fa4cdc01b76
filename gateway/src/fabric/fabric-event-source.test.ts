import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import type { ChaincodeEvent, ChaincodeEventsOptions, CloseableAsyncIterable, Network } from '@hyperledger/fabric-gateway';
import type { LedgerEvent } from '@fedledger/core';
import { FabricEventSource } from './fabric-event-source';

const event = (block: bigint, tx: string, name = 'RoundOpened'): ChaincodeEvent => ({
  blockNumber: block,
  transactionId: tx,
  chaincodeName: 'fedledger',
  eventName: name,
  payload: new TextEncoder().encode(JSON.stringify({ federationId: 'f', round: Number(block) })),
});

/** A Network replaying a fixed event log from the checkpoint it is given, like a peer does. */
function fakeNetwork(log: ChaincodeEvent[], requests: ChaincodeEventsOptions[]): Network {
  return {
    getChaincodeEvents: async (_name: string, options: ChaincodeEventsOptions): Promise<CloseableAsyncIterable<ChaincodeEvent>> => {
      requests.push(options);
      const checkpointBlock = options.checkpoint?.getBlockNumber();
      const checkpointTx = options.checkpoint?.getTransactionId();
      let pending = log.filter((entry) => (checkpointBlock === undefined ? entry.blockNumber >= (options.startBlock ?? 0n) : entry.blockNumber >= checkpointBlock));
      if (checkpointTx !== undefined) {
        const index = pending.findIndex((entry) => entry.transactionId === checkpointTx);
        pending = pending.slice(index + 1);
      }
      let closed = false;
      return {
        close: () => {
          closed = true;
        },
        [Symbol.dispose]: () => undefined,
        async *[Symbol.asyncIterator]() {
          for (const entry of pending) {
            if (closed) return;
            yield entry;
          }
          await new Promise<void>(() => undefined);
        },
      } as unknown as CloseableAsyncIterable<ChaincodeEvent>;
    },
  } as unknown as Network;
}

function readCheckpoint(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

async function collect(source: FabricEventSource, count: number): Promise<LedgerEvent[]> {
  const seen: LedgerEvent[] = [];
  let subscription: { close(): void } | undefined;
  await new Promise<void>((resolve) => {
    void source
      .listen(async (received) => {
        seen.push(received);
        if (seen.length === count) resolve();
      })
      .then((handle) => {
        subscription = handle;
      });
  });
  subscription?.close();
  return seen;
}

describe('FabricEventSource', () => {
  before(() => Logger.overrideLogger(false));

  it('redelivers an event whose handler failed, after reconnecting from the checkpoint', async () => {
    const checkpoint = join(mkdtempSync(join(tmpdir(), 'fl-events-')), 'events.checkpoint.json');
    const requests: ChaincodeEventsOptions[] = [];
    const source = new FabricEventSource(fakeNetwork([event(1n, 'a'), event(2n, 'b')], requests), 'fedledger', checkpoint, 1);
    const seen: string[] = [];
    let failOnce = true;
    let subscription: { close(): void } | undefined;
    await new Promise<void>((resolve) => {
      void source
        .listen(async (received) => {
          seen.push(received.txId);
          if (received.txId === 'b' && failOnce) {
            failOnce = false;
            throw new Error('LEDGER_UNAVAILABLE: peer down');
          }
          if (seen.length === 3) resolve();
        })
        .then((handle) => {
          subscription = handle;
        });
    });
    subscription?.close();
    assert.deepEqual(seen, ['a', 'b', 'b']);
    assert.equal(requests.length, 2);
  });

  it('delivers decoded events from block 0, skips unknown ones, and resumes after the last handled event', async () => {
    // The state directory does not exist yet on a first start.
    const checkpoint = join(mkdtempSync(join(tmpdir(), 'fl-events-')), 'state', 'events.checkpoint.json');
    const log = [event(1n, 'a'), event(1n, 'b', 'SomethingNew'), event(2n, 'c'), event(3n, 'd')];
    const requests: ChaincodeEventsOptions[] = [];
    const first = await collect(new FabricEventSource(fakeNetwork(log, requests), 'fedledger', checkpoint), 2);
    assert.deepEqual(first.map((received) => received.txId), ['a', 'c']);
    assert.equal(requests[0]?.startBlock, 0n);
    // The checkpoint is written after the handler settles; wait (bounded) until it names event c.
    for (let poll = 0; poll < 200 && !readCheckpoint(checkpoint).includes('"c"'); poll++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const resumed = await collect(new FabricEventSource(fakeNetwork(log, requests), 'fedledger', checkpoint), 1);
    assert.deepEqual(resumed.map((received) => received.txId), ['d']);
    assert.ok(requests[1]?.checkpoint, 'the resumed stream is requested with the file checkpoint');
  });
});
