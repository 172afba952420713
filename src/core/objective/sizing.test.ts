import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../data/prng';
import { batchForNoise, computePressure, keptWidths, learningRateAfterSizing, noiseScale, rankWidths, type WidthCandidate } from './sizing';

const w = { alpha: 1, beta: 1, gamma: 1 };

const candidate = (keep: number, probeLoss: number): WidthCandidate => ({ keep, hidden: [Math.round(128 * keep)], probeLoss, macsRatio: keep });

describe('the sizing decision', () => {
  it('puts the compute pressure at beta + gamma x I / I_ref', () => {
    expect(computePressure(w, 300, 300)).toBe(2);
    expect(computePressure({ alpha: 1, beta: 0.25, gamma: 0.25 }, 600, 300)).toBeCloseTo(0.75, 12);
    expect(() => computePressure(w, 300, 0)).toThrow(RangeError);
  });

  it('ranks widths by alpha x probe loss + pressure x share left x MACs ratio, and picks smaller models on a dirtier grid', () => {
    const candidates = [candidate(1, 0.9), candidate(0.5, 1.3), candidate(0.25, 1.8)];
    // Clean grid: pressure 1.2, most of the run left. 1: 0.9 + 1.08; 0.5: 1.3 + 0.54; 0.25: 1.8 + 0.27.
    const clean = rankWidths(candidates, w, computePressure(w, 100, 500), 0.9);
    expect(clean[0]?.keep).toBe(0.5);
    expect(clean[0]?.accuracyTerm).toBeCloseTo(1.3, 12);
    expect(clean[0]?.computeTerm).toBeCloseTo(1.2 * 0.9 * 0.5, 12);
    expect(clean.map((c) => c.total)).toEqual([...clean.map((c) => c.total)].sort((a, b) => a - b));
    // Dirty grid: pressure 1 + 3 = 4 picks the smallest.
    expect(rankWidths(candidates, w, computePressure(w, 1500, 500), 0.9)[0]?.keep).toBe(0.25);
    // Accuracy alone (beta = gamma = 0) keeps every neuron.
    const accuracyOnly = { alpha: 1, beta: 0, gamma: 0 };
    expect(rankWidths(candidates, accuracyOnly, computePressure(accuracyOnly, 1500, 500), 0.9)[0]?.keep).toBe(1);
    // Nothing left of the run: nothing to save, so the best probe loss wins.
    expect(rankWidths(candidates, w, 4, 0)[0]?.keep).toBe(1);
    expect(() => rankWidths([], w, 1, 1)).toThrow(RangeError);
  });

  it('keeps a share of each layer, never below the floor or above the width', () => {
    expect(keptWidths([128, 64], 0.25)).toEqual([32, 16]);
    expect(keptWidths([128, 3], 0.1, 2)).toEqual([13, 2]);
    expect(keptWidths([4], 0.01)).toEqual([1]);
  });

  it('recovers the noise scale of a known gradient distribution (McCandlish et al. 2018, A.1)', () => {
    // Per-example gradients g = G + noise, |G|^2 = 4 over 4 dimensions, per-dimension variance 1 so tr(Sigma) = 4: B_simple = 1... scaled by 25 below.
    const random = mulberry32(3);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const dims = 4;
    const G = [1, 1, 1, 1];
    const sd = 5; // tr(Sigma) = 4 x 25 = 100, B_simple = 25
    const meanGradient = (b: number) => {
      const sum = new Array<number>(dims).fill(0);
      for (let i = 0; i < b; i++) for (let d = 0; d < dims; d++) sum[d]! += (G[d] as number) + sd * gauss();
      return sum.map((s) => s / b);
    };
    const sq = (v: number[]) => v.reduce((a, x) => a + x * x, 0);
    const trials = 4000;
    let small = 0;
    let big = 0;
    for (let t = 0; t < trials; t++) {
      small += sq(meanGradient(8));
      big += sq(meanGradient(64));
    }
    const est = noiseScale(small / trials, big / trials, 8, 64);
    expect(est.gradientSq).toBeCloseTo(4, 0);
    expect(est.traceSigma / 100).toBeCloseTo(1, 1);
    expect(est.bSimple).not.toBeNull();
    expect(Math.abs((est.bSimple as number) - 25)).toBeLessThan(3);
  });

  it('says it cannot estimate when the big batch looks noisier than the small ones', () => {
    expect(noiseScale(1, 2, 64, 512).bSimple).toBeNull();
    expect(() => noiseScale(1, 1, 64, 64)).toThrow(RangeError);
  });

  it('grows the batch by doubling up to the noise scale and the cap, never shrinking it', () => {
    expect(batchForNoise(139, 64, 256)).toBe(128);
    expect(batchForNoise(1000, 64, 256)).toBe(256);
    expect(batchForNoise(50, 64, 256)).toBe(64);
    expect(batchForNoise(null, 64, 256)).toBe(64);
    expect(batchForNoise(1000, 64, 100)).toBe(64);
  });

  it('scales the learning rate with the batch and, for Adam, the width', () => {
    expect(learningRateAfterSizing(0.001, 2, 4, 'adam')).toBeCloseTo(0.001 * Math.SQRT2 * 4, 12);
    expect(learningRateAfterSizing(0.01, 2, 4, 'sgd')).toBeCloseTo(0.02, 12);
    expect(learningRateAfterSizing(0.01, 1, 1, 'momentum')).toBe(0.01);
  });
});
