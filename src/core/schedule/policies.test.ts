import { describe, expect, it } from 'vitest';
import { createForecastWindowPolicy, forecastWindowPolicy } from './forecast-window';
import { persistence, sameHourYesterday } from './forecaster';
import { oraclePolicy } from './oracle';
import { guarded, POLICY_IDS } from './policy';
import { POLICIES, LIVE_POLICIES, isPolicyId } from './registry';
import { runNowPolicy } from './run-now';
import { createReplay, simulateJob } from './simulate';
import { contextOf, gridLike, HOUR, hourly, random, scriptedForecaster } from './test-helpers';
import { liveContext } from './live';
import { createThresholdPolicy } from './threshold';
import { createThrottlePolicy, throttlePolicy } from './throttle';
import { gramsPerKWh, milliseconds } from '../units';

describe('run-now', () => {
  it('runs at full speed whatever the intensity', () => {
    const d = runNowPolicy.decide(contextOf({ current: 900, forecast: [10, 10, 10] }));
    expect(d.duty).toBe(1);
    expect(d.kind).toBe('run');
  });

  it('stops once the work is done', () => {
    expect(runNowPolicy.decide(contextOf({ current: 100, remainingWork: 0 })).duty).toBe(0);
  });
});

describe('forecast-window', () => {
  it('pauses when a cleaner hour is forecast before the deadline, and says when', () => {
    const d = forecastWindowPolicy.decide(contextOf({ current: 300, forecast: [250, 100, 400], stepsLeft: 4 }));
    expect(d.duty).toBe(0);
    expect(d.kind).toBe('pause');
    expect(d.reason).toContain('100 g/kWh');
    expect(d.reason).toContain('in 2 h');
  });

  it('runs when now is among the cleanest hours the remaining work needs', () => {
    const d = forecastWindowPolicy.decide(
      contextOf({ current: 150, forecast: [100, 400, 500], remainingWork: 2, stepsLeft: 4 }),
    );
    expect(d.duty).toBe(1);
    expect(d.reason).toMatch(/^Runs: now \(150 g\/kWh\) is among the 2 h cleanest/);
  });

  it('ignores forecast hours after the deadline', () => {
    const d = forecastWindowPolicy.decide(contextOf({ current: 300, forecast: [350, 50], stepsLeft: 2 }));
    expect(d.duty).toBe(1);
  });

  it('picks the lowest-mean contiguous window for a job that cannot pause', () => {
    const forecast = [100, 100, 300, 50, 50];
    const wait = forecastWindowPolicy.decide(
      contextOf({ current: 300, forecast, remainingWork: 2, stepsLeft: 6, interruptible: false }),
    );
    expect(wait.duty).toBe(0);
    expect(wait.reason).toContain('starting in 4 h');
    const start = forecastWindowPolicy.decide(
      contextOf({ current: 50, forecast: [60, 400, 10], remainingWork: 2, stepsLeft: 3, interruptible: false }),
    );
    expect(start.duty).toBe(1);
  });

  it('keeps a started contiguous job running even when cleaner hours are forecast', () => {
    const d = forecastWindowPolicy.decide(
      contextOf({ current: 900, forecast: [1, 1, 1], remainingWork: 1, stepsLeft: 4, interruptible: false, started: true }),
    );
    expect(d.duty).toBe(1);
    expect(d.kind).toBe('committed');
  });

  it('with a margin, waits only for hours clearly cleaner than now', () => {
    const c = contextOf({ current: 100, forecast: [97], stepsLeft: 2 });
    expect(forecastWindowPolicy.decide(c).duty).toBe(0);
    expect(createForecastWindowPolicy({ margin: 0.05 }).decide(c).duty).toBe(1);
  });

  it('matches the oracle on a trace that repeats every day, where yesterday is a perfect forecast', () => {
    const day = [300, 280, 260, 240, 200, 150, 120, 100, 90, 110, 160, 220, 260, 300, 320, 340, 360, 380, 390, 370, 350, 330, 320, 310];
    const trace = hourly([...day, ...day, ...day, ...day]);
    const replay = createReplay(trace, { forecaster: sameHourYesterday, horizon: 40 });
    for (const interruptible of [true, false]) {
      for (const startIndex of [24, 30, 40, 50]) {
        const job = { startIndex, jobHours: 3, slackHours: 20, interruptible };
        const fw = simulateJob(replay, forecastWindowPolicy, job);
        const best = simulateJob(replay, oraclePolicy, job);
        expect(fw.emissions).toBeCloseTo(best.emissions, 9);
      }
    }
  });
});

