import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sampleSpec, sampleWeights } from '@fedledger/simulator';
import {
  CHAINCODE_NAME,
  FedLedgerError,
  sha256Hex,
  type ConsortiumMember,
  type LedgerEvent,
} from '@fedledger/core';
import { FabricConnection } from './fabric-connection';
import { FabricEventSource } from './fabric-event-source';
import { connectIdentity } from '../../testing/connect-identity';
import { FAKE_CHANNEL, startFakeFabric, type FakeFabric } from '../../testing/fake-fabric';

const MEMBERS: ConsortiumMember[] = [
  { mspId: 'Org1MSP', role: 'member' },
  { mspId: 'Org2MSP', role: 'member' },
  { mspId: 'Org3MSP', role: 'member' },
];

/** Collects events from a listener; `next(n)` resolves once n events arrived in total. */
function collector(): {
  events: LedgerEvent[];
  handler: (event: LedgerEvent) => Promise<void>;
  next(count: number): Promise<void>;
} {
  const events: LedgerEvent[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  return {
    events,
    handler: (event) => {
      events.push(event);
      waiters
        .filter((waiter) => events.length >= waiter.count)
        .forEach((waiter) => {
          waiter.resolve();
        });
      return Promise.resolve();
    },
    next: (count) =>
      new Promise((resolve) => {
        if (events.length >= count) resolve();
        else waiters.push({ count, resolve });
      }),
  };
}

describe('FabricEventSource over gRPC against the fake Gateway peer', () => {
  let fabric: FakeFabric;
  let org2: FabricConnection;
  let org3: FabricConnection;

  before(async () => {
    fabric = await startFakeFabric();
    org2 = await FabricConnection.open(fabric.config('Org2MSP'));
    org3 = await FabricConnection.open(fabric.config('Org3MSP'));
  });

  after(() => {
    org2.close();
    org3.close();
    fabric.stop();
  });

  it(
    'delivers events in commit order and a restarted source resumes after its checkpoint',
    { timeout: 20_000 },
    async () => {
      const org1Config = fabric.config('Org1MSP');
      const first = await FabricConnection.open(org1Config);
      const seen = collector();
      await first.events.listen(seen.handler);
      await first.ledgerFor('admin').initConsortium(MEMBERS);
      await first
        .ledgerFor('admin')
        .createFederation(sampleSpec({ id: 'fed-events' }), sampleWeights(1));
      await org2.ledgerFor('admin').acceptInvitation('fed-events');
      await seen.next(3);
      assert.deepEqual(
        seen.events.map((event) => event.name),
        ['ConsortiumInitialized', 'FederationCreated', 'InvitationAccepted'],
      );
      const blocks = seen.events.map((event) => event.blockNumber);
      assert.deepEqual(
        blocks,
        [...blocks].sort((a, b) => (a < b ? -1 : 1)),
      );
      for (const event of seen.events) {
        assert.equal(
          fabric.peer.channel.status(event.txId)?.number,
          event.blockNumber,
          'block number as committed',
        );
        assert.equal(event.payload.txId, event.txId, 'the chaincode saw the proposal tx id');
      }
      first.close();

      // While this gateway is down another org acts; after a restart only that event arrives.
      await org3.ledgerFor('admin').acceptInvitation('fed-events');
      const restarted = await FabricConnection.open(org1Config);
      try {
        const resumed = collector();
        await restarted.events.listen(resumed.handler);
        await resumed.next(1);
        await restarted.ledgerFor('admin').startFederation('fed-events');
        await resumed.next(2);
        assert.deepEqual(
          resumed.events.map((event) => [
            event.name,
            'mspId' in event.payload ? event.payload.mspId : null,
          ]),
          [
            ['InvitationAccepted', 'Org3MSP'],
            ['RoundOpened', null],
          ],
        );
        const resumeRequest = fabric.peer.calls
          .filter((call) => call.method === 'ChaincodeEvents')
          .at(-1);
        assert.equal(
          resumeRequest?.txId,
          seen.events[2]?.txId,
          'resumed after the last handled transaction',
        );
      } finally {
        restarted.close();
      }
    },
  );

  it(
    'redelivers an event whose handler failed, over a new stream from the checkpoint',
    { timeout: 20_000 },
    async () => {
      const config = fabric.config('Org1MSP');
      const connected = connectIdentity(
        config.connection as NonNullable<typeof config.connection>,
        'admin',
      );
      const source = new FabricEventSource(
        connected.gateway.getNetwork(FAKE_CHANNEL),
        CHAINCODE_NAME,
        join(config.stateDir, 'events.json'),
        10,
      );
      const handled: string[] = [];
      let failures = 0;
      const done = new Promise<string[]>((resolve) => {
        void source.listen((event) => {
          if (event.name === 'FederationCreated' && failures === 0) {
            failures += 1;
            return Promise.reject(new Error('handler failed once'));
          }
          handled.push(`${event.name}@${event.blockNumber}`);
          if (event.name === 'InvitationAccepted') resolve([...handled]);
          return Promise.resolve();
        });
      });
      try {
        // No checkpoint yet: the whole log replays from block 0; the failed event comes again, once.
        const upToFirstAcceptance = await done;
        assert.equal(failures, 1);
        assert.deepEqual(upToFirstAcceptance, [
          `ConsortiumInitialized@${fabric.peer.channel.blocks[0]?.number}`,
          `FederationCreated@${fabric.peer.channel.blocks[1]?.number}`,
          `InvitationAccepted@${fabric.peer.channel.blocks[2]?.number}`,
        ]);
      } finally {
        source.closeAll();
        connected.close();
      }
    },
  );

  it(
    'closing the connection ends its event stream at the peer, then calls fail',
    { timeout: 20_000 },
    async () => {
      const connection = await FabricConnection.open(fabric.config('Org1MSP'));
      const streamsBefore = fabric.peer.openEventStreams;
      await connection.events.listen(() => Promise.resolve());
      await fabric.peer.until(() => fabric.peer.openEventStreams === streamsBefore + 1);
      connection.close();
      await fabric.peer.until(() => fabric.peer.openEventStreams === streamsBefore);
      await assert.rejects(
        connection.ledgerFor('admin').getConsortium(),
        (error: unknown) => error instanceof FedLedgerError && error.code === 'LEDGER_UNAVAILABLE',
      );
    },
  );

  it(
    'a listener closed while its stream is being opened does not keep the stream',
    { timeout: 10_000 },
    async () => {
      const config = fabric.config('Org1MSP');
      const connected = connectIdentity(
        config.connection as NonNullable<typeof config.connection>,
        'admin',
      );
      const network = connected.gateway.getNetwork(FAKE_CHANNEL);
      let open = (): void => undefined;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let streamClosed = (): void => undefined;
      const closedAtClient = new Promise<void>((resolve) => (streamClosed = resolve));
      // The stream request is held until the subscription was closed (the window a shutdown hits),
      // and the stream handed back records whether anyone closed it.
      const gated = new Proxy(network, {
        get: (target, property, receiver) =>
          property === 'getChaincodeEvents'
            ? async (...args: Parameters<typeof network.getChaincodeEvents>) => {
                await gate;
                const stream = await target.getChaincodeEvents(...args);
                const close = stream.close.bind(stream);
                return Object.assign(stream, {
                  close: () => {
                    streamClosed();
                    close();
                  },
                });
              }
            : (Reflect.get(target, property, receiver) as unknown),
      });
      const source = new FabricEventSource(
        gated,
        CHAINCODE_NAME,
        join(config.stateDir, 'events.json'),
        10,
      );
      const handled: LedgerEvent[] = [];
      const streamsBefore = fabric.peer.openEventStreams;
      const subscription = await source.listen((event) => {
        handled.push(event);
        return Promise.resolve();
      });
      subscription.close();
      open();
      try {
        await closedAtClient;
        await fabric.peer.until(() => fabric.peer.openEventStreams === streamsBefore);
        assert.deepEqual(handled, []);
      } finally {
        connected.close();
      }
    },
  );

  it(
    'keeps listening across a peer restart and resumes without redelivery',
    { timeout: 20_000 },
    async () => {
      const config = fabric.config('Org1MSP');
      const connected = connectIdentity(
        config.connection as NonNullable<typeof config.connection>,
        'admin',
      );
      const source = new FabricEventSource(
        connected.gateway.getNetwork(FAKE_CHANNEL),
        CHAINCODE_NAME,
        join(config.stateDir, 'events.json'),
        10,
      );
      const seen = collector();
      const subscription = await source.listen(seen.handler);
      try {
        const backlog = fabric.peer.channel.blocks.filter((block) => block.event).length;
        await seen.next(backlog);
        await fabric.restartPeer();
        // The client's channel reconnects on its own schedule; a write may meet it still down.
        let submitted = false;
        while (!submitted) {
          const weights = sampleWeights(2);
          const update = {
            federationId: 'fed-events',
            round: 1,
            numSamples: 10,
            digest: sha256Hex(weights),
            metrics: {},
          };
          submitted = await org2
            .ledgerFor('scientist')
            .submitUpdate(update, weights)
            .then(
              () => true,
              (error: unknown) => {
                if (error instanceof FedLedgerError && error.code === 'LEDGER_UNAVAILABLE')
                  return false;
                throw error;
              },
            );
        }
        await seen.next(backlog + 1);
        assert.equal(seen.events.at(-1)?.name, 'UpdateSubmitted');
        assert.equal(
          new Set(seen.events.map((event) => event.txId)).size,
          seen.events.length,
          'no event delivered twice',
        );
      } finally {
        subscription.close();
        connected.close();
      }
    },
  );

  it('an unreachable peer is LEDGER_UNAVAILABLE for reads and writes', async () => {
    const other = await startFakeFabric();
    const connection = await FabricConnection.open(
      other.config('Org1MSP', { ledgerTimeoutMs: 2_000 }),
    );
    other.stop();
    try {
      await assert.rejects(
        connection.ledgerFor('admin').getConsortium(),
        (error: unknown) => error instanceof FedLedgerError && error.code === 'LEDGER_UNAVAILABLE',
      );
      await assert.rejects(
        connection.ledgerFor('admin').initConsortium(MEMBERS),
        (error: unknown) => error instanceof FedLedgerError && error.code === 'LEDGER_UNAVAILABLE',
      );
    } finally {
      connection.close();
    }
  });
});
