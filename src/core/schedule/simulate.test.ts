import { describe, expect, it } from 'vitest';
import { forecastWindowPolicy } from './forecast-window';
import { sameHourYesterday } from './forecaster';
import { runNowPolicy } from './run-now';
import { createReplay, simulateJob } from './simulate';
import { HOUR, hourly, knownFuture } from './test-helpers';
import { throttlePolicy } from './throttle';

describe('simulateJob', () => {
  it('books each hour of work at that hour’s intensity', () => {
    const r = simulateJob(hourly([100, 200, 300, 400]), runNowPolicy, {
      startIndex: 1,
      jobHours: 2,
      slackHours: 1,
      interruptible: true,
    });
    expect(r.emissions).toBe(500);
    expect(r.energy).toBe(2);
    expect(r.stepsUsed).toBe(2);
    expect(r.pausedMs).toBe(0);
    expect(r.metDeadline).toBe(true);
    expect(r.finishTime).toBe(Date.UTC(2022, 0, 1) + 3 * HOUR);
  });

  it('scales emissions with the power drawn at full speed', () => {
    const r = simulateJob(hourly([100, 200]), runNowPolicy, {
      startIndex: 0,
      jobHours: 1,
      slackHours: 0,
      interruptible: true,
      powerKW: 0.25,
    });
    expect(r.emissions).toBe(25);
  });

  it('books only the part of the last hour a fractional job needs', () => {
    const r = simulateJob(hourly([100, 200, 300]), runNowPolicy, {
      startIndex: 0,
      jobHours: 1.5,
      slackHours: 0,
      interruptible: true,
    });
    expect(r.emissions).toBe(200);
    expect(r.finishTime).toBe(Date.UTC(2022, 0, 1) + 1.5 * HOUR);
  });

  it('records every decision with its reason, and the time spent paused', () => {
    const day = Array.from({ length: 24 }, (_, h) => (h === 5 ? 50 : 300));
    const replay = createReplay(hourly([...day, ...day]), { forecaster: sameHourYesterday, horizon: 24 });
    const r = simulateJob(replay, forecastWindowPolicy, { startIndex: 24, jobHours: 1, slackHours: 10, interruptible: true });
    expect(r.decisions.map((d) => d.duty)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(r.decisions[0]?.reason).toMatch(/^Pauses: /);
    expect(r.decisions[5]?.reason).toMatch(/^Runs: /);
    expect(r.emissions).toBe(50);
    expect(r.pausedMs).toBe(5 * HOUR);
  });

  it('counts a throttled hour as partly paused', () => {
    const values = [175, 100, 300, 400, 500];
    const replay = createReplay(hourly(values), { forecaster: knownFuture(values), horizon: 4 });
    const r = simulateJob(replay, throttlePolicy, {
      startIndex: 0,
      jobHours: 1,
      slackHours: 3,
      interruptible: true,
      record: false,
    });
    expect(r.decisions).toEqual([]);
    expect(r.metDeadline).toBe(true);
    // Hour 0 runs at 62.5/137.5 of full speed (see the throttle tests); hour 1, the cleanest, finishes the job.
    expect(r.pausedMs).toBeCloseTo((1 - 62.5 / 137.5) * HOUR, 6);
    expect(r.emissions).toBeCloseTo((62.5 / 137.5) * 175 + (1 - 62.5 / 137.5) * 100, 9);
  });

  it('refuses a job whose deadline falls beyond the end of the trace', () => {
    expect(() =>
      simulateJob(hourly([1, 2, 3]), runNowPolicy, { startIndex: 1, jobHours: 2, slackHours: 1, interruptible: true }),
    ).toThrow(RangeError);
  });

  it('replays a trace with holes by carrying the last known value forward', () => {
    const r = simulateJob(hourly([100, null, null, 400]), runNowPolicy, {
      startIndex: 0,
      jobHours: 3,
      slackHours: 0,
      interruptible: true,
    });
    expect(r.emissions).toBe(300);
  });
});
