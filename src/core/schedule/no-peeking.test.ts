import { describe, expect, it } from 'vitest';
import {
  adaptiveForecaster,
  blendForecaster,
  forecastFrom,
  persistence,
  sameHourYesterday,
  type Forecaster,
} from './forecaster';
import { POLICY_IDS } from './policy';
import { POLICIES } from './registry';
import { createReplay, simulateJob, type StepRecord } from './simulate';
import { gridLike, hourly, random } from './test-helpers';

// 40 days, so the adaptive forecaster's models (14 samples each) are in use by the decision time.
const DAYS = 40;
const original = gridLike(DAYS, 11);
const DECISION = 33 * 24 + 7; // the last step whose value is known when the corrupted decisions are made

/** The same trace with every value after DECISION replaced: wild values and a run of holes. */
function corruptedFuture(seed: number): (number | null)[] {
  const rnd = random(seed);
  return original.map((v, i) => (i <= DECISION ? v : i < DECISION + 5 ? null : rnd() < 0.5 ? 5 : 5000 * rnd()));
}

const forecasters: Forecaster[] = [adaptiveForecaster, blendForecaster, sameHourYesterday, persistence];
const livePolicies = POLICY_IDS.filter((id) => !POLICIES[id].evaluationOnly);

const upToDecision = (decisions: readonly StepRecord[]): unknown[] =>
  decisions.filter((d) => d.index <= DECISION).map((d) => [d.index, d.duty, d.kind, d.reason]);

describe('no policy or forecaster reads the future', () => {
  it.each(forecasters.map((f) => [f.id, f] as const))('the %s forecaster gives the same forecasts up to the decision time', (_id, f) => {
    for (const seed of [1, 2]) {
      const bad = corruptedFuture(seed).map((v) => v ?? Number.NaN);
      for (const now of [DECISION - 30, DECISION - 1, DECISION]) {
        const a = forecastFrom(f, original.slice(0, now + 1), 40);
        const b = forecastFrom(f, bad.slice(0, now + 1), 40);
        expect(Array.from(b)).toEqual(Array.from(a));
      }
      // Through a replay, which holds the whole trace, forecasts up to the decision time agree too.
      const ra = createReplay(hourly(original), { forecaster: f, horizon: 40 });
      const rb = createReplay(hourly(corruptedFuture(seed)), { forecaster: f, horizon: 40 });
      for (let t = DECISION - 48; t <= DECISION; t++) {
        expect(Array.from(rb.forecastAt(t))).toEqual(Array.from(ra.forecastAt(t)));
      }
    }
  });

  it.each(livePolicies)('%s makes the same decisions up to the decision time', (id) => {
    for (const f of forecasters) {
      const ra = createReplay(hourly(original), { forecaster: f, horizon: 40 });
      const rb = createReplay(hourly(corruptedFuture(3)), { forecaster: f, horizon: 40 });
      for (const interruptible of [true, false]) {
        for (const jobHours of [1, 4, 8]) {
          for (let startIndex = DECISION - 30; startIndex <= DECISION; startIndex += 3) {
            const job = { startIndex, jobHours, slackHours: 24, interruptible };
            const a = simulateJob(ra, POLICIES[id], job);
            const b = simulateJob(rb, POLICIES[id], job);
            expect(upToDecision(b.decisions)).toEqual(upToDecision(a.decisions));
          }
        }
      }
    }
  });

  it('the corruption is visible: the oracle, which sees the future, does change its decisions', () => {
    const ra = createReplay(hourly(original), { horizon: 40 });
    const rb = createReplay(hourly(corruptedFuture(3)), { horizon: 40 });
    let changed = 0;
    for (let startIndex = DECISION - 20; startIndex <= DECISION; startIndex++) {
      const job = { startIndex, jobHours: 4, slackHours: 24, interruptible: true };
      const a = upToDecision(simulateJob(ra, POLICIES.oracle, job).decisions);
      const b = upToDecision(simulateJob(rb, POLICIES.oracle, job).decisions);
      if (JSON.stringify(a) !== JSON.stringify(b)) changed++;
    }
    expect(changed).toBeGreaterThan(0);
  });
});
