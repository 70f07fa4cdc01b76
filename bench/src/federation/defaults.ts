import type { HyperParameters } from '@fedledger/core';
import { DEFAULT_HIDDEN_UNITS } from '@fedledger/gateway/training';
import type { ScenarioOptions } from './scenario';

/** The demo task every bench shares: synthetic clinical data, 3 orgs, the 12 → 32 → 16 → 1 MLP. */
export function demoScenario(
  quick: boolean,
  overrides: Partial<ScenarioOptions> = {},
): ScenarioOptions {
  return {
    rows: quick ? 3000 : 10_000,
    orgs: 3,
    split: 'iid',
    testFraction: 0.2,
    hiddenUnits: [...DEFAULT_HIDDEN_UNITS],
    seed: 42,
    ...overrides,
  };
}

/** Local training per round: Adam, batch 32 (the brief's batch size), 2 epochs. */
export const DEMO_HYPER_PARAMETERS: HyperParameters = {
  epochs: 2,
  batchSize: 32,
  learningRate: 0.005,
};

/** Rounds of every federated run unless a bench says otherwise. */
export const DEMO_ROUNDS = 5;
