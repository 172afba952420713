import { describe, expect, it } from 'vitest';
import { parseTrace } from '../trace/parse';
import { ScheduledRun } from './classroom';
import { oraclePolicy } from './oracle';
import { runNowPolicy } from './run-now';
import { createReplay } from './simulate';

// 48 hours: dirty (500) except 4 clean hours (100) from hour 10 to 13.
const values = Array.from({ length: 48 }, (_, h) => (h >= 10 && h < 14 ? 100 : 500));
const csv = ['timestamp,carbon_intensity', ...values.map((v, h) => `${new Date(Date.UTC(2022, 0, 1, h)).toISOString()},${v}`)].join('\n');
const replay = () => createReplay(parseTrace(csv, 'toy.csv').trace, { horizon: 24 });

/** Drives a run to completion, booking 1 kWh per full step of work. */
function drive(run: ScheduledRun, work: number): void {
  let remaining = work;
  while (remaining > 1e-9 && !run.outOfTrace) {
    const d = run.decide(remaining);
    const done = Math.min(d.duty, remaining);
    remaining -= done;
    run.finishStep(d, done, done);
  }
}

describe('a scheduled run against a replayed trace', () => {
  it('books energy at the intensity of the hour it was used in', () => {
    const run = new ScheduledRun({ replay: replay(), policy: runNowPolicy, startIndex: 8, estimatedSteps: 4, slackSteps: 20 });
    drive(run, 4);
    expect(run.steps.map((s) => s.intensity)).toEqual([500, 500, 100, 100]);
    expect(run.totals().gCO2e).toBe(1200);
    expect(run.compare()?.savingVsRunNow).toBeCloseTo(0, 9);
  });

  it('prices the same work under run-now and the oracle', () => {
    const run = new ScheduledRun({ replay: replay(), policy: oraclePolicy, startIndex: 8, estimatedSteps: 4, slackSteps: 20 });
    drive(run, 4);
    expect(run.totals().gCO2e).toBe(400);
    expect(run.totals().pausedSteps).toBe(2);
    const c = run.compare();
    expect(c?.runNow).toBeCloseTo(1200, 9);
    expect(c?.oracle).toBeCloseTo(400, 9);
    expect(c?.shareOfOracle).toBeCloseTo(1, 9);
    expect(c?.savingVsRunNow).toBeCloseTo(2 / 3, 9);
    expect(c?.cumulative.policy).toEqual([0, 0, 100, 200, 300, 400]);
    expect(c?.cumulative.runNow.at(-1)).toBeCloseTo(1200, 9);
    expect(c?.cumulative.oracle.at(-1)).toBeCloseTo(400, 9);
  });

  it('continues from its progress (a reload mid-schedule) as if it had never stopped', () => {
    const straight = new ScheduledRun({ replay: replay(), policy: oraclePolicy, startIndex: 8, estimatedSteps: 4, slackSteps: 20 });
    drive(straight, 4);
    const first = new ScheduledRun({ replay: replay(), policy: oraclePolicy, startIndex: 8, estimatedSteps: 4, slackSteps: 20 });
    let remaining = 4;
    for (let i = 0; i < 3; i++) {
      const d = first.decide(remaining);
      remaining -= Math.min(d.duty, remaining);
      first.finishStep(d, Math.min(d.duty, 4), Math.min(d.duty, 4));
    }
    // The estimate and slack given to a continued run do not move its deadline: the saved one holds.
    const continued = new ScheduledRun({ replay: replay(), policy: oraclePolicy, startIndex: 8, estimatedSteps: 0, slackSteps: 0, resume: structuredClone(first.progress()) });
    expect([continued.index, continued.deadlineIndex]).toEqual([first.index, straight.deadlineIndex]);
    drive(continued, remaining);
    expect(continued.steps.map((s) => s.decision.duty)).toEqual(straight.steps.map((s) => s.decision.duty));
    expect(continued.totals()).toEqual(straight.totals());
    expect(continued.compare()?.savingVsRunNow).toBeCloseTo(straight.compare()?.savingVsRunNow ?? Number.NaN, 9);
  });

  it('sets the deadline from the estimate and the slack, within the trace', () => {
    expect(new ScheduledRun({ replay: replay(), policy: runNowPolicy, startIndex: 8, estimatedSteps: 3.2, slackSteps: 5 }).deadlineIndex).toBe(17);
    expect(new ScheduledRun({ replay: replay(), policy: runNowPolicy, startIndex: 40, estimatedSteps: 4, slackSteps: 24 }).deadlineIndex).toBe(48);
  });

  it('has nothing to compare before any work is done', () => {
    expect(new ScheduledRun({ replay: replay(), policy: runNowPolicy, startIndex: 0, estimatedSteps: 1, slackSteps: 0 }).compare()).toBeNull();
  });
});

describe('the plain-language account', () => {
  it('says how long it ran and paused and what it saved', async () => {
    const { describeScheduledRun } = await import('./classroom');
    const run = new ScheduledRun({ replay: replay(), policy: oraclePolicy, startIndex: 8, estimatedSteps: 4, slackSteps: 20 });
    drive(run, 4);
    const text = describeScheduledRun('Oracle', run.steps, run.compare());
    expect(text).toContain('trained in 4 hours and paused in 2 hours of the 6 hours');
    expect(text).toContain('66.7% less than run-now');
    expect(text).toContain('100% of the best possible saving');
  });
});
