import {
  DEFAULT_FIXED_POINT,
  SUM_BASED_STRATEGIES,
  epsilonAfterRounds,
  type DpConfig,
  type FederationSpec,
  type FixedPointConfig,
  type PrivacyConfig,
} from '@fedledger/core';
import type { FieldReader } from './field-reader';

/** Bounds of the fixed-point encoding: the scale is an integer multiplier, the range a clipping bound. */
const FIXED_POINT_LIMITS = { maxScale: 2 ** 24, maxRange: 2 ** 20 } as const;
const MAX_NOISE_MULTIPLIER = 1e6;
const MAX_EPSILON = 1e6;

/**
 * Reads the optional `privacy` of a federation spec (argument or stored record) and checks it
 * against the rest of the spec:
 * - secure aggregation runs only sum-based strategies (no norm-bounding wrapper either): robust
 *   strategies need individual updates, which secure aggregation hides by design;
 * - the fixed-point encoding is filled with defaults when secure aggregation is on;
 * - DP needs secure aggregation (each org adds only a share of the noise, so its plain update
 *   would be seen under-noised), ε > 0, 0 < δ < 1/n for n orgs (the protected unit is an org),
 *   clipNorm > 0, noiseMultiplier > 0, and a budget that pays for at least one round.
 */
export function readPrivacyConfig(r: FieldReader, spec: FederationSpec): PrivacyConfig | undefined {
  if (!r.has('privacy')) return undefined;
  const p = r.object('privacy');
  const privacy: PrivacyConfig = {};
  const secure = p.has('secureAggregation') && p.boolean('secureAggregation');
  if (secure) {
    privacy.secureAggregation = true;
    checkSumBasedStrategy(r, spec);
  }
  const fixedPoint = p.has('fixedPoint') ? readFixedPoint(p.object('fixedPoint')) : undefined;
  if (fixedPoint !== undefined && !secure)
    p.fail('fixedPoint', 'applies only with secureAggregation: true');
  if (secure) privacy.fixedPoint = fixedPoint ?? { ...DEFAULT_FIXED_POINT };
  if (p.has('dp')) {
    if (!secure)
      p.fail(
        'dp',
        'needs secureAggregation: true (distributed DP: each org adds only a share of the noise, so its plain update would be seen under-noised)',
      );
    privacy.dp = readDp(p.object('dp'), spec);
  }
  p.done();
  return privacy.secureAggregation === true || privacy.dp !== undefined ? privacy : undefined;
}

function checkSumBasedStrategy(r: FieldReader, spec: FederationSpec): void {
  const allowed: readonly string[] = SUM_BASED_STRATEGIES;
  if (!allowed.includes(spec.strategy.name)) {
    r.fail(
      'strategy.name',
      `${spec.strategy.name} needs individual updates, which secure aggregation hides; with privacy.secureAggregation use ${SUM_BASED_STRATEGIES.join(', ')}`,
    );
  }
  if (spec.strategy.normBound !== undefined) {
    r.fail(
      'strategy.normBound',
      'bounds each individual update, which secure aggregation hides; use privacy.dp.clipNorm (each org clips its own update) instead',
    );
  }
}

function readFixedPoint(f: FieldReader): FixedPointConfig {
  const config = {
    scale: f.integer('scale', { min: 1, max: FIXED_POINT_LIMITS.maxScale }),
    range: f.number('range', { min: Number.MIN_VALUE, max: FIXED_POINT_LIMITS.maxRange }),
  };
  f.done();
  return config;
}

function readDp(d: FieldReader, spec: FederationSpec): DpConfig {
  const orgs = 1 + spec.invitedOrgs.length;
  const epsilon = d.number('epsilon', { max: MAX_EPSILON });
  if (!(epsilon > 0)) d.fail('epsilon', `must be greater than 0, got ${epsilon}`);
  const delta = d.number('delta');
  if (!(delta > 0) || !(delta < 1 / orgs))
    d.fail(
      'delta',
      `must be greater than 0 and below 1/n = 1/${orgs} (n = the federation's orgs, the protected unit), got ${delta}`,
    );
  const clipNorm = d.number('clipNorm');
  if (!(clipNorm > 0)) d.fail('clipNorm', `must be greater than 0, got ${clipNorm}`);
  const noiseMultiplier = d.number('noiseMultiplier', { max: MAX_NOISE_MULTIPLIER });
  if (!(noiseMultiplier > 0))
    d.fail('noiseMultiplier', `must be greater than 0, got ${noiseMultiplier}`);
  d.done();
  const oneRound = epsilonAfterRounds(1, noiseMultiplier, delta).epsilon;
  if (oneRound > epsilon) {
    d.fail(
      'epsilon',
      `${epsilon} does not pay for one round: one round at noiseMultiplier ${noiseMultiplier} and delta ${delta} spends ε = ${oneRound}`,
    );
  }
  return { epsilon, delta, clipNorm, noiseMultiplier };
}
