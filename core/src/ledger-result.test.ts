import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBase64Result, decodeJsonResult } from './ledger-result';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('transaction result decoding', () => {
  it('decodes canonical JSON, also when it arrives JSON-quoted', () => {
    assert.deepEqual(decodeJsonResult(bytes('{"a":1}'), 'T'), { a: 1 });
    assert.deepEqual(decodeJsonResult(bytes(JSON.stringify('{"a":[1]}')), 'T'), { a: [1] });
    assert.deepEqual(decodeJsonResult(bytes('[]'), 'T'), []);
    assert.equal(decodeJsonResult(bytes(JSON.stringify('[not json')), 'T'), '[not json');
    assert.throws(
      () => decodeJsonResult(bytes('oops'), 'GetFederation'),
      /INTERNAL: GetFederation returned text that is not JSON/,
    );
  });

  it('decodes base64 weights, plain or quoted', () => {
    assert.deepEqual(decodeBase64Result(bytes('AQID'), 'G'), new Uint8Array([1, 2, 3]));
    assert.deepEqual(decodeBase64Result(bytes('"AQID"'), 'G'), new Uint8Array([1, 2, 3]));
    assert.throws(() => decodeBase64Result(bytes('not base64!'), 'GetGlobalWeights'), /INTERNAL/);
  });
});
