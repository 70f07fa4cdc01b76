import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, canonicalJsonBytes, parseJsonArgument } from './canonical-json';
import { FedLedgerError } from './errors';

function hasCode(code: string, pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof FedLedgerError);
    assert.equal(error.code, code);
    assert.match(error.reason, pattern);
    return true;
  };
}

test('keys are sorted at every depth, undefined members dropped, no whitespace', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [true, null, 'x'], c: undefined } }), '{"a":{"d":[true,null,"x"]},"b":1}');
  assert.equal(canonicalJson([undefined, false]), '[null,false]');
});

test('canonicalJsonBytes is the UTF-8 of canonicalJson', () => {
  assert.deepEqual(canonicalJsonBytes({ é: 1 }), new TextEncoder().encode('{"é":1}'));
});

test('non-finite numbers and non-JSON types are rejected with their path', () => {
  assert.throws(() => canonicalJson({ a: [1, Number.NaN] }), hasCode('NON_FINITE_VALUE', /^\$\.a\[1\] is NaN/));
  assert.throws(() => canonicalJson({ f: () => 1 }), hasCode('INVALID_ARGUMENT', /^\$\.f has type function/));
});

test('parseJsonArgument parses JSON or names the bad argument', () => {
  assert.deepEqual(parseJsonArgument('{"a":1}', 'specJson'), { a: 1 });
  assert.throws(() => parseJsonArgument('{', 'specJson'), hasCode('INVALID_ARGUMENT', /^specJson is not valid JSON/));
});
