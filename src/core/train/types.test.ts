import { describe, expect, it } from 'vitest';
import { divergenceAt, etaSeconds } from './types';

describe('run arithmetic', () => {
  it('estimates the time left from the measured rate', () => {
    expect(etaSeconds(25, 100, 10)).toBe(30);
    expect(etaSeconds(0, 100, 0)).toBeNull();
    expect(etaSeconds(100, 100, 40)).toBe(0);
  });

  it('flags NaN, infinite and ceiling losses and names the step', () => {
    expect(divergenceAt([2.3, 1.9, 1.5], 0)).toBeNull();
    expect(divergenceAt([2.3, Number.NaN], 10)).toBe('the loss reached NaN at step 12');
    expect(divergenceAt([Number.POSITIVE_INFINITY], 0)).toMatch(/Infinity at step 1/);
    expect(divergenceAt([1, 16.1], 4)).toMatch(/16.1 at step 6/);
  });
});
