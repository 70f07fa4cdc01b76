import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flushEventLoop } from '../../testing/event-loop';
import { ReadAhead } from './read-ahead';

async function* numbers(count: number, failAfter?: number): AsyncGenerator<number> {
  for (let i = 1; i <= count; i++) {
    if (i === failAfter) throw new Error('stream broke');
    yield i;
  }
}

describe('ReadAhead: a bounded queue between a stream reader and one consumer', () => {
  it('reads ahead up to its capacity while nothing is taken, then one more per item taken', async () => {
    const queue = new ReadAhead<number, number>(3);
    const read: number[] = [];
    void queue.fill(numbers(10), (n) => {
      read.push(n);
      return n;
    });
    await flushEventLoop();
    assert.deepEqual(read, [1, 2, 3]);
    assert.equal(await queue.take(), 1);
    await flushEventLoop();
    assert.deepEqual(read, [1, 2, 3, 4]);
    const rest: number[] = [];
    for (let n = await queue.take(); n !== undefined; n = await queue.take()) rest.push(n);
    assert.deepEqual(rest, [2, 3, 4, 5, 6, 7, 8, 9, 10], 'in order, then undefined at the end');
  });

  it('hands out every item read before the stream failed, then rejects with its error', async () => {
    const queue = new ReadAhead<number, number>(100);
    void queue.fill(numbers(10, 4), (n) => n);
    assert.equal(await queue.take(), 1);
    assert.equal(await queue.take(), 2);
    assert.equal(await queue.take(), 3);
    await assert.rejects(queue.take(), /stream broke/);
  });

  it('a taker waiting on an empty queue gets the next item as it is read', async () => {
    const queue = new ReadAhead<number, number>(2);
    let push: ((n: number) => void) | undefined;
    const source: AsyncIterable<number> = {
      async *[Symbol.asyncIterator]() {
        yield await new Promise<number>((resolve) => (push = resolve));
      },
    };
    void queue.fill(source, (n) => n);
    const taken = queue.take();
    await flushEventLoop();
    push?.(7);
    assert.equal(await taken, 7);
    assert.equal(await queue.take(), undefined);
  });
});
