import { describe, expect, it } from 'vitest';
import { constantSparsity, polynomialDecay, pruningAt, shouldPruneAt, sparsityAt, updateBetween } from './schedule';

describe('polynomialDecay', () => {
  // TFMOT's MNIST pruning example: PolynomialDecay(0.50, 0.80, begin_step=0, end_step=...).
  const schedule = polynomialDecay({ initialSparsity: 0.5, finalSparsity: 0.8, beginStep: 0, endStep: 1000 });

  it('defaults to power 3 and frequency 100 as TFMOT does', () => {
    expect(schedule.power).toBe(3);
    expect(schedule.frequency).toBe(100);
  });

  it('starts at the initial sparsity and ends at the final sparsity', () => {
    expect(sparsityAt(schedule, 0)).toBeCloseTo(0.5, 12);
    expect(sparsityAt(schedule, 1000)).toBeCloseTo(0.8, 12);
  });

  it('follows final + (initial - final) * (1 - p)^3 between begin and end', () => {
    // p = 0.1: 0.8 - 0.3 * 0.9^3 = 0.5813
    expect(sparsityAt(schedule, 100)).toBeCloseTo(0.5813, 12);
    // p = 0.5: 0.8 - 0.3 * 0.125 = 0.7625
    expect(sparsityAt(schedule, 500)).toBeCloseTo(0.7625, 12);
    // p = 0.9: 0.8 - 0.3 * 0.001 = 0.7997
    expect(sparsityAt(schedule, 900)).toBeCloseTo(0.7997, 12);
  });

  it('clamps the decay fraction outside [beginStep, endStep]', () => {
    const late = polynomialDecay({ initialSparsity: 0.2, finalSparsity: 0.9, beginStep: 200, endStep: 400 });
    expect(sparsityAt(late, 0)).toBeCloseTo(0.2, 12);
    expect(sparsityAt(late, 10_000)).toBeCloseTo(0.9, 12);
  });

  it('uses the given power', () => {
    const linear = polynomialDecay({ initialSparsity: 0, finalSparsity: 0.9, beginStep: 0, endStep: 100, power: 1 });
    expect(sparsityAt(linear, 50)).toBeCloseTo(0.45, 12);
  });

  it('prunes every frequency steps counted from beginStep, through endStep inclusive', () => {
    const s = polynomialDecay({ initialSparsity: 0, finalSparsity: 0.9, beginStep: 250, endStep: 650, frequency: 100 });
    expect(shouldPruneAt(s, 150)).toBe(false);
    expect(shouldPruneAt(s, 250)).toBe(true);
    expect(shouldPruneAt(s, 300)).toBe(false);
    expect(shouldPruneAt(s, 350)).toBe(true);
    expect(shouldPruneAt(s, 650)).toBe(true);
    expect(shouldPruneAt(s, 750)).toBe(false);
  });

  it('treats endStep equal to beginStep as a jump to the final sparsity', () => {
    const s = polynomialDecay({ initialSparsity: 0.1, finalSparsity: 0.7, beginStep: 50, endStep: 50, frequency: 1 });
    expect(pruningAt(s, 49).shouldPrune).toBe(false);
    expect(pruningAt(s, 49).sparsity).toBeCloseTo(0.1, 12);
    expect(pruningAt(s, 50).shouldPrune).toBe(true);
    expect(pruningAt(s, 50).sparsity).toBeCloseTo(0.7, 12);
  });

  it('rejects what TFMOT rejects', () => {
    const ok = { initialSparsity: 0, finalSparsity: 0.5, beginStep: 0, endStep: 10 };
    expect(() => polynomialDecay({ ...ok, endStep: -1 })).toThrow(RangeError);
    expect(() => polynomialDecay({ ...ok, beginStep: -1 })).toThrow(RangeError);
    expect(() => polynomialDecay({ ...ok, beginStep: 20 })).toThrow(RangeError);
    expect(() => polynomialDecay({ ...ok, finalSparsity: 1 })).toThrow(RangeError);
    expect(() => polynomialDecay({ ...ok, initialSparsity: -0.1 })).toThrow(RangeError);
    expect(() => polynomialDecay({ ...ok, frequency: 0 })).toThrow(RangeError);
  });
});

describe('constantSparsity', () => {
  it('returns the target at every step and prunes forever when endStep is -1', () => {
    const s = constantSparsity({ targetSparsity: 0.9, beginStep: 100 });
    expect(s.endStep).toBe(-1);
    expect(pruningAt(s, 0)).toEqual({ shouldPrune: false, sparsity: 0.9 });
    expect(pruningAt(s, 100)).toEqual({ shouldPrune: true, sparsity: 0.9 });
    expect(shouldPruneAt(s, 1_000_100)).toBe(true);
    expect(shouldPruneAt(s, 1_000_150)).toBe(false);
  });

  it('stops pruning after a non-negative endStep', () => {
    const s = constantSparsity({ targetSparsity: 0.5, beginStep: 0, endStep: 200, frequency: 10 });
    expect(shouldPruneAt(s, 200)).toBe(true);
    expect(shouldPruneAt(s, 210)).toBe(false);
  });

  it('rejects endStep below -1', () => {
    expect(() => constantSparsity({ targetSparsity: 0.5, beginStep: 0, endStep: -2 })).toThrow(RangeError);
  });
});

describe('updateBetween', () => {
  const schedule = polynomialDecay({ initialSparsity: 0, finalSparsity: 0.8, beginStep: 0, endStep: 40, frequency: 5 });

  it('over one step is pruningAt when it updates', () => {
    for (let step = 0; step < 50; step++) {
      const at = pruningAt(schedule, step);
      expect(updateBetween(schedule, step, step + 1)).toEqual(at.shouldPrune ? { step, sparsity: at.sparsity } : null);
    }
  });

  it('finds the last update a longer step covers, and none in an empty span', () => {
    expect(updateBetween(schedule, 14, 16)).toEqual({ step: 15, sparsity: sparsityAt(schedule, 15) });
    expect(updateBetween(schedule, 9, 21)).toEqual({ step: 20, sparsity: sparsityAt(schedule, 20) });
    expect(updateBetween(schedule, 16, 20)).toBeNull();
    expect(updateBetween(schedule, 15, 15)).toBeNull();
    expect(updateBetween(schedule, 41, 60)).toBeNull();
  });
});