describe('threshold', () => {
  it('runs at or below an absolute threshold and pauses above it', () => {
    const p = createThresholdPolicy({ kind: 'absolute', limit: gramsPerKWh(200) });
    expect(p.decide(contextOf({ current: 200, stepsLeft: 10 })).duty).toBe(1);
    const above = p.decide(contextOf({ current: 201, stepsLeft: 10 }));
    expect(above.duty).toBe(0);
    expect(above.reason).toBe('Pauses: now (201 g/kWh) is above the threshold (200 g/kWh).');
  });

  it('sets a percentile threshold from the current value and the forecast to the deadline', () => {
    const p = createThresholdPolicy({ kind: 'percentile', percentile: 50 });
    // Window 300, 100, 200, 400, 500 -> median 300; the 999 is past the deadline.
    expect(p.decide(contextOf({ current: 300, forecast: [100, 200, 400, 500, 999], stepsLeft: 5 })).duty).toBe(1);
    expect(p.decide(contextOf({ current: 450, forecast: [100, 200, 400, 500, 999], stepsLeft: 5 })).duty).toBe(0);
  });

  it('resumes when pausing longer would miss the deadline', () => {
    const p = createThresholdPolicy({ kind: 'absolute', limit: gramsPerKWh(100) });
    const d = p.decide(contextOf({ current: 500, remainingWork: 3, stepsLeft: 3 }));
    expect(d.duty).toBe(1);
    expect(d.kind).toBe('deadline');
    expect(d.reason).toContain('3 h of work left and 3 h to the deadline');
  });
});

describe('throttle', () => {
  it('runs at full speed at the cleanest expected intensity and pauses above the cut-off', () => {
    // 1 h of work in 4 h: share 0.25, cut-off at the 50% quantile of 100, 200, 300, 400 = 250.
    const base = { forecast: [200, 300, 400], stepsLeft: 4 };
    expect(throttlePolicy.decide(contextOf({ ...base, current: 100 })).duty).toBe(1);
    expect(throttlePolicy.decide(contextOf({ current: 400, forecast: [100, 200, 300], stepsLeft: 4 })).duty).toBe(0);
  });

  it('scales the duty linearly between the cleanest expected intensity and the cut-off', () => {
    // Window 175, 100, 300, 400: lo 100, cut-off (50% quantile) 237.5, so duty = (237.5-175)/137.5.
    const d = throttlePolicy.decide(contextOf({ current: 175, forecast: [100, 300, 400], stepsLeft: 4 }));
    expect(d.duty).toBeCloseTo(62.5 / 137.5, 9);
    expect(d.kind).toBe('throttle');
    expect(d.reason).toMatch(/^Runs at 45%/);
  });

  it('raises the duty to what the deadline needs', () => {
    const d = createThrottlePolicy({ spread: 1 }).decide(
      contextOf({ current: 400, forecast: [100], remainingWork: 1.5, stepsLeft: 2 }),
    );
    expect(d.duty).toBeCloseTo(0.5, 9);
    expect(d.kind).toBe('deadline');
  });

  it('runs a contiguous job at full speed once it decides to run at all', () => {
    const d = throttlePolicy.decide(contextOf({ current: 175, forecast: [100, 300, 400], stepsLeft: 4, interruptible: false }));
    expect(d.duty).toBe(1);
  });
});

