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
