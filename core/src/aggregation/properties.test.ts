import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { STRATEGY_NAMES } from '../types';
import { acceptedWeight } from '../testing/aggregation-fixtures';
import { createStrategy } from './create-strategy';
import { FedAvgStrategy } from './fedavg';
import { KrumStrategy } from './krum';
import { MedianStrategy } from './median';
import type { AggregationStrategy, ClientUpdate } from './strategy';
import { TrimmedMeanStrategy } from './trimmed-mean';

const anyFinite = fc.float({ noNaN: true, noDefaultInfinity: true });
const moderate = fc.float({ noNaN: true, min: -1000, max: 1000 });
const samples = fc.integer({ min: 1, max: 1_000_000 });

function vectorOf(length: number, values: fc.Arbitrary<number>): fc.Arbitrary<Float32Array> {
  return fc
    .array(values, { minLength: length, maxLength: length })
    .map((array) => Float32Array.from(array));
}

function toUpdates(
  vectors: readonly Float32Array[],
  counts: readonly number[],
  prefix = 'u',
): ClientUpdate[] {
  // Zero-padded ids keep the generated order equal to the id order, which keeps failures readable.
  return vectors.map((weights, i) => ({
    id: `${prefix}${String(i).padStart(3, '0')}`,
    numSamples: counts[i] ?? 1,
    weights,
  }));
}

function assertSameValues(actual: Float32Array, expected: Float32Array): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((value, j) => {
    assert.ok(value === expected[j], `index ${j}: ${value} !== ${expected[j]}`);
  });
}

test('identical updates aggregate to that update (FedAvg, median, trimmed mean, Krum, Multi-Krum)', () => {
  const strategies: [AggregationStrategy, number][] = [
    [new FedAvgStrategy(), 1],
    [new MedianStrategy(), 1],
    [new TrimmedMeanStrategy({ beta: 0.3 }), 1],
    [new KrumStrategy('krum'), 3],
    [new KrumStrategy('multi-krum', { f: 1 }), 5],
  ];
  for (const [strategy, minUpdates] of strategies) {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }).chain((length) => vectorOf(length, anyFinite)),
        fc.array(samples, { minLength: minUpdates, maxLength: 8 }),
        (vector, counts) => {
          const updates = toUpdates(
            counts.map(() => vector),
            counts,
          );
          const result = strategy.aggregate({ updates, previous: new Float32Array(vector.length) });
          assertSameValues(result.weights, vector);
        },
      ),
    );
  }
});

test('FedAvg stays within the per-coordinate minimum and maximum of its inputs', () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 1, max: 5 })
        .chain((length) =>
          fc.array(fc.tuple(vectorOf(length, anyFinite), samples), { minLength: 1, maxLength: 7 }),
        ),
      (pairs) => {
        const updates = toUpdates(
          pairs.map(([vector]) => vector),
          pairs.map(([, count]) => count),
        );
        const length = updates[0]?.weights.length ?? 0;
        const result = new FedAvgStrategy().aggregate({
          updates,
          previous: new Float32Array(length),
        });
        for (let j = 0; j < length; j++) {
          const column = updates.map((u) => u.weights[j]);
          const value = result.weights[j];
          assert.ok(
            value >= Math.min(...column) && value <= Math.max(...column),
            `coordinate ${j}: ${value} outside [${column.join(',')}]`,
          );
        }
      },
    ),
  );
});

/** Honest updates with moderate values plus `byzantine` arbitrary ones, as sorted-id updates. */
function withByzantine(maxByzantine: (honest: number) => number) {
  return fc
    .integer({ min: 1, max: 4 })
    .chain((length) =>
      fc
        .array(vectorOf(length, moderate), { minLength: 1, maxLength: 9 })
        .chain((honest) =>
          fc
            .array(vectorOf(length, anyFinite), { maxLength: maxByzantine(honest.length) })
            .map((byzantine) => ({ honest, byzantine })),
        ),
    );
}

function assertWithinHonestRange(
  strategy: AggregationStrategy,
  honest: Float32Array[],
  byzantine: Float32Array[],
): void {
  const updates = [...toUpdates(honest, [], 'h'), ...toUpdates(byzantine, [], 'b')];
  const length = honest[0]?.length ?? 0;
  const result = strategy.aggregate({ updates, previous: new Float32Array(length) });
  for (let j = 0; j < length; j++) {
    const column = honest.map((vector) => vector[j]);
    const value = result.weights[j];
    assert.ok(
      value >= Math.min(...column) && value <= Math.max(...column),
      `coordinate ${j}: ${value} outside honest [${column.join(',')}]`,
    );
  }
}

test('the median stays within the honest range when fewer than half the updates are arbitrary', () => {
  fc.assert(
    fc.property(
      withByzantine((honest) => honest - 1),
      ({ honest, byzantine }) => {
        assertWithinHonestRange(new MedianStrategy(), honest, byzantine);
      },
    ),
  );
});

test('the trimmed mean stays within the honest range when no more updates are arbitrary than it trims', () => {
  for (const beta of [0.1, 0.25, 0.45]) {
    const strategy = new TrimmedMeanStrategy({ beta });
    fc.assert(
      fc.property(
        // b arbitrary out of n = h + b are covered when b ≤ ⌊β·n⌋ (a downward-closed set); find its largest b.
        withByzantine((honest) => {
          let b = 0;
          while (b + 1 <= strategy.trimCount(honest + b + 1)) b++;
          return b;
        }),
        ({ honest, byzantine }) => {
          assertWithinHonestRange(strategy, honest, byzantine);
        },
      ),
    );
  }
});

test('every strategy reports one diagnostic per update, sorted by id, with accepted shares summing to 1', () => {
  for (const name of STRATEGY_NAMES) {
    const strategy = createStrategy({ name });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((length) =>
          fc.uniqueArray(
            fc.tuple(
              fc.string({ minLength: 1, maxLength: 4 }),
              vectorOf(length, moderate),
              samples,
            ),
            {
              minLength: 3,
              maxLength: 8,
              selector: ([id]: [string, Float32Array, number]) => id,
            },
          ),
        ),
        (entries) => {
          const updates = entries.map(([id, weights, numSamples]) => ({ id, weights, numSamples }));
          const result = strategy.aggregate({
            updates,
            previous: new Float32Array(updates[0]?.weights.length ?? 0),
          });
          const ids = updates.map((u) => u.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          assert.deepEqual(
            result.diagnostics.map((d) => d.id),
            ids,
          );
          assert.ok(
            Math.abs(acceptedWeight(result) - 1) < 1e-12,
            `${name}: shares sum to ${acceptedWeight(result)}`,
          );
          for (const d of result.diagnostics) {
            if (d.accepted) {
              assert.ok(d.weight > 0);
            } else {
              assert.equal(d.weight, 0);
              assert.ok((d.reason ?? '').length > 0);
            }
          }
        },
      ),
    );
  }
});
