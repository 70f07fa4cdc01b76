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
  assert.equal(
    canonicalJson({ b: 1, a: { d: [true, null, 'x'], c: undefined } }),
    '{"a":{"d":[true,null,"x"]},"b":1}',
  );
  assert.equal(canonicalJson([undefined, false]), '[null,false]');
});

test('canonicalJsonBytes is the UTF-8 of canonicalJson', () => {
  assert.deepEqual(canonicalJsonBytes({ é: 1 }), new TextEncoder().encode('{"é":1}'));
});

test('non-finite numbers and non-JSON types are rejected with their path', () => {
  assert.throws(
    () => canonicalJson({ a: [1, Number.NaN] }),
    hasCode('NON_FINITE_VALUE', /^\$\.a\[1\] is NaN/),
  );
  assert.throws(
    () => canonicalJson({ f: () => 1 }),
    hasCode('INVALID_ARGUMENT', /^\$\.f has type function/),
  );
});

test('built-ins that are not JSON values and cycles are INVALID_ARGUMENT, not {} or a stack overflow', () => {
  assert.throws(
    () => canonicalJson({ w: new Float32Array([1.5]) }),
    hasCode('INVALID_ARGUMENT', /^\$\.w is a typed array or DataView/),
  );
  assert.throws(
    () => canonicalJson([Buffer.from('x')]),
    hasCode('INVALID_ARGUMENT', /^\$\[0\] is a typed array/),
  );
  assert.throws(
    () => canonicalJson({ at: new Date(0) }),
    hasCode('INVALID_ARGUMENT', /^\$\.at is a Date/),
  );
  assert.throws(
    () => canonicalJson(new Map([['a', 1]])),
    hasCode('INVALID_ARGUMENT', /^\$ is a Map/),
  );
  assert.throws(() => canonicalJson({ s: new Set([1]) }), hasCode('INVALID_ARGUMENT', /is a Set/));
  assert.throws(() => canonicalJson({ r: /x/ }), hasCode('INVALID_ARGUMENT', /is a RegExp/));
  assert.throws(
    () => canonicalJson({ b: new ArrayBuffer(1) }),
    hasCode('INVALID_ARGUMENT', /is an ArrayBuffer/),
  );
  const cyclic: Record<string, unknown> = { a: [] };
  (cyclic['a'] as unknown[]).push(cyclic);
  assert.throws(
    () => canonicalJson(cyclic),
    hasCode('INVALID_ARGUMENT', /^\$\.a\[0\] refers back to an enclosing value/),
  );
  // The same object twice side by side is not a cycle.
  const shared = { x: 1 };
  assert.equal(
    canonicalJson({ a: shared, b: [shared, shared] }),
    '{"a":{"x":1},"b":[{"x":1},{"x":1}]}',
  );
});

test('parseJsonArgument parses JSON or names the bad argument', () => {
  assert.deepEqual(parseJsonArgument('{"a":1}', 'specJson'), { a: 1 });
  assert.throws(
    () => parseJsonArgument('{', 'specJson'),
    hasCode('INVALID_ARGUMENT', /^specJson is not valid JSON/),
  );
});
