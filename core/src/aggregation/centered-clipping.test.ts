import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFails, bytesOf, f32, update } from '../testing/aggregation-fixtures';
import { CenteredClippingStrategy, cappedShares } from './centered-clipping';
import { createStrategy, validateStrategyConfig } from './create-strategy';
import { FedAvgStrategy } from './fedavg';

test('a far outlier pulls no harder than its share × τ: here its pull cancels an honest one', () => {
  // Median start 2.5; distances 1.5, 0.5, 0.5, 997.5, so τ = 1. The outlier's offset is clipped to +1
  // and a's −1.5 to −1; b and c cancel, so the centre stays at 2.5, where FedAvg gives 251.5.
  const updates = [
    update('a', 1, [1]),
    update('b', 1, [2]),
    update('c', 1, [3]),
    update('e', 1, [1000]),
  ];
  const result = new CenteredClippingStrategy().aggregate({ updates, previous: f32(0) });
  assert.deepEqual(result.weights, f32(2.5));
  assert.deepEqual(
    new FedAvgStrategy().aggregate({ updates, previous: f32(0) }).weights,
    f32(251.5),
  );
  assert.deepEqual(
    result.diagnostics.map((d) => [d.id, d.accepted, d.weight, d.reason !== undefined]),
    [
      ['a', true, 0.25, true],
      ['b', true, 0.25, false],
      ['c', true, 0.25, false],
      ['e', true, 0.25, true],
    ],
  );
});

test('updates within τ of the centre are averaged by (capped) sample weight', () => {
  // Median start 2; distances 1, 0, 1, so τ = 1 and nothing is clipped: one step reaches the weighted mean.
  const updates = [update('a', 1, [1]), update('b', 2, [2]), update('c', 2, [3])];
  const result = new CenteredClippingStrategy({ iterations: 1 }).aggregate({
    updates,
    previous: f32(0),
  });
  assert.deepEqual(result.weights, f32((1 + 4 + 6) / 5));
  assert.deepEqual(
    result.diagnostics.map((d) => d.weight),
    [0.2, 0.4, 0.4],
  );
});

test('a reported row count weighs at most as much as the median count', () => {
  const shares = cappedShares([
    update('a', 10, [0]),
    update('b', 20, [0]),
    update('c', 1_000_000, [0]),
    update('d', 30, [0]),
  ]);
  // Median of 10, 20, 30, 1e6 is 25: c and d are capped to 25.
  assert.deepEqual(shares, [10 / 80, 20 / 80, 25 / 80, 25 / 80]);
});

test('a sign-flipped ×10 update moves the result far less than under FedAvg', () => {
  const previous = f32(0, 0);
  const honest = [
    update('Org1MSP', 100, [1, 1.2]),
    update('Org2MSP', 100, [0.9, 1]),
    update('Org3MSP', 100, [1.1, 0.8]),
  ];
  const flipped = update('Org4MSP', 100, [-10, -10]);
  const clean = new CenteredClippingStrategy().aggregate({ updates: honest, previous }).weights;
  const attacked = new CenteredClippingStrategy().aggregate({
    updates: [...honest, flipped],
    previous,
  }).weights;
  const fedavg = new FedAvgStrategy().aggregate({
    updates: [...honest, flipped],
    previous,
  }).weights;
  const gap = (a: Float32Array, b: Float32Array): number => Math.hypot(a[0] - b[0], a[1] - b[1]);
  assert.ok(gap(attacked, clean) < 0.3, `centered clipping moved ${gap(attacked, clean)}`);
  assert.ok(gap(fedavg, clean) > 2, `FedAvg moved ${gap(fedavg, clean)}`);
});

test('identical updates give that model (τ = 0, nothing to move)', () => {
  const updates = [update('a', 3, [0.5, -2]), update('b', 1, [0.5, -2])];
  assert.deepEqual(
    new CenteredClippingStrategy().aggregate({ updates, previous: f32(0, 0) }).weights,
    f32(0.5, -2),
  );
});

test('the same inputs give the same bytes on every call', () => {
  const updates = [
    update('Org2MSP', 7, [0.1, -3.3, 7e-8]),
    update('Org1MSP', 101, [0.3, -1.1, 3e-7]),
    update('Org3MSP', 50, [0.7, 0.1, 2e-7]),
    update('Org4MSP', 2, [40, -90, 1]),
  ];
  const strategy = createStrategy({
    name: 'centered-clipping',
    params: { iterations: 5, radius: 0.5 },
  });
  const first = bytesOf(strategy.aggregate({ updates, previous: f32(0, 0, 0) }).weights);
  for (let run = 0; run < 3; run++) {
    assert.deepEqual(
      bytesOf(
        strategy.aggregate({ updates: [...updates].reverse(), previous: f32(0, 0, 0) }).weights,
      ),
      first,
    );
  }
});

test('params keep their config and defaults are 3 iterations at radius 1', () => {
  assert.deepEqual(new CenteredClippingStrategy().config, { name: 'centered-clipping' });
  assert.deepEqual(
    createStrategy({ name: 'centered-clipping', params: { iterations: 2, radius: 2 } }).config,
    {
      name: 'centered-clipping',
      params: { iterations: 2, radius: 2 },
    },
  );
  // A larger radius clips less: the outlier of the first test then pulls the centre up.
  const updates = [
    update('a', 1, [1]),
    update('b', 1, [2]),
    update('c', 1, [3]),
    update('e', 1, [1000]),
  ];
  const wide = new CenteredClippingStrategy({ radius: 4 }).aggregate({ updates, previous: f32(0) })
    .weights[0];
  assert.ok(wide > 2.5 && wide < 2.5 + 3 * 4, `radius 4 gives ${wide}`);
});

test('bad params are refused with INVALID_ARGUMENT naming the field', () => {
  for (const iterations of [0, 11, 1.5, -1, Number.NaN]) {
    assertFails(
      () => validateStrategyConfig({ name: 'centered-clipping', params: { iterations } }),
      'INVALID_ARGUMENT',
      /strategy\.params\.iterations/,
    );
  }
  for (const radius of [0, -1, 101, Number.POSITIVE_INFINITY]) {
    assertFails(
      () => validateStrategyConfig({ name: 'centered-clipping', params: { radius } }),
      'INVALID_ARGUMENT',
      /strategy\.params\.radius/,
    );
  }
  assertFails(
    () => new CenteredClippingStrategy({ beta: 0.1 }),
    'INVALID_ARGUMENT',
    /beta is not a parameter of centered-clipping \(allowed: iterations, radius\)/,
  );
  assertFails(
    () => new CenteredClippingStrategy().aggregate({ updates: [], previous: f32(0) }),
    'QUORUM_NOT_MET',
    /./,
  );
  assertFails(
    () =>
      new CenteredClippingStrategy().aggregate({
        updates: [update('a', 1, [Number.NaN])],
        previous: f32(0),
      }),
    'NON_FINITE_VALUE',
    /./,
  );
});
