import assert from 'node:assert/strict';
import { AsyncResource } from 'node:async_hooks';
import { describe, it } from 'node:test';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { defer, firstValueFrom } from 'rxjs';
import type { LedgerProvider } from './ledger.tokens';
import {
  LedgerConsistencyInterceptor,
  MIN_BLOCK_WAIT_MS,
  parseMinBlock,
} from './ledger-consistency.interceptor';
import { COMMITTED_BLOCK_HEADER, MIN_BLOCK_HEADER, noteCommittedBlock } from './ledger-session';

/** An HTTP request with these headers, and the headers its response was given. */
function httpContext(headers: Record<string, string>): {
  context: ExecutionContext;
  sent: Map<string, string>;
} {
  const sent = new Map<string, string>();
  const response = {
    headersSent: false,
    setHeader: (name: string, value: string) => sent.set(name, value),
  };
  const context = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => ({ headers }), getResponse: () => response }),
  } as unknown as ExecutionContext;
  return { context, sent };
}

/** A handler that commits in the given blocks, bound the way Nest binds route handlers. */
function handlerCommitting(blocks: number[]): CallHandler {
  return {
    handle: () =>
      defer(
        AsyncResource.bind(async () => {
          for (const block of blocks) {
            await new Promise((resolve) => setImmediate(resolve));
            noteCommittedBlock(block);
          }
          return 'done';
        }),
      ),
  };
}

function provider(waits: Array<[number, number]>): LedgerProvider {
  return {
    ledgerFor: () => assert.fail('no ledger call expected'),
    waitForBlock: (block, timeoutMs) => {
      waits.push([block, timeoutMs]);
      return Promise.resolve();
    },
  };
}

describe('LedgerConsistencyInterceptor', () => {
  it('waits for the block the client names, then reports the highest block its writes committed in', async () => {
    const waits: Array<[number, number]> = [];
    const { context, sent } = httpContext({ [MIN_BLOCK_HEADER]: '9' });
    const result = await firstValueFrom(
      new LedgerConsistencyInterceptor(provider(waits)).intercept(
        context,
        handlerCommitting([12, 14, 13]),
      ),
    );
    assert.equal(result, 'done');
    assert.deepEqual(waits, [[9, MIN_BLOCK_WAIT_MS]]);
    assert.equal(sent.get(COMMITTED_BLOCK_HEADER), '14');
  });

  it('neither waits nor reports a block for a read without the header', async () => {
    const waits: Array<[number, number]> = [];
    const { context, sent } = httpContext({});
    await firstValueFrom(
      new LedgerConsistencyInterceptor(provider(waits)).intercept(context, handlerCommitting([])),
    );
    assert.deepEqual(waits, []);
    assert.equal(sent.size, 0);
  });

  it('keeps concurrent requests apart', async () => {
    const interceptor = new LedgerConsistencyInterceptor(provider([]));
    const a = httpContext({});
    const b = httpContext({});
    await Promise.all([
      firstValueFrom(interceptor.intercept(a.context, handlerCommitting([3, 5]))),
      firstValueFrom(interceptor.intercept(b.context, handlerCommitting([4]))),
    ]);
    assert.equal(a.sent.get(COMMITTED_BLOCK_HEADER), '5');
    assert.equal(b.sent.get(COMMITTED_BLOCK_HEADER), '4');
  });

  it('rejects a header that is not a block number, naming the header', () => {
    assert.equal(parseMinBlock(undefined), undefined);
    assert.equal(parseMinBlock(' 0 '), 0);
    for (const bad of ['-1', '1.5', 'abc', '', '9999999999999999']) {
      assert.throws(
        () => parseMinBlock(bad),
        (error: unknown) =>
          (error as { code: string; message: string }).code === 'INVALID_ARGUMENT' &&
          (error as Error).message.includes(MIN_BLOCK_HEADER),
        bad,
      );
    }
  });

  it('noting a block outside a request does nothing', () => {
    assert.doesNotThrow(() => {
      noteCommittedBlock(1);
    });
  });
});
