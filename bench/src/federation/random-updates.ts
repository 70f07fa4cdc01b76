import type { ClientUpdate } from '@fedledger/core';
import { createSeededRandom } from '@fedledger/gateway/datasets';

/** A base model and `count` updates around it (base + small seeded noise), like a real round's submissions. */
export function randomUpdates(
  params: number,
  count: number,
  seed: number,
): { previous: Float32Array; updates: ClientUpdate[] } {
  const random = createSeededRandom(seed);
  const previous = new Float32Array(params);
  for (let i = 0; i < params; i++) {
    previous[i] = (random.next() - 0.5) * 0.2;
  }
  const updates: ClientUpdate[] = [];
  for (let k = 0; k < count; k++) {
    const weights = new Float32Array(params);
    for (let i = 0; i < params; i++) {
      weights[i] = previous[i] + (random.next() - 0.5) * 0.01;
    }
    updates.push({ id: `Org${k + 1}MSP`, numSamples: 100 + 10 * k, weights });
  }
  return { previous, updates };
}
