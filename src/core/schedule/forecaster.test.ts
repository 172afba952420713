import { describe, expect, it } from 'vitest';
import { adaptiveForecaster, blendForecaster, forecastFrom, persistence, sameHourYesterday } from './forecaster';
import { gridLike } from './test-helpers';

const DAY = Array.from({ length: 24 }, (_, h) => 200 + 100 * Math.cos((2 * Math.PI * h) / 24));
const days = (n: number): number[] => Array.from({ length: n }, () => DAY).flat();

describe('forecasters', () => {
  it('same-hour-yesterday repeats the last known day, two days back beyond a day ahead', () => {
    const known = [...days(2), 1, 2, 3];
    const f = forecastFrom(sameHourYesterday, known, 30);
    expect(f[0]).toBe(DAY[3]); // hour 3 of yesterday
    expect(f[21]).toBe(1); // hour 0 tomorrow: today's hour 0
    expect(f[24]).toBe(DAY[3]); // hour 3 tomorrow: today's is not known yet, so the day before
  });

  it('persistence holds the last known value, skipping holes', () => {
    expect(Array.from(forecastFrom(persistence, [5, 7, Number.NaN], 3))).toEqual([7, 7, 7]);
  });

  it('falls back to the last value when there is less than a day of history', () => {
    for (const f of [blendForecaster, adaptiveForecaster, sameHourYesterday]) {
      expect(Array.from(forecastFrom(f, [10, 20, 30], 4))).toEqual([30, 30, 30, 30]);
    }
  });

  it('blend and adaptive forecasters predict a daily pattern that repeats exactly', () => {
    const known = days(20);
    for (const f of [blendForecaster, adaptiveForecaster]) {
      const out = forecastFrom(f, known, 30);
      for (let k = 0; k < 30; k++) expect(out[k]).toBeCloseTo(DAY[k % 24] as number, 3);
    }
  });

  it('the adaptive forecaster beats same-hour-yesterday on a noisy grid-like series', () => {
    const series = gridLike(60, 5);
    let adaptive = 0;
    let yesterday = 0;
    const a = adaptiveForecaster.start(24);
    const y = sameHourYesterday.start(24);
    const fa = new Float64Array(12);
    const fy = new Float64Array(12);
    for (let t = 0; t < series.length - 12; t++) {
      a.push(series[t] as number);
      y.push(series[t] as number);
      if (t < 20 * 24) continue;
      a.forecastInto(12, fa);
      y.forecastInto(12, fy);
      for (let k = 0; k < 12; k++) {
        const truth = series[t + 1 + k] as number;
        adaptive += ((fa[k] as number) - truth) ** 2;
        yesterday += ((fy[k] as number) - truth) ** 2;
      }
    }
    expect(adaptive).toBeLessThan(0.8 * yesterday);
  });
});
