import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STRATEGY_NAMES, type StrategyConfig } from '../types';
import { bytesOf, f32, fingerprint, orderings, update } from '../testing/aggregation-fixtures';
import { createStrategy } from './create-strategy';
import { toFloat32, weightedMean } from './math';
import type { ServerState } from './strategy';

// The second coordinate makes Float64 sums order-dependent (±7e18 cancel, absorbing whatever small
// terms were added before the cancellation): summed in these orderings without sorting, FedAvg gives
// five different Float32 results, so a strategy that forgot to sort by id would fail here.
const updates = [
  update('Org4MSP', 7, [0.1, 1e18, -3.3, 7e-8]),
  update('Org1MSP', 7, [0.2, -1e18, 2.2, 1e-7]),
  update('Org3MSP', 101, [0.3, 3, -1.1, 3e-7]),
  update('Org2MSP', 1, [1e-3, 2.5, 9.9, -5e-8]),
  update('Org5MSP', 50, [0.7, 1e-8, 0.1, 2e-7]),
];
const previous = f32(0.05, 1, 0, 1e-7);

const configs: StrategyConfig[] = [
  ...STRATEGY_NAMES.map((name) => ({ name })),
  { name: 'fedavgm', params: { momentum: 0.7, serverLearningRate: 0.3 } },
  { name: 'trimmed-mean', params: { beta: 0.2 } },
  { name: 'multi-krum', params: { f: 1, m: 2 } },
  { name: 'centered-clipping', params: { iterations: 5, radius: 0.5 } },
  { name: 'fedavg', normBound: 1 },
  { name: 'fedadam', normBound: 0.5 },
];

for (const config of configs) {
  test(`${JSON.stringify(config)}: every input ordering gives bit-identical output`, () => {
    const strategy = createStrategy(config);
    const serverState: ServerState | undefined =
      config.name === 'fedadam'
        ? { m: f32(0.1, 0.2, 0.3, 0.4), v: f32(1, 2, 3, 4) }
        : config.name === 'fedavgm'
          ? { momentum: f32(1, -1, 0.5, 0) }
          : undefined;
    const fingerprints = new Set(
      orderings(updates).map((ordering) =>
        fingerprint(
          strategy.aggregate({
            updates: ordering,
            previous,
            ...(serverState ? { serverState } : {}),
          }),
        ),
      ),
    );
    assert.equal(fingerprints.size, 1);
    const [only] = fingerprints;
    assert.match(only, /"diagnostics":\[\{[^\]]*"id":"Org1MSP"/);
  });
}

test('the fixture really is order-sensitive when summed without sorting', () => {
  const sums = new Set(
    orderings(updates).map((ordering) =>
      Array.from(
        bytesOf(
          toFloat32(
            weightedMean(
              ordering.map((u) => u.weights),
              ordering.map((u) => u.numSamples),
            ),
          ),
        ),
      ).join(','),
    ),
  );
  assert.ok(sums.size > 1);
});
