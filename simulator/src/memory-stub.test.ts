import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Iterators } from 'fabric-shim-api';
import { MemoryState } from './memory-state';
import { MemoryStub, type MemoryTransaction } from './memory-stub';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (value: Uint8Array): string => new TextDecoder().decode(value);

function tx(overrides: Partial<MemoryTransaction> = {}): MemoryTransaction {
  return {
    txId: 'tx-1',
    timestamp: new Date('2026-01-01T00:00:01.500Z'),
    channelId: 'ch',
    creator: { mspid: 'Org1MSP', idBytes: bytes('id') },
    transient: new Map([['weights', bytes('w')]]),
    fcn: 'round:SubmitUpdate',
    params: ['a', 'b'],
    ...overrides,
  };
}

async function keysOf(iterator: Iterators.StateQueryIterator): Promise<string[]> {
  const keys: string[] = [];
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
    keys.push(r.value.key);
  }
  await iterator.close();
  return keys;
}

async function commitAll(
  state: MemoryState,
  entries: Record<string, string>,
  txId = 'seed',
): Promise<void> {
  const stub = new MemoryStub(state, tx({ txId }));
  for (const [key, value] of Object.entries(entries)) {
    await stub.putState(key, bytes(value));
  }
  state.commit(stub.writes, txId, new Date('2026-01-01T00:00:00Z'));
}

