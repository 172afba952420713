import { describe, expect, it } from 'vitest';
import { fraction } from '../units';
import { liveResumePlan, liveWindow, readSavedLiveSchedule, type SavedLiveSchedule } from './live';
import type { Decision } from './policy';

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

describe('a saved live schedule', () => {
  const decision: Decision = { duty: fraction(0), kind: 'pause', reason: 'A cleaner hour is forecast.' };
  const saved: SavedLiveSchedule = {
    kind: 'live', deadline: 10_000_000, decision, pausedMs: 90_000, lastCheckAt: 1_000_000,
    steps: [{ index: 0, time: 940_000, intensity: 520, forecastNext: Number.NaN, decision, kWh: 0, gCO2e: 0 }],
  };

  it('reads back what was stored as JSON, a missing forecast (null there) as NaN', () => {
    const read = readSavedLiveSchedule(JSON.parse(JSON.stringify(saved)));
    expect(read).toEqual(saved);
    expect(Number.isNaN(read?.steps[0]?.forecastNext)).toBe(true);
  });

  it('is not read from a simulated state or from a damaged one', () => {
    expect(readSavedLiveSchedule({ ...saved, kind: 'simulated' })).toBeNull();
    expect(readSavedLiveSchedule({ ...saved, deadline: 'soon' })).toBeNull();
    expect(readSavedLiveSchedule({ ...saved, decision: { duty: 'half' } })).toBeNull();
    expect(readSavedLiveSchedule({ ...saved, steps: [{ time: 1 }] })).toBeNull();
    expect(readSavedLiveSchedule(null)).toBeNull();
  });

  it('holds its decision until the next check is due, and finishes at once past its deadline', () => {
    expect(liveResumePlan(saved, 1_020_000, 60_000)).toEqual({ kind: 'continue', sinceCheckMs: 20_000 });
    // The check is overdue (the tab was closed for a while): it is made at once.
    expect(liveResumePlan(saved, 5_000_000, 60_000)).toEqual({ kind: 'continue', sinceCheckMs: 60_000 });
    expect(liveResumePlan({ ...saved, lastCheckAt: null }, 1_020_000, 60_000)).toEqual({ kind: 'continue', sinceCheckMs: 60_000 });
    expect(liveResumePlan(saved, 10_000_000, 60_000)).toEqual({ kind: 'deadline-passed' });
  });
});
