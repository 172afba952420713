/** Builders shared by the schedule tests; not part of the module's public surface. */
import type { Trace } from '../trace/types';
import { gramsPerKWh } from '../units';
import type { Forecaster } from './forecaster';
import type { DecisionContext } from './policy';
import { mulberry32 } from '../data/prng';

export const HOUR = 3_600_000;

/** An hourly trace starting at 2022-01-01T00:00Z; null entries are holes. */
export function hourly(values: readonly (number | null)[], name = 'test'): Trace {
  const t0 = Date.UTC(2022, 0, 1);
  return {
    name,
    layout: 'two-column',
    stepMs: HOUR,
    points: values.map((v, i) => ({ time: t0 + i * HOUR, intensity: v === null ? null : gramsPerKWh(v) })),
  };
}

/** A decision context with sensible defaults: an interruptible 1 h job, 5 h to the deadline. */
export function contextOf(over: Omit<Partial<DecisionContext>, 'current'> & { current: number }): DecisionContext {
  return {
    time: 0,
    stepMs: HOUR,
    past: [],
    forecast: [],
    remainingWork: 1,
    stepsLeft: 5,
    interruptible: true,
    started: false,
    ...over,
    current: gramsPerKWh(over.current),
  };
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so failures reproduce. */
export const random = (seed: number): (() => number) => mulberry32(seed);

/** A grid-like series: a daily cycle, a slow drift and noise, all positive. */
export function gridLike(days: number, seed: number): number[] {
  const rnd = random(seed);
  const out: number[] = [];
  let drift = 0;
  for (let i = 0; i < days * 24; i++) {
    drift = 0.95 * drift + 10 * (rnd() - 0.5);
    out.push(250 + 80 * Math.sin((2 * Math.PI * (i % 24)) / 24) + drift + 20 * rnd());
  }
  return out;
}

/**
 * Test only: a forecaster whose forecast is `fill(pushed, horizon, out)`, where `pushed` is how many
 * values it has been given so far.
 */
export function scriptedForecaster(id: string, fill: (pushed: number, horizon: number, out: Float64Array) => void): Forecaster {
  return {
    id,
    description: `${id} (tests only)`,
    start() {
      let n = 0;
      return {
        push: () => void n++,
        get length() {
          return n;
        },
        forecastInto: (horizon, out) => fill(n, horizon, out),
      };
    },
  };
}

/** Test only: a "forecaster" that returns the recorded future of `values`, to test policies on exact forecasts. */
export function knownFuture(values: readonly number[]): Forecaster {
  return scriptedForecaster('known-future', (n, horizon, out) => {
    for (let k = 0; k < horizon; k++) out[k] = values[Math.min(values.length - 1, n + k)] as number;
  });
}
