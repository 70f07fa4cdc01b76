import { createSeededRandom } from '@fedledger/gateway/datasets';
import type { Scenario } from './scenario';

/** The poisoning behaviours of the attack harness (what an attacking org submits instead of an honest update). */
export const ATTACKS = ['sign-flip-x10', 'gaussian-noise', 'label-flip', 'free-rider'] as const;
export type AttackName = (typeof ATTACKS)[number];

/** Human-readable description of each attack, for tables. */
export const ATTACK_DESCRIPTIONS: Record<AttackName, string> = {
  'sign-flip-x10': 'submits global − 10·(trained − global)',
  'gaussian-noise': 'submits global + N(0, 1) per weight',
  'label-flip': 'trains honestly on its rows with labels flipped (y → 1 − y)',
  'free-rider': 'trains nothing and submits the global model back, claiming its row count',
};

/** Orgs 0 … count−1 attack (org indices; ids are Org1MSP …). */
export function attackerIndices(count: number): number[] {
  return Array.from({ length: count }, (_, k) => k);
}

/** The scenario as the attackers' trainers see it: label flipping changes their rows, the others change nothing. */
export function attackedScenario(
  scenario: Scenario,
  attack: AttackName | 'none',
  attackers: readonly number[],
): Scenario {
  if (attack !== 'label-flip') {
    return scenario;
  }
  return {
    ...scenario,
    orgs: scenario.orgs.map((org, k) =>
      attackers.includes(k) ? { ...org, labels: org.labels.map((y) => 1 - y) } : org,
    ),
  };
}

/** The tamper hook of the coordinator for `attack`, or undefined when the attack needs none. */
export function tamperFor(
  attack: AttackName | 'none',
  attackers: readonly number[],
):
  | ((k: number, round: number, trained: Float32Array, global: Float32Array) => Float32Array)
  | undefined {
  if (attack === 'none' || attack === 'label-flip') {
    return undefined;
  }
  return (k, round, trained, global) => {
    if (!attackers.includes(k)) {
      return trained;
    }
    const out = new Float32Array(global.length);
    if (attack === 'free-rider') {
      out.set(global);
    } else if (attack === 'sign-flip-x10') {
      for (let j = 0; j < out.length; j++) out[j] = global[j] - 10 * (trained[j] - global[j]);
    } else {
      const random = createSeededRandom(7919 * round + k);
      for (let j = 0; j < out.length; j++) out[j] = global[j] + random.normal();
    }
    return out;
  };
}
