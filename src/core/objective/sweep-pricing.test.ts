import { describe, expect, it } from 'vitest';
import { createReplay } from '../schedule';
import { hourly } from '../schedule/test-helpers';
import { kilowattHours, seconds } from '../units';
import { jobHoursFor, policyIntensity, priceRun, MAX_JOB_HOURS, MIN_JOB_HOURS } from './sweep-pricing';

/** 30 days where 02:00-07:59 is clean (50 g/kWh) and the rest dirty (500). */
function cheapNights(days = 30): number[] {
  return Array.from({ length: days * 24 }, (_, i) => (i % 24 >= 2 && i % 24 < 8 ? 50 : 500));
}

describe('pricing a run on a replayed trace', () => {
  it('gives energy x intensity for run-now on a constant trace', () => {
    const replay = createReplay(hourly(Array.from({ length: 24 * 5 }, () => 300)));
    const priced = priceRun({ kWh: kilowattHours(0.002), trainingSeconds: seconds(30) }, seconds(30), replay, 'run-now');
    expect(priced.gCO2e).toBeCloseTo(0.6, 12);
    expect(priced.jobHours).toBe(4);
    // Every start whose 4 h + 24 h deadline fits: 120 - 28 + 1.
    expect(priced.starts).toBe(93);
  });

  it('averages run-now over every start hour', () => {
    const values = cheapNights(10);
    const replay = createReplay(hourly(values));
    const r = policyIntensity(replay, 'run-now', 1);
    const starts = values.length - 1 - 24 + 1;
    const mean = values.slice(0, starts).reduce((a, b) => a + b, 0) / starts;
    expect(r.starts).toBe(starts);
    expect(r.intensity).toBeCloseTo(mean, 9);
  });

  it('costs less under forecast-window than run-now when the trace has a clear cheap window', () => {
    const replay = createReplay(hourly(cheapNights()));
    const now = policyIntensity(replay, 'run-now', 4);
    const window = policyIntensity(replay, 'forecast-window', 4);
    expect(now.intensity).toBeGreaterThan(300);
    expect(window.intensity).toBeLessThan(now.intensity * 0.5);
  });

  it('makes a faster configuration a shorter job, within bounds', () => {
    expect(jobHoursFor(seconds(15), seconds(30))).toBe(2);
    expect(jobHoursFor(seconds(60), seconds(30), 4)).toBe(8);
    expect(jobHoursFor(seconds(0.001), seconds(30))).toBe(MIN_JOB_HOURS);
    expect(jobHoursFor(seconds(1e6), seconds(30))).toBe(MAX_JOB_HOURS);
    expect(jobHoursFor(seconds(0), seconds(30))).toBe(4);
  });

  it('scales the price with the run\'s own energy, not the job\'s', () => {
    const replay = createReplay(hourly(cheapNights(5)));
    const a = priceRun({ kWh: kilowattHours(1), trainingSeconds: seconds(10) }, seconds(10), replay, 'run-now');
    const b = priceRun({ kWh: kilowattHours(3), trainingSeconds: seconds(10) }, seconds(10), replay, 'run-now');
    expect(b.gCO2e / a.gCO2e).toBeCloseTo(3, 12);
  });

  it('refuses a job that does not fit the trace', () => {
    const replay = createReplay(hourly(Array.from({ length: 10 }, () => 300)));
    expect(() => policyIntensity(replay, 'run-now', 4)).toThrow(RangeError);
  });
});
