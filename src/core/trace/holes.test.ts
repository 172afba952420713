import { describe, expect, it } from 'vitest';
import { gramsPerKWh } from '../units';
import { countHoles, fillHoles } from './holes';
import { intensityArray, intensityAt } from './series';
import type { Trace } from './types';

const HOUR = 3_600_000;
const traceOf = (values: (number | null)[]): Trace => ({
  name: 't',
  layout: 'two-column',
  stepMs: HOUR,
  points: values.map((v, i) => ({ time: i * HOUR, intensity: v === null ? null : gramsPerKWh(v) })),
});
const valuesOf = (t: Trace): (number | null)[] => t.points.map((p) => p.intensity);

describe('fillHoles', () => {
  it('carries the last known value forward into a hole', () => {
    expect(valuesOf(fillHoles(traceOf([100, null, null, 160]), 'carry-forward'))).toEqual([100, 100, 100, 160]);
  });

  it('interpolates a hole on the straight line between its neighbours', () => {
    expect(valuesOf(fillHoles(traceOf([100, null, null, 160]), 'interpolate'))).toEqual([100, 120, 140, 160]);
  });

  it('fills leading holes with the first known value and trailing ones with the last', () => {
    for (const method of ['carry-forward', 'interpolate'] as const) {
      expect(valuesOf(fillHoles(traceOf([null, 50, 70, null]), method))).toEqual([50, 50, 70, 70]);
    }
  });

  it('never fills a hole with zero and leaves the input unchanged', () => {
    const t = traceOf([null, 0.5, null]);
    const filled = fillHoles(t, 'interpolate');
    expect(valuesOf(filled)).toEqual([0.5, 0.5, 0.5]);
    expect(countHoles(t)).toBe(2);
    expect(countHoles(filled)).toBe(0);
  });

  it('throws when there is no known value to fill from', () => {
    expect(() => fillHoles(traceOf([null, null]), 'carry-forward')).toThrow(RangeError);
  });
});

describe('intensityAt', () => {
  const t = traceOf([100, null, 300]);
  it('returns the intensity of the step containing the time', () => {
    expect(intensityAt(t, 0)).toBe(100);
    expect(intensityAt(t, 2 * HOUR + 59 * 60_000)).toBe(300);
  });
  it('returns null inside a hole and outside the trace', () => {
    expect(intensityAt(t, HOUR + 1)).toBeNull();
    expect(intensityAt(t, -1)).toBeNull();
    expect(intensityAt(t, 3 * HOUR)).toBeNull();
  });
});

describe('intensityArray', () => {
  it('gives NaN for holes', () => {
    expect(Array.from(intensityArray(traceOf([1, null])))).toEqual([1, Number.NaN]);
  });
});
