import type { GramsCO2PerKWh, Milliseconds } from '../units';
import type { DecisionContext } from './policy';

/** What a live training run knows when it asks a policy whether to train now. */
export interface LiveState {
  /** The current time, milliseconds since the Unix epoch. */
  readonly now: number;
  /** Length of the provider's (or forecaster's) steps, e.g. 3_600_000 for hourly data. */
  readonly stepMs: number;
  /** The provider's current intensity. */
  readonly current: GramsCO2PerKWh;
  /** Earlier intensities in gCO2/kWh, oldest first, one per step; NaN where unknown. */
  readonly past: ArrayLike<number>;
  /** Forecast intensities in gCO2/kWh for the steps after the current one. */
  readonly forecast: ArrayLike<number>;
  /** Training time still needed at full speed: remaining steps divided by measured throughput. */
  readonly remainingWork: Milliseconds;
  /** When the training must be done, milliseconds since the Unix epoch. */
  readonly deadline: number;
  readonly interruptible: boolean;
  /** Whether training has made any progress yet. */
  readonly started: boolean;
}

/**
 * Turns a live run's state into a policy's context. Time to the deadline is counted in whole steps
 * from `now` (rounded down), so a run that asks mid-step is guarded as if the partial step were
 * already gone: the deadline guard errs on the early side.
 */
export function liveContext(s: LiveState): DecisionContext {
  return {
    time: Math.floor(s.now / s.stepMs) * s.stepMs,
    stepMs: s.stepMs,
    current: s.current,
    past: s.past,
    forecast: s.forecast,
    remainingWork: Math.max(0, s.remainingWork / s.stepMs),
    stepsLeft: Math.max(0, Math.floor((s.deadline - s.now) / s.stepMs)),
    interruptible: s.interruptible,
    started: s.started,
  };
}

/** The intensity window a live schedule's timeline shows: decisions so far, then the forecast. Times in seconds. */
export interface LiveWindow {
  readonly time: number[];
  /** Intensity at each decision; NaN over the forecast. */
  readonly actual: number[];
  readonly deadline: number;
  /** Index in `time` where the forecast begins. */
  readonly forecastFrom: number;
  readonly forecast: number[];
}

/**
 * The timeline of a live schedule: each decision at its time and intensity, then the forecast
 * one source step apart from `now`, up to the deadline (ms since the Unix epoch).
 */
export function liveWindow(steps: readonly { readonly time: number; readonly intensity: number }[], outlook: { readonly now: number; readonly stepMs: number; readonly forecast: readonly number[] }, deadline: number): LiveWindow {
  const ahead = outlook.forecast.map((_, i) => (outlook.now + (i + 1) * outlook.stepMs) / 1000);
  return {
    time: [...steps.map((x) => x.time / 1000), ...ahead],
    actual: [...steps.map((x) => x.intensity), ...ahead.map(() => Number.NaN)],
    deadline: deadline / 1000,
    forecastFrom: steps.length,
    forecast: [...outlook.forecast],
  };
}
