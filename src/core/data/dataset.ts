/** The in-memory form of every dataset the lab trains on, and its seeded train/test split. */
import { deriveSeed, mulberry32, permutation } from './prng';

/** Examples stored row-major: example i occupies x[i*featureSize .. (i+1)*featureSize). */
export interface Dataset {
  readonly name: string;
  /** Shape of one example, e.g. [28, 28, 1] for MNIST or [2] for 2-D points. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  /** Features as floats (pixels scaled to [0, 1]). */
  readonly x: Float32Array;
  /** Class labels 0..numClasses-1. */
  readonly y: Uint8Array;
}

/** A dataset split into training and test parts. */
export interface SplitDataset {
  readonly train: Dataset;
  readonly test: Dataset;
}

/** Number of examples in a dataset. */
export const exampleCount = (d: Dataset): number => d.y.length;

/** Number of features in one example. */
export const featureSize = (d: Dataset): number => d.inputShape.reduce((a, b) => a * b, 1);

/** Copies the examples at `indices` into a new dataset. */
export function takeExamples(d: Dataset, indices: ArrayLike<number>, name = d.name): Dataset {
  const size = featureSize(d);
  const x = new Float32Array(indices.length * size);
  const y = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    x.set(d.x.subarray(i * size, (i + 1) * size), k * size);
    y[k] = d.y[i] as number;
  }
  return { name, inputShape: d.inputShape, numClasses: d.numClasses, x, y };
}

/**
 * Splits a dataset into train and test parts with a permutation drawn from the seed.
 * The same seed and dataset always give the same split.
 */
export function splitDataset(d: Dataset, testFraction: number, seed: number): SplitDataset {
  const { train, test } = splitIndices(exampleCount(d), testFraction, seed);
  return {
    test: takeExamples(d, test, `${d.name} (test)`),
    train: takeExamples(d, train, `${d.name} (train)`),
  };
}

/** How many of `n` examples the split holds out for testing: at least one, and at least one is left to train on. */
export function testExampleCount(n: number, testFraction: number): number {
  return Math.min(n - 1, Math.max(1, Math.round(n * testFraction)));
}

/** The example indices of the seeded train/test split of `n` examples (the split `splitDataset` makes). */
export function splitIndices(n: number, testFraction: number, seed: number): { train: Uint32Array; test: Uint32Array } {
  const order = permutation(n, mulberry32(deriveSeed(seed, 'split')));
  const testCount = testExampleCount(n, testFraction);
  return { test: order.subarray(0, testCount), train: order.subarray(testCount) };
}
