import assert from 'node:assert/strict';
import { mkdtempSync, promises as fsp, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import type {
  ChaincodeEvent,
  ChaincodeEventsOptions,
  CloseableAsyncIterable,
  Network,
} from '@hyperledger/fabric-gateway';
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
    getChaincodeEvents: (
      _name: string,
      options: ChaincodeEventsOptions,
    ): Promise<CloseableAsyncIterable<ChaincodeEvent>> => {
      requests.push(options);
      const checkpointBlock = options.checkpoint?.getBlockNumber();
      const checkpointTx = options.checkpoint?.getTransactionId();
      let pending = log.filter((entry) =>
        checkpointBlock === undefined
          ? entry.blockNumber >= (options.startBlock ?? 0n)
          : entry.blockNumber >= checkpointBlock,
      );
      if (checkpointTx !== undefined) {
        const index = pending.findIndex((entry) => entry.transactionId === checkpointTx);
        pending = pending.slice(index + 1);
      }
      let closed = false;
      return Promise.resolve({
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
      });
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
      .listen((received) => {
        seen.push(received);
        if (seen.length === count) resolve();
        return Promise.resolve();
      })
      .then((handle) => {
        subscription = handle;
      });
  });
  subscription?.close();
  return seen;
}

describe('FabricEventSource', () => {
  before(() => {
    Logger.overrideLogger(false);
  });

  it('redelivers an event whose handler failed, after reconnecting from the checkpoint', async () => {
    const checkpoint = join(mkdtempSync(join(tmpdir(), 'fl-events-')), 'events.checkpoint.json');
    const requests: ChaincodeEventsOptions[] = [];
    const source = new FabricEventSource(
      fakeNetwork([event(1n, 'a'), event(2n, 'b')], requests),
      'fedledger',
      checkpoint,
      1,
    );
    const seen: string[] = [];
    let failOnce = true;
    let subscription: { close(): void } | undefined;
    await new Promise<void>((resolve) => {
      void source
        .listen((received) => {
          seen.push(received.txId);
          if (received.txId === 'b' && failOnce) {
            failOnce = false;
            return Promise.reject(new Error('LEDGER_UNAVAILABLE: peer down'));
          }
          if (seen.length === 3) resolve();
          return Promise.resolve();
        })
        .then((handle) => {
          subscription = handle;
        });
    });
    subscription?.close();
    assert.deepEqual(seen, ['a', 'b', 'b']);
    assert.equal(requests.length, 2);
  });

  it('tells of arriving events while the handler is busy; the checkpoint moves only past handled ones', async () => {
    const checkpoint = join(mkdtempSync(join(tmpdir(), 'fl-events-')), 'events.checkpoint.json');
    const source = new FabricEventSource(
      fakeNetwork([event(1n, 'a'), event(2n, 'b'), event(3n, 'c')], []),
      'fedledger',
      checkpoint,
    );
    const arrived: string[] = [];
    const handled: string[] = [];
    let release: (() => void) | undefined;
    let allArrived: (() => void) | undefined;
    const arrivedAll = new Promise<void>((resolve) => (allArrived = resolve));
    const subscription = await source.listen(
      (received) => {
        handled.push(received.txId);
        // The first event's handler is busy (a training) until released.
        return received.txId === 'a'
          ? new Promise<void>((resolve) => (release = resolve))
          : Promise.resolve();
      },
      {
        onArrival: (received) => {
          arrived.push(received.txId);
          if (arrived.length === 3) allArrived?.();
          if (received.txId === 'b') throw new Error('a hint that fails changes nothing');
        },
      },
    );
    await arrivedAll;
    assert.deepEqual(arrived, ['a', 'b', 'c'], 'every event told on arrival');
    assert.deepEqual(handled, ['a'], 'while the first is still being handled');
    assert.equal(readCheckpoint(checkpoint), '', 'nothing checkpointed yet');
    release?.();
    while (handled.length < 3) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(handled, ['a', 'b', 'c']);
    subscription.close();
  });

  it('delivers decoded events from block 0, skips unknown ones, and resumes after the last handled event', async () => {
    // The state directory does not exist yet on a first start.
    const checkpoint = join(
      mkdtempSync(join(tmpdir(), 'fl-events-')),
      'state',
      'events.checkpoint.json',
    );
    const log = [event(1n, 'a'), event(1n, 'b', 'SomethingNew'), event(2n, 'c'), event(3n, 'd')];
    const requests: ChaincodeEventsOptions[] = [];
    const first = await collect(
      new FabricEventSource(fakeNetwork(log, requests), 'fedledger', checkpoint),
      2,
    );
    assert.deepEqual(
      first.map((received) => received.txId),
      ['a', 'c'],
    );
    assert.equal(requests[0]?.startBlock, 0n);
    // The checkpoint is written after the handler settles; wait (bounded) until it names event c.
    for (let poll = 0; poll < 200 && !readCheckpoint(checkpoint).includes('"c"'); poll++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const resumed = await collect(
      new FabricEventSource(fakeNetwork(log, requests), 'fedledger', checkpoint),
      1,
    );
    assert.deepEqual(
      resumed.map((received) => received.txId),
      ['d'],
    );
    assert.ok(requests[1]?.checkpoint, 'the resumed stream is requested with the file checkpoint');
  });
});

/**
 * Makes the process "die" right after it opens a file for writing in `dir`, before any byte is
 * written (a SIGKILL or power loss at that moment): the open's truncation happens, the write never
 * does. `crashed` resolves at the first such open.
 */
function crashOnNextWriteIn(dir: string): { crashed: Promise<void>; restore(): void } {
  const realOpen = fsp.open;
  const realWriteFile = fsp.writeFile;
  // The module object itself (not an import copy), so code that calls fs.promises.* sees the change.
  const mutable = fsp as { -readonly [K in keyof typeof fsp]: (typeof fsp)[K] };
  let signal!: () => void;
  const crashed = new Promise<void>((resolve) => (signal = resolve));
  const inDir = (path: unknown): path is string => typeof path === 'string' && path.startsWith(dir);
  const die = async (path: string): Promise<never> => {
    await (await realOpen(path, 'w')).close();
    signal();
    throw new Error('simulated crash mid-write');
  };
  mutable.open = (async (
    path: Parameters<typeof fsp.open>[0],
    flags?: string | number,
    mode?: number,
  ) => {
    if (inDir(path) && typeof flags === 'string' && /[wa+]/.test(flags)) return die(path);
    return realOpen(path, flags, mode);
  }) as typeof fsp.open;
  mutable.writeFile = (async (path: Parameters<typeof fsp.writeFile>[0], ...rest: unknown[]) => {
    if (inDir(path)) return die(path);
    return (realWriteFile as (...args: unknown[]) => Promise<void>)(path, ...rest);
  }) as typeof fsp.writeFile;
  return {
    crashed,
    restore: () => {
      mutable.open = realOpen;
      mutable.writeFile = realWriteFile;
    },
  };
}

describe('FabricEventSource checkpoint file', () => {
  before(() => {
    Logger.overrideLogger(false);
  });

  it('keeps the previous checkpoint when the gateway dies in the middle of saving the next', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-events-'));
    const checkpoint = join(dir, 'events.checkpoint.json');
    const log = [event(1n, 'a'), event(2n, 'b'), event(3n, 'c')];
    let crash: ReturnType<typeof crashOnNextWriteIn> | undefined;
    let subscription: { close(): void } | undefined;
    try {
      await new Promise<void>((resolve) => {
        void new FabricEventSource(fakeNetwork(log, []), 'fedledger', checkpoint, 1)
          .listen((received) => {
            // Event a is checkpointed normally; the process dies while saving b's checkpoint.
            if (received.txId === 'b' && crash === undefined) {
              crash = crashOnNextWriteIn(dir);
              void crash.crashed.then(resolve);
            }
            return Promise.resolve();
          })
          .then((handle) => (subscription = handle));
      });
    } finally {
      subscription?.close();
      crash?.restore();
    }
    const resumed = await collect(
      new FabricEventSource(fakeNetwork(log, []), 'fedledger', checkpoint),
      1,
    );
    assert.deepEqual(
      resumed.map((received) => received.txId),
      ['b'],
      'resumes right after a, the last checkpoint that was saved',
    );
  });

  it('leaves only the checkpoint file in the state directory after saving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-events-'));
    const checkpoint = join(dir, 'events.checkpoint.json');
    await collect(
      new FabricEventSource(
        fakeNetwork([event(1n, 'a'), event(2n, 'b')], []),
        'fedledger',
        checkpoint,
      ),
      2,
    );
    for (let poll = 0; poll < 200 && !readCheckpoint(checkpoint).includes('"b"'); poll++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.deepEqual(JSON.parse(readCheckpoint(checkpoint)), {
      blockNumber: '2',
      transactionId: 'b',
    });
    assert.deepEqual(readdirSync(dir), ['events.checkpoint.json']);
  });

  for (const [what, content] of [
    ['truncated', '{"blockNumber":"1'],
    ['empty', ''],
    ['of the wrong shape', '{"blockNumber":-1}'],
  ] as const) {
    it(`refuses to start from a checkpoint that is ${what}, naming the file and what to do`, async () => {
      const checkpoint = join(mkdtempSync(join(tmpdir(), 'fl-events-')), 'events.checkpoint.json');
      writeFileSync(checkpoint, content);
      const requests: ChaincodeEventsOptions[] = [];
      await assert.rejects(
        new FabricEventSource(
          fakeNetwork([event(1n, 'a')], requests),
          'fedledger',
          checkpoint,
        ).listen(() => Promise.resolve()),
        (error: Error) => {
          assert.ok(error.message.includes(checkpoint), error.message);
          assert.match(error.message, /delete it to replay every event from block 0/);
          return true;
        },
      );
      assert.equal(requests.length, 0, 'no events are read');
      assert.equal(
        readFileSync(checkpoint, 'utf8'),
        content,
        'the file is left as found, for inspection',
      );
    });
  }
});