describe('MemoryStub', () => {
  test('transaction facts: id, channel, creator, transient copy, args, timestamps', () => {
    const stub = new MemoryStub(new MemoryState([]), tx());
    assert.equal(stub.getTxID(), 'tx-1');
    assert.equal(stub.getChannelID(), 'ch');
    assert.equal(stub.getMspID(), 'Org1MSP');
    assert.equal(stub.getCreator().mspid, 'Org1MSP');
    assert.deepEqual(stub.getFunctionAndParameters(), {
      fcn: 'round:SubmitUpdate',
      params: ['a', 'b'],
    });
    assert.deepEqual(stub.getStringArgs(), ['round:SubmitUpdate', 'a', 'b']);
    stub.getTransient().delete('weights');
    assert.equal(text(stub.getTransient().get('weights') ?? new Uint8Array()), 'w');
    const ts = stub.getTxTimestamp();
    assert.equal(ts.seconds.toNumber(), Date.parse('2026-01-01T00:00:01Z') / 1000);
    assert.equal(ts.nanos, 500_000_000);
    assert.equal(stub.getDateTimestamp().toISOString(), '2026-01-01T00:00:01.500Z');
  });

  test('reads see committed state only; writes apply on commit; deletes are recorded in history', async () => {
    const state = new MemoryState([]);
    await commitAll(state, { a: '1' });
    const stub = new MemoryStub(state, tx({ txId: 'tx-2' }));
    await stub.putState('a', bytes('2'));
    assert.equal(text(await stub.getState('a')), '1', 'no read-your-writes, as on a peer');
    assert.equal((await stub.getState('missing')).length, 0);
    state.commit(stub.writes, 'tx-2', new Date('2026-01-01T00:00:02Z'));
    const del = new MemoryStub(state, tx({ txId: 'tx-3' }));
    await del.deleteState('a');
    state.commit(del.writes, 'tx-3', new Date('2026-01-01T00:00:03Z'));
    assert.equal(state.get('a'), undefined);
    const history = await new MemoryStub(state, tx()).getHistoryForKey('a');
    const seen: [string, boolean, string][] = [];
    for (let r = await history.next(); !r.done; r = await history.next()) {
      seen.push([r.value.txId, r.value.isDelete, text(r.value.value)]);
    }
    assert.deepEqual(
      seen,
      [
        ['tx-3', true, ''],
        ['tx-2', false, '2'],
        ['seed', false, '1'],
      ],
      'newest first, like Fabric v2',
    );
    await assert.rejects(() => stub.putState('', bytes('x')), /empty/);
  });

  test('range queries skip composite keys, paginate with a bookmark, and are async-iterable', async () => {
    const state = new MemoryState([]);
    const stub = new MemoryStub(state, tx());
    await commitAll(state, {
      a: '1',
      b: '2',
      c: '3',
      d: '4',
      [stub.createCompositeKey('t', ['x'])]: '5',
    });
    assert.deepEqual(await keysOf(await stub.getStateByRange('', '')), ['a', 'b', 'c', 'd']);
    assert.deepEqual(await keysOf(await stub.getStateByRange('b', 'd')), ['b', 'c']);
    const first = await stub.getStateByRangeWithPagination('', '', 3);
    assert.deepEqual(await keysOf(first.iterator), ['a', 'b', 'c']);
    assert.deepEqual(first.metadata, { fetchedRecordsCount: 3, bookmark: 'd' });
    const second = await stub.getStateByRangeWithPagination('', '', 3, first.metadata.bookmark);
    assert.deepEqual(await keysOf(second.iterator), ['d']);
    assert.equal(second.metadata.bookmark, '');
    const seen: string[] = [];
    for await (const kv of stub.getStateByRange('', 'c')) {
      seen.push(kv.key);
    }
    assert.deepEqual(seen, ['a', 'b']);
    assert.throws(() => stub.getStateByRangeWithPagination('', '', 0), /pageSize/);
  });

  test('composite keys: create, split, partial queries with pagination', async () => {
    const state = new MemoryState([]);
    const stub = new MemoryStub(state, tx());
    const k = (...attrs: string[]) => stub.createCompositeKey('update', attrs);
    await commitAll(state, {
      [k('f', '1', 'A')]: '',
      [k('f', '1', 'B')]: '',
      [k('f', '2', 'A')]: '',
      [k('g', '1', 'A')]: '',
    });
    assert.deepEqual(stub.splitCompositeKey(k('f', '1', 'A')), {
      objectType: 'update',
      attributes: ['f', '1', 'A'],
    });
    assert.deepEqual(stub.splitCompositeKey('plain'), { objectType: '', attributes: [] });
    assert.deepEqual(
      (await keysOf(await stub.getStateByPartialCompositeKey('update', ['f', '1']))).map(
        (key) => stub.splitCompositeKey(key).attributes[2],
      ),
      ['A', 'B'],
    );
    const page = await stub.getStateByPartialCompositeKeyWithPagination('update', ['f'], 2, '');
    assert.equal(page.metadata.fetchedRecordsCount, 2);
    const rest = await stub.getStateByPartialCompositeKeyWithPagination(
      'update',
      ['f'],
      2,
      page.metadata.bookmark,
    );
    assert.equal(rest.metadata.fetchedRecordsCount, 1);
    assert.throws(() => stub.createCompositeKey('t', ['a\u0000b']), /U\+0000/);
    assert.throws(() => stub.createCompositeKey('t', ['\u{10FFFF}']), /U\+0000 or U\+10FFFF/);
  });

  test('private data per collection, unknown collections rejected, deletes', async () => {
    const state = new MemoryState(['c1']);
    const stub = new MemoryStub(state, tx());
    await stub.putPrivateData('c1', stub.createCompositeKey('w', ['1']), bytes('secret'));
    await assert.rejects(
      () => stub.putPrivateData('c2', 'k', bytes('x')),
      /collection c2 is not defined/,
    );
    assert.equal((await stub.getPrivateData('c1', stub.createCompositeKey('w', ['1']))).length, 0);
    state.commit(stub.writes, 'tx-1', new Date());
    const reader = new MemoryStub(state, tx());
    assert.equal(
      text(await reader.getPrivateData('c1', reader.createCompositeKey('w', ['1']))),
      'secret',
    );
    assert.deepEqual(
      (await keysOf(await reader.getPrivateDataByPartialCompositeKey('c1', 'w', []))).length,
      1,
    );
    assert.deepEqual(
      (await keysOf(await reader.getPrivateDataByRange('c1', '', ''))).length,
      0,
      'composite keys are outside simple ranges',
    );
    await reader.purgePrivateData('c1', reader.createCompositeKey('w', ['1']));
    assert.deepEqual(reader.writtenKeys(), [`c1 ${reader.createCompositeKey('w', ['1'])}`]);
    state.commit(reader.writes, 'tx-2', new Date());
    assert.equal(state.getPrivate('c1', reader.createCompositeKey('w', ['1'])), undefined);
  });

  test('keeps only the last event; unsupported APIs say so', async () => {
    const stub = new MemoryStub(new MemoryState([]), tx());
    stub.setEvent('A', bytes('1'));
    stub.setEvent('B', bytes('2'));
    assert.equal(stub.event?.name, 'B');
    assert.throws(() => {
      stub.setEvent('', bytes(''));
    }, /empty/);
    assert.throws(() => stub.getQueryResult(), /CouchDB/);
    assert.throws(() => stub.getQueryResultWithPagination(), /CouchDB/);
    assert.throws(() => stub.getPrivateDataQueryResult(), /CouchDB/);
    assert.throws(() => stub.getSignedProposal(), /not simulated/);
    assert.throws(() => stub.getBinding(), /not simulated/);
    for (const call of [
      () => stub.invokeChaincode(),
      () => stub.setStateValidationParameter(),
      () => stub.getStateValidationParameter(),
      () => stub.setPrivateDataValidationParameter(),
      () => stub.getPrivateDataValidationParameter(),
      () => stub.getPrivateDataHash(),
    ]) {
      await assert.rejects(call, /not simulated/);
    }
  });
});
