import { describe, expect, it } from 'vitest';
import { liveWindow } from './live';

describe('liveWindow', () => {
  it('shows each decision at its time, then the forecast one source step apart from now', () => {
    const w = liveWindow([{ time: 60_000, intensity: 200 }, { time: 120_000, intensity: 210 }], { now: 120_000, stepMs: 1_800_000, forecast: [190, 180] }, 7_200_000);
    expect(w.time).toEqual([60, 120, 1920, 3720]);
    expect(w.actual.slice(0, 2)).toEqual([200, 210]);
    expect(w.actual.slice(2).every(Number.isNaN)).toBe(true);
    expect(w.forecastFrom).toBe(2);
    expect(w.forecast).toEqual([190, 180]);
    expect(w.deadline).toBe(7200);
  });
});
