import { randomBytes } from 'node:crypto';

/**
 * Standard normal samples from the OS's cryptographic generator (Box–Muller on 53-bit uniforms):
 * DP noise must not be predictable by whoever could guess a seeded generator's state.
 */
export function gaussianSamples(count: number): Float64Array {
  const out = new Float64Array(count);
  const pairs = Math.ceil(count / 2);
  const bytes = randomBytes(pairs * 16);
  for (let i = 0; i < pairs; i++) {
    // (0, 1]: 1 − u keeps log away from 0.
    const u1 = 1 - uniform53(bytes, i * 16);
    const u2 = uniform53(bytes, i * 16 + 8);
    const radius = Math.sqrt(-2 * Math.log(u1));
    out[2 * i] = radius * Math.cos(2 * Math.PI * u2);
    if (2 * i + 1 < count) out[2 * i + 1] = radius * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/** A uniform number in [0, 1) from 53 random bits at `offset`. */
function uniform53(bytes: Buffer, offset: number): number {
  const high = bytes.readUInt32LE(offset) >>> 5; // 27 bits
  const low = bytes.readUInt32LE(offset + 4) >>> 6; // 26 bits
  return (high * 67108864 + low) / 9007199254740992;
}
