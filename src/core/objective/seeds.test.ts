import { describe, expect, it } from 'vitest';
import { seedList, spreadOf } from './seeds';

describe('spreadOf', () => {
  it('gives the mean, range and sample standard deviation', () => {
    const s = spreadOf([0.5, 0.6, 0.7]);
    expect(s.mean).toBeCloseTo(0.6, 12);
    expect(s.min).toBe(0.5);
    expect(s.max).toBe(0.7);
    expect(s.sd).toBeCloseTo(0.1, 12);
    expect(s.n).toBe(3);
  });
  it('has no spread for one value', () => {
    expect(spreadOf([0.42])).toEqual({ mean: 0.42, min: 0.42, max: 0.42, sd: 0, n: 1 });
  });
  it('refuses an empty list and a value that is not a number', () => {
    expect(() => spreadOf([])).toThrow(/no values/);
    expect(() => spreadOf([1, Number.NaN])).toThrow(/not a finite number: NaN/);
  });
});

describe('seedList', () => {
  it('counts up from the first seed', () => {
    expect(seedList(42, 3)).toEqual([42, 43, 44]);
  });
  it('refuses fewer than one seed', () => {
    expect(() => seedList(42, 0)).toThrow(/at least 1, not 0/);
    expect(() => seedList(42, 1.5)).toThrow(/whole number/);
  });
});