describe('oracle', () => {
  it('is labelled as perfect foresight for evaluation only', () => {
    expect(oraclePolicy.id).toBe('oracle');
    expect(oraclePolicy.evaluationOnly).toBe(true);
    expect(oraclePolicy.foresight).toBe('perfect');
    expect(oraclePolicy.label).toMatch(/perfect foresight, evaluation only/);
    expect(LIVE_POLICIES).not.toContain(oraclePolicy);
  });

  it('reaches the brute-force optimum: the cheapest hours, or the cheapest contiguous window', () => {
    const rnd = random(7);
    for (let trial = 0; trial < 30; trial++) {
      const values = Array.from({ length: 30 }, () => Math.round(50 + 400 * rnd()));
      const trace = hourly(values);
      const job = 1 + Math.floor(rnd() * 5);
      const slack = Math.floor(rnd() * 12);
      const start = Math.floor(rnd() * (30 - job - slack));
      const window = values.slice(start, start + job + slack);
      const cheapest = [...window].sort((a, b) => a - b).slice(0, job).reduce((a, b) => a + b, 0);
      let bestRun = Infinity;
      for (let s = 0; s + job <= window.length; s++) {
        bestRun = Math.min(bestRun, window.slice(s, s + job).reduce((a, b) => a + b, 0));
      }
      const opts = { startIndex: start, jobHours: job, slackHours: slack };
      expect(simulateJob(trace, oraclePolicy, { ...opts, interruptible: true }).emissions).toBeCloseTo(cheapest, 6);
      expect(simulateJob(trace, oraclePolicy, { ...opts, interruptible: false }).emissions).toBeCloseTo(bestRun, 6);
    }
  });
});

describe('every policy', () => {
  /** A forecaster that always promises a perfectly clean grid, tempting every policy to wait. */
  const liar = scriptedForecaster('liar', (_n, horizon, out) => void out.fill(0, 0, horizon));

  it.each(POLICY_IDS)('%s finishes every job by its deadline, even on a forecast that lies', (id) => {
    const trace = hourly(gridLike(6, 3));
    for (const forecaster of [liar, persistence, sameHourYesterday]) {
      const replay = createReplay(trace, { forecaster, horizon: 40 });
      for (const interruptible of [true, false]) {
        for (const jobHours of [1, 2.5, 8]) {
          for (const slackHours of [0, 5, 24]) {
            for (let startIndex = 0; startIndex + jobHours + slackHours < 140; startIndex += 13) {
              const r = simulateJob(replay, POLICIES[id], { startIndex, jobHours, slackHours, interruptible });
              expect(r.metDeadline).toBe(true);
              expect(r.energy).toBeCloseTo(jobHours, 9);
            }
          }
        }
      }
    }
  });

  it('is registered under its id', () => {
    for (const id of POLICY_IDS) expect(POLICIES[id].id).toBe(id);
    expect(isPolicyId('forecast-window')).toBe(true);
    expect(isPolicyId('toString')).toBe(false);
  });
});

describe('guarded', () => {
  it('raises a pause to the fraction of full speed that still meets the deadline', () => {
    const d = guarded(contextOf({ current: 1, remainingWork: 2.25, stepsLeft: 2 }), { duty: 0, kind: 'pause', reason: 'x' });
    expect(d.duty).toBeCloseTo(1, 9);
    const e = guarded(contextOf({ current: 1, remainingWork: 1.25, stepsLeft: 2 }), { duty: 0, kind: 'pause', reason: 'x' });
    expect(e.duty).toBeCloseTo(0.25, 9);
    expect(e.reason).toContain('at least at 25%');
  });
});

describe('liveContext', () => {
  it('lets a live run ask the same question in milliseconds', () => {
    const now = Date.UTC(2022, 0, 1, 10, 20);
    const c = liveContext({
      now,
      stepMs: HOUR,
      current: gramsPerKWh(300),
      past: [],
      forecast: [250, 100, 400],
      remainingWork: milliseconds(1.5 * HOUR),
      deadline: now + 3.5 * HOUR,
      interruptible: true,
      started: true,
    });
    expect(c.time).toBe(Date.UTC(2022, 0, 1, 10));
    expect(c.remainingWork).toBe(1.5);
    expect(c.stepsLeft).toBe(3);
    const d = forecastWindowPolicy.decide(c);
    expect(d.duty).toBe(0);
    expect(d.reason).toContain('the cleanest, 100 g/kWh, comes in 2 h');
  });
});
