import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { encodeWeights } from './codec';
import { sha256Hex } from './digest';

test('sha256Hex of a string hashes its UTF-8 bytes (FIPS 180-2 "abc" vector)', () => {
  assert.equal(
    sha256Hex('abc'),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
  assert.equal(sha256Hex('é'), sha256Hex(new Uint8Array([0xc3, 0xa9])));
});

test('sha256Hex of an empty input is the empty-message digest', () => {
  assert.equal(
    sha256Hex(new Uint8Array(0)),
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
});

test('the digest of encoded weights is SHA-256 over the hand-built FLW1 bytes', () => {
  const bytes = new Uint8Array(12 + 8 + 8);
  const view = new DataView(bytes.buffer);
  bytes.set([0x46, 0x4c, 0x57, 0x31], 0); // "FLW1"
  view.setUint32(4, 1, true);
  view.setUint32(8, 1, true);
  view.setUint32(12, 1, true);
  view.setUint32(16, 2, true);
  view.setFloat32(20, 0.5, true);
  view.setFloat32(24, -3, true);
  const expected = createHash('sha256').update(bytes).digest('hex');
  assert.equal(
    sha256Hex(encodeWeights([{ shape: [2], values: new Float32Array([0.5, -3]) }])),
    expected,
  );
});

test('sha256Hex hashes only the viewed bytes of a subarray', () => {
  const whole = new Uint8Array([9, 1, 2, 3, 9]);
  assert.equal(sha256Hex(whole.subarray(1, 4)), sha256Hex(new Uint8Array([1, 2, 3])));
});
