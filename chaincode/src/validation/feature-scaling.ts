import type { FeatureScaling } from '@fedledger/core';
import { describe, type FieldReader } from './field-reader';

/**
 * Reads the optional `featureScaling` of a federation spec: `center` and `scale` each hold exactly
 * one finite number per feature column, and every scale is > 0 (participants divide by it).
 */
export function readFeatureScaling(
  r: FieldReader,
  columnCount: number,
): FeatureScaling | undefined {
  if (!r.has('featureScaling')) return undefined;
  const scaling = r.object('featureScaling');
  const center = readColumnNumbers(scaling, 'center', columnCount);
  const scale = readColumnNumbers(scaling, 'scale', columnCount);
  scale.forEach((value, i) => {
    if (!(value > 0)) scaling.fail(`scale[${i}]`, `must be greater than 0, got ${value}`);
  });
  scaling.done();
  return { center, scale };
}

function readColumnNumbers(
  r: FieldReader,
  field: 'center' | 'scale',
  columnCount: number,
): number[] {
  const values = r.array(field);
  if (values.length !== columnCount) {
    r.fail(field, `must have one number per feature column (${columnCount}), got ${values.length}`);
  }
  values.forEach((value, i) => {
    if (typeof value !== 'number' || !Number.isFinite(value))
      r.fail(`${field}[${i}]`, `must be a finite number, got ${describe(value)}`);
  });
  return values as number[];
}
