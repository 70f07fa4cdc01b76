import { presetParamCount } from '@fedledger/gateway/training';

/** One model size of the large-round bench: the target, and the MLP that meets it. */
export interface ModelSize {
  targetParams: number;
  hiddenUnits: number[];
  params: number;
}

/** The gateway's DTO caps each hidden layer at this width (create-federation.dto.ts). */
const MAX_HIDDEN_UNITS = 4096;

/**
 * The MLP preset with two equal hidden layers (inputDim → h → h → 1) whose parameter count is
 * closest to `targetParams`: the shape §2 and §0c use for their 1M model (12→993→993→1). Two layers
 * rather than one because a single hidden layer of a 12-feature input would need ~70k units for 1M.
 */
export function modelSizeFor(targetParams: number, inputDim: number): ModelSize {
  if (!Number.isInteger(targetParams) || targetParams < 1)
    throw new Error(`a model size must be a positive integer, got ${targetParams}`);
  const count = (h: number): number =>
    presetParamCount({ preset: 'mlp', inputDim, hiddenUnits: [h, h] });
  let best = 1;
  for (let h = 1; h <= MAX_HIDDEN_UNITS; h++) {
    if (Math.abs(count(h) - targetParams) < Math.abs(count(best) - targetParams)) best = h;
    if (count(h) > targetParams) break;
  }
  return { targetParams, hiddenUnits: [best, best], params: count(best) };
}

/** `--params 1000000,5000000` (also `1M,5M`) → the target sizes, in order. */
export function parseParamList(text: string): number[] {
  const values = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(part);
      const value =
        match === null
          ? Number.NaN
          : Number(match[1]) * (match[2] === '' ? 1 : /k/i.test(match[2]) ? 1e3 : 1e6);
      if (!Number.isInteger(value) || value < 1)
        throw new Error(
          `--params: '${part}' is not a positive parameter count (e.g. 1000000 or 1M)`,
        );
      return value;
    });
  if (values.length === 0) throw new Error('--params: give at least one size');
  return values;
}

/** `--epochs 3,1`: one value per size, or one for all. */
export function perSize(text: string, sizes: number, name: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`--${name}: positive integers, got '${text}'`);
  if (values.length === 1) return Array.from({ length: sizes }, () => values[0]);
  if (values.length !== sizes)
    throw new Error(`--${name}: one value, or one per size (${sizes}), got ${values.length}`);
  return values;
}
