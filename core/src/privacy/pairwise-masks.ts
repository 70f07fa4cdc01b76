import {
  createCipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
} from 'node:crypto';
import { FedLedgerError } from '../errors';
import { addInto, subtractInto } from './fixed-point';

/**
 * Pairwise masks for secure aggregation (Bonawitz et al., "Practical Secure Aggregation for
 * Privacy-Preserving Machine Learning", CCS 2017, without the secret-sharing recovery: the ledger
 * fixes the submitter set instead). Orgs a < b (MSP id order) agree on a 32-byte pair seed
 * HKDF-SHA256(X25519(a, b), salt, federation | round | a | b); the seed keys AES-256-CTR over zeros
 * to give one uint32 per parameter. a adds the stream and b subtracts it, so in the sum over all
 * submitters every pair's stream cancels exactly modulo 2^32. Only Node's `crypto` is used.
 */

const HKDF_SALT = Buffer.from('fedledger/secagg/v1', 'utf8');
const SEED_BYTES = 32;
const X25519_RAW_BYTES = 32;
/** DER prefix of an X25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export interface MaskingKeyPair {
  /** Raw 32-byte X25519 public key, base64: what goes on the ledger. */
  publicKey: string;
  /** PKCS#8 DER, base64: what the org keeps. */
  privateKey: string;
}

export function generateMaskingKeyPair(): MaskingKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    publicKey: spki.subarray(X25519_SPKI_PREFIX.length).toString('base64'),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}

/** The raw public key, checked: INVALID_ARGUMENT unless it is base64 of exactly 32 bytes. */
export function parseMaskingPublicKey(base64: string, what: string): Buffer {
  const raw = Buffer.from(base64, 'base64');
  if (raw.length !== X25519_RAW_BYTES || raw.toString('base64') !== base64) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `${what} must be the base64 of a 32-byte X25519 public key`,
    );
  }
  return raw;
}

function publicKeyObject(base64: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([X25519_SPKI_PREFIX, parseMaskingPublicKey(base64, 'public key')]),
    format: 'der',
    type: 'spki',
  });
}

/** The ordered pair (lower MSP id first) a seed belongs to. */
export function orderedPair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

/** The 32-byte seed `self` shares with `peer` for one round of one federation (hex). */
export function pairSeed(
  privateKey: string,
  peerPublicKey: string,
  context: { federationId: string; round: number; self: string; peer: string },
): string {
  const secret = diffieHellman({
    privateKey: createPrivateKey({
      key: Buffer.from(privateKey, 'base64'),
      format: 'der',
      type: 'pkcs8',
    }),
    publicKey: publicKeyObject(peerPublicKey),
  });
  const [low, high] = orderedPair(context.self, context.peer);
  const info = Buffer.from(`${context.federationId}|${context.round}|${low}|${high}`, 'utf8');
  return Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, info, SEED_BYTES)).toString('hex');
}

/** The seed's pseudo-random stream: `length` uint32 values (AES-256-CTR keyed by the seed, zero IV). */
export function expandSeed(seedHex: string, length: number): Uint32Array {
  const seed = Buffer.from(seedHex, 'hex');
  if (seed.length !== SEED_BYTES) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `a pair seed must be ${SEED_BYTES} bytes (64 hex characters)`,
    );
  }
  const cipher = createCipheriv('aes-256-ctr', seed, Buffer.alloc(16));
  const stream = Buffer.concat([cipher.update(Buffer.alloc(length * 4)), cipher.final()]);
  const out = new Uint32Array(length);
  for (let j = 0; j < length; j++) out[j] = stream.readUInt32LE(4 * j);
  return out;
}

/**
 * Applies, in place, the pair mask of `self` with `peer`: + stream when self < peer, − stream
 * otherwise. Called once per other participant of the round (submitter or not).
 */
export function applyPairMask(
  values: Uint32Array,
  self: string,
  peer: string,
  seedHex: string,
): void {
  const stream = expandSeed(seedHex, values.length);
  if (self < peer) addInto(values, stream);
  else subtractInto(values, stream);
}

/**
 * Removes from a sum of masked updates the mask a survivor applied for a pair with an org that did
 * not submit (its partner's opposite mask is missing from the sum, so this one never cancelled).
 */
export function removeDroppedPairMask(
  sum: Uint32Array,
  survivor: string,
  dropped: string,
  seedHex: string,
): void {
  const stream = expandSeed(seedHex, sum.length);
  if (survivor < dropped) subtractInto(sum, stream);
  else addInto(sum, stream);
}
