import { describe, expect, it } from 'vitest';
import { alwaysZeroFeatures, applyMask, keepCount, kthLargestMagnitude, layerMasks, magnitudeMask, sparsityReport } from './masks';
import { mulberry32 as rng } from '../data/prng';


function randomWeights(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => (r() - 0.5) * 0.2);
}

function kthLargestBySort(values: Float32Array, k: number): number {
  const m = Float32Array.from(values, Math.abs).sort();
  return m[m.length - k]!;
}

describe('keepCount', () => {
  it('keeps round((1 - s) * n) weights', () => {
    expect(keepCount(1000, 0.9)).toBe(100);
    expect(keepCount(784 * 300, 0.9)).toBe(23520);
    expect(keepCount(10, 0)).toBe(10);
    expect(keepCount(10, 1)).toBe(0);
  });

  it('rounds exact halves to even like tf.math.round', () => {
    expect(keepCount(5, 0.5)).toBe(2);
    expect(keepCount(7, 0.5)).toBe(4);
  });

  it('rejects sparsities outside [0, 1]', () => {
    expect(() => keepCount(10, 1.5)).toThrow(RangeError);
    expect(() => keepCount(10, Number.NaN)).toThrow(RangeError);
  });
});

describe('kthLargestMagnitude', () => {
  it('equals the k-th largest magnitude found by sorting, on 200k weights', () => {
    const values = randomWeights(200_000, 7);
    for (const k of [1, 2, 20_000, 100_000, 199_999, 200_000]) {
      expect(kthLargestMagnitude(values, k)).toBe(kthLargestBySort(values, k));
    }
  });

  it('handles sorted, reversed, constant and organ-pipe inputs', () => {
    const n = 10_001;
    const patterns = [
      Float32Array.from({ length: n }, (_, i) => i),
      Float32Array.from({ length: n }, (_, i) => n - i),
      new Float32Array(n).fill(0.5),
      Float32Array.from({ length: n }, (_, i) => Math.min(i, n - i)),
      Float32Array.from({ length: n }, (_, i) => (i % 3) - 1),
    ];
    for (const values of patterns) {
      for (const k of [1, 17, 5000, n]) expect(kthLargestMagnitude(values, k)).toBe(kthLargestBySort(values, k));
    }
  });

  it('rejects NaN weights and k out of range', () => {
    expect(() => kthLargestMagnitude(Float32Array.of(1, Number.NaN), 1)).toThrow(/NaN/);
    expect(() => kthLargestMagnitude(Float32Array.of(1, 2), 3)).toThrow(RangeError);
    expect(() => kthLargestMagnitude(Float32Array.of(1, 2), 0)).toThrow(RangeError);
  });
});

describe('magnitudeMask', () => {
  it('keeps exactly the weights whose magnitude reaches the k-th largest', () => {
    const values = randomWeights(100_000, 3);
    const { mask, threshold, kept, sparsity } = magnitudeMask(values, 0.9);
    expect(kept).toBe(10_000);
    expect(threshold).toBe(kthLargestBySort(values, 10_000));
    expect(sparsity).toBeCloseTo(0.9, 12);
    let ones = 0;
    let misplaced = 0;
    for (let i = 0; i < values.length; i++) {
      const m = Math.abs(values[i]!);
      if (mask[i] === 1) {
        ones++;
        if (m < threshold) misplaced++;
      } else if (mask[i] !== 0 || m > threshold) misplaced++;
    }
    expect(ones).toBe(10_000);
    expect(misplaced).toBe(0);
  });

  it('breaks ties at the threshold by index so exactly the target is pruned', () => {
    const { mask, threshold, kept } = magnitudeMask(Float32Array.of(1, -1, 1, 1, 2, 0), 0.5);
    expect(kept).toBe(3);
    expect(threshold).toBe(1);
    expect([...mask]).toEqual([1, 1, 0, 0, 1, 0]);
  });

  it('prunes already-zero weights first', () => {
    const { mask } = magnitudeMask(Float32Array.of(0, 0.3, 0, -0.2, 0.1), 0.4);
    expect([...mask]).toEqual([0, 1, 0, 1, 1]);
  });

  it('keeps everything at sparsity 0 and nothing at sparsity 1', () => {
    const values = Float32Array.of(0.1, -0.2, 0.3);
    expect([...magnitudeMask(values, 0).mask]).toEqual([1, 1, 1]);
    const none = magnitudeMask(values, 1);
    expect([...none.mask]).toEqual([0, 0, 0]);
    expect(none.sparsity).toBe(1);
  });

  it('handles an empty tensor', () => {
    const empty = magnitudeMask(new Float32Array(0), 0.5);
    expect(empty.total).toBe(0);
    expect(empty.sparsity).toBe(0);
  });
});

describe('layerMasks and applyMask', () => {
  it('prunes each layer to its own target', () => {
    const weights = [
      { name: 'dense/kernel', values: randomWeights(1000, 1) },
      { name: 'dense_1/kernel', values: randomWeights(100, 2) },
    ];
    const masks = layerMasks(weights, (name) => (name === 'dense/kernel' ? 0.9 : 0.5));
    expect(masks.map((m) => [m.name, m.kept])).toEqual([['dense/kernel', 100], ['dense_1/kernel', 50]]);
  });

  it('zeros the pruned weights, into a new array or in place', () => {
    const values = Float32Array.of(0.5, -0.1, 0.3, -0.7);
    const { mask } = magnitudeMask(values, 0.5);
    expect([...applyMask(values, mask)]).toEqual([0.5, 0, 0, -0.7].map(Math.fround));
    expect(values[1]).toBe(Math.fround(-0.1));
    applyMask(values, mask, values);
    expect(values[1]).toBe(0);
  });

  it('rejects a mask of the wrong length', () => {
    expect(() => applyMask(new Float32Array(3), new Float32Array(2))).toThrow(RangeError);
  });
});

describe('sparsityReport', () => {
  it('counts zeros per layer and weighs the overall figure by layer size', () => {
    const report = sparsityReport([
      { name: 'a', values: Float32Array.of(0, 0, 0, 1) },
      { name: 'b', values: Float32Array.of(-0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12) },
    ]);
    expect(report.layers.map((l) => [l.name, l.zeros, l.total, l.sparsity])).toEqual([
      ['a', 3, 4, 0.75],
      ['b', 1, 12, 1 / 12],
    ]);
    expect(report.zeros).toBe(4);
    expect(report.total).toBe(16);
    expect(report.overall).toBe(0.25);
  });

  it('matches the mask sparsity after the mask is applied', () => {
    const values = randomWeights(50_000, 9);
    const { mask, sparsity } = magnitudeMask(values, 0.83);
    const report = sparsityReport([{ name: 'w', values: applyMask(values, mask) }]);
    expect(report.overall).toBe(sparsity);
  });
});

describe('alwaysZeroFeatures', () => {
  it('finds the columns that are zero in every row', () => {
    const x = Float32Array.from([0, 1, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0.25]);
    expect(alwaysZeroFeatures(x, 4)).toEqual([0]);
    expect(alwaysZeroFeatures(x, 6)).toEqual([2, 3, 4]);
    expect(alwaysZeroFeatures(x, 3)).toEqual([]);
  });

  it('rejects a matrix that is not a whole number of rows', () => {
    expect(() => alwaysZeroFeatures(new Float32Array(7), 4)).toThrow(RangeError);
  });
});
