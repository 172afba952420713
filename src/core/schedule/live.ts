import type { GramsCO2PerKWh, Milliseconds } from '../units';
import type { ScheduledStep } from './classroom';
import type { Decision, DecisionContext } from './policy';

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

/**
 * A live schedule's state, saved beside its run's checkpoint so a reload (or a closed tab) continues
 * it where it was: the deadline, the decisions so far (their intensities are the policy's past), the
 * decision in force, the paused time and when the grid was last asked.
 */
export interface SavedLiveSchedule {
  readonly kind: 'live';
  /** When the job must be done, ms since the Unix epoch. */
  readonly deadline: number;
  readonly steps: readonly ScheduledStep[];
  /** The decision in force when saved; null before the first check answered. */
  readonly decision: Decision | null;
  /** Wall ms the run had spent paused. */
  readonly pausedMs: number;
  /** When the last check began, ms since the Unix epoch; null before the first. */
  readonly lastCheckAt: number | null;
}

const isDecision = (d: unknown): d is Decision => {
  const x = d as Partial<Decision> | null;
  return typeof x === 'object' && x !== null && Number.isFinite(x.duty) && typeof x.kind === 'string' && typeof x.reason === 'string';
};

/** A stored step, or null when it cannot be read; a forecast stored as null (JSON has no NaN) is NaN again. */
function readScheduledStep(value: unknown): ScheduledStep | null {
  const s = value as Partial<Record<keyof ScheduledStep, unknown>> | null;
  if (typeof s !== 'object' || s === null || !isDecision(s.decision)) return null;
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : Number.NaN);
  const step = { index: num(s.index), time: num(s.time), intensity: num(s.intensity), forecastNext: num(s.forecastNext), decision: s.decision, kWh: num(s.kWh) || 0, gCO2e: num(s.gCO2e) || 0 };
  return Number.isFinite(step.index) && Number.isFinite(step.time) && Number.isFinite(step.intensity) ? step : null;
}

/** A stored value as a live schedule's state, or null when it is not one (it is then not used). */
export function readSavedLiveSchedule(value: unknown): SavedLiveSchedule | null {
  const v = value as Partial<Record<keyof SavedLiveSchedule, unknown>> | null;
  if (typeof v !== 'object' || v === null || v.kind !== 'live' || !Array.isArray(v.steps)) return null;
  if (!Number.isFinite(v.deadline) || !Number.isFinite(v.pausedMs) || (v.lastCheckAt !== null && !Number.isFinite(v.lastCheckAt))) return null;
  if (v.decision !== null && !isDecision(v.decision)) return null;
  const steps = v.steps.map(readScheduledStep);
  if (steps.some((s) => s === null)) return null;
  return { kind: 'live', deadline: v.deadline as number, steps: steps as ScheduledStep[], decision: v.decision, pausedMs: Math.max(0, v.pausedMs as number), lastCheckAt: v.lastCheckAt as number | null };
}

/**
 * How a saved live schedule continues at `now` (ms since the Unix epoch): past its deadline it
 * finishes at once, unscheduled; otherwise the decision in force holds until the next check, due
 * one check interval after the last one (at once if that is past, or if none was made).
 */
export function liveResumePlan(saved: SavedLiveSchedule, now: number, intervalMs: number): { readonly kind: 'deadline-passed' } | { readonly kind: 'continue'; readonly sinceCheckMs: number } {
  if (now >= saved.deadline) return { kind: 'deadline-passed' };
  const since = saved.lastCheckAt === null ? intervalMs : now - saved.lastCheckAt;
  return { kind: 'continue', sinceCheckMs: Math.min(intervalMs, Math.max(0, since)) };
}
