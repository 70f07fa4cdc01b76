import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from './canonical-json';
import { TRANSIENT, TX } from './ledger-api';
import { LEDGER_CALLS } from './ledger-calls';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('LEDGER_CALLS', () => {
  it('names a transaction of its own contract for every method, and each transaction once', () => {
    const seen = new Set<string>();
    for (const [method, call] of Object.entries(LEDGER_CALLS)) {
      assert.ok(
        Object.values(TX[call.contract]).includes(call.transaction as never),
        `${method}: ${call.contract}:${call.transaction}`,
      );
      assert.ok(
        !seen.has(`${call.contract}:${call.transaction}`),
        `${method} repeats a transaction`,
      );
      seen.add(`${call.contract}:${call.transaction}`);
    }
  });

  it('evaluates the reads and submits the writes', () => {
    const reads = Object.entries(LEDGER_CALLS)
      .filter(([, call]) => call.kind === 'evaluate')
      .map(([method]) => method);
    for (const method of reads) assert.match(method, /^(get|list|verify)/);
    assert.equal(LEDGER_CALLS.aggregate.kind, 'submit');
    assert.equal(LEDGER_CALLS.getUpdateWeights.kind, 'evaluate');
  });

  it('sends numbers as decimal strings and objects as canonical JSON', () => {
    const input = {
      federationId: 'f1',
      round: 2,
      numSamples: 40,
      digest: 'ab',
      metrics: { loss: 0.5, acc: 0.75 },
    };
    assert.deepEqual(LEDGER_CALLS.submitBlobUpdate.args(input, 123), [
      'f1',
      '2',
      '40',
      'ab',
      '123',
      '{"acc":0.75,"loss":0.5}',
    ]);
    assert.deepEqual(LEDGER_CALLS.recordEvaluation.args('f1', 3, 10, { b: 1, a: 2 }), [
      'f1',
      '3',
      '10',
      '{"a":2,"b":1}',
      '',
    ]);
    assert.deepEqual(LEDGER_CALLS.getKeyHistory.args('Round', ['f1', '0001']), [
      'Round',
      canonicalJson(['f1', '0001']),
    ]);
    assert.throws(
      () => LEDGER_CALLS.recordUtilities.args('f1', 1, 5, { x: Number.NaN }),
      /NON_FINITE_VALUE/,
    );
  });

  it('puts weights only in the transient map, and none for a blob-path federation', () => {
    const weights = new Uint8Array([1, 2, 3]);
    const input = { federationId: 'f1', round: 1, numSamples: 1, digest: 'ab', metrics: {} };
    assert.deepEqual(LEDGER_CALLS.submitUpdate.transient?.(input, weights), {
      [TRANSIENT.weights]: weights,
    });
    assert.ok(!LEDGER_CALLS.submitUpdate.args(input, weights).some((arg) => arg.includes('1,2,3')));
    assert.deepEqual(LEDGER_CALLS.createFederation.transient?.({ id: 'f' } as never, weights), {
      [TRANSIENT.initialWeights]: weights,
    });
    assert.equal(
      LEDGER_CALLS.createFederation.transient({ id: 'f' } as never, new Uint8Array()),
      undefined,
    );
    assert.equal(LEDGER_CALLS.submitBlobUpdate.transient, undefined);
  });

  it('decodes JSON results and base64 weights', () => {
    assert.deepEqual(LEDGER_CALLS.getFederation.decode(bytes('{"id":"f1"}')), { id: 'f1' });
    assert.deepEqual(
      LEDGER_CALLS.getGlobalWeights.decode(bytes('AQID')),
      new Uint8Array([1, 2, 3]),
    );
    assert.throws(
      () => LEDGER_CALLS.getRound.decode(bytes('oops')),
      /INTERNAL: GetRound returned text that is not JSON/,
    );
  });
});
