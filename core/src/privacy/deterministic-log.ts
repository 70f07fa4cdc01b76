/**
 * Natural logarithm with only `+ - * /` (DESIGN §5): `Math.log` is not guaranteed to round alike
 * on every JavaScript engine, and every endorsing peer must compute the same spent ε bit for bit.
 * x = m · 2^k with m in [1, 2) by exact halving/doubling, then ln m = 2·atanh(t), t = (m−1)/(m+1)
 * ≤ 1/3, summed over a fixed number of terms (the 40th term is below 1e-40, far past double precision).
 */
const LN2 = 0.6931471805599453;
const TERMS = 40;

export function deterministicLn(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) {
    throw new RangeError(`deterministicLn needs a finite positive number, got ${x}`);
  }
  let m = x;
  let k = 0;
  while (m >= 2) {
    m /= 2;
    k += 1;
  }
  while (m < 1) {
    m *= 2;
    k -= 1;
  }
  const t = (m - 1) / (m + 1);
  const t2 = t * t;
  let power = t;
  let sum = 0;
  for (let n = 0; n < TERMS; n++) {
    sum += power / (2 * n + 1);
    power *= t2;
  }
  return 2 * sum + k * LN2;
}
