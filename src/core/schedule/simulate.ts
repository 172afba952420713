import { fillHoles, type HoleFill } from '../trace/holes';
import { intensityArray } from '../trace/series';
import type { Trace } from '../trace/types';
import {
  gramsCO2e,
  kilowattHours,
  milliseconds,
  type Fraction,
  type GramsCO2e,
  type GramsCO2PerKWh,
  type KilowattHours,
  type Milliseconds,
} from '../units';
import { adaptiveForecaster, type Forecaster, type ForecastStream } from './forecaster';
import { EPSILON, type DecisionContext, type DecisionKind, type Policy, type PolicyId } from './policy';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * A trace made ready for replays: holes filled, values in a typed array, and the forecasts each
 * step would have had, computed on first use and cached. Views it hands out never reach past the
 * step they are asked for, except `futureAfter`, which exists for perfect-foresight policies.
 */
export interface Replay {
  /** The trace with holes filled. */
  readonly trace: Trace;
  readonly values: Float64Array;
  readonly stepMs: number;
  readonly stepsPerDay: number;
  /** Steps each forecast covers. */
  readonly horizon: number;
  readonly forecaster: Forecaster;
  /** Values of the steps before `index` (a view; no copy). */
  pastBefore(index: number): Float64Array;
  /** The forecaster's prediction, made at `index` from values up to and including it, of the next `horizon` steps. */
  forecastAt(index: number): Float64Array;
  /** The recorded values of the up to `horizon` steps after `index`: perfect foresight, evaluation only. */
  futureAfter(index: number): Float64Array;
}

/** How to prepare a replay. */
export interface ReplayOptions {
  /** Plays the carbon provider's forecast; default the adaptive forecaster. */
  readonly forecaster?: Forecaster;
  /** Steps each forecast covers; default 48. */
  readonly horizon?: number;
  /**
   * How holes are filled; default 'carry-forward', which uses only the past, so a decision never
   * sees a value derived from the future, and emissions in a hole are booked at the last known value.
   */
  readonly fill?: HoleFill;
}

/** Prepares a trace for replays (see Replay). Pure apart from its own caches. */
export function createReplay(trace: Trace, options: ReplayOptions = {}): Replay {
  const filled = fillHoles(trace, options.fill ?? 'carry-forward');
  const values = intensityArray(filled);
  // The forecaster is fed the recorded values, holes included, so it never learns from filled-in ones.
  const recorded = intensityArray(trace);
  const n = values.length;
  const horizon = options.horizon ?? 48;
  const forecaster = options.forecaster ?? adaptiveForecaster;
  const stepsPerDay = Math.max(1, Math.round(DAY_MS / trace.stepMs));
  const forecasts = new Float64Array(n * horizon);
  // Forecasts are made in time order by one stream that has been pushed exactly the values up to
  // the step it forecasts from; `forecastsUpTo` is the last step forecast so far.
  let stream: ForecastStream | null = null;
  let forecastsUpTo = -1;
  const forecastViews: (Float64Array | undefined)[] = new Array<Float64Array | undefined>(n);
  const pastViews: (Float64Array | undefined)[] = new Array<Float64Array | undefined>(n + 1);
  const futureViews: (Float64Array | undefined)[] = new Array<Float64Array | undefined>(n);
  const check = (index: number): void => {
    if (!Number.isInteger(index) || index < 0 || index >= n) throw new RangeError(`step ${index} is outside the trace`);
  };
  return {
    trace: filled,
    values,
    stepMs: trace.stepMs,
    stepsPerDay,
    horizon,
    forecaster,
    pastBefore(index) {
      check(index);
      return (pastViews[index] ??= values.subarray(0, index));
    },
    forecastAt(index) {
      check(index);
      stream ??= forecaster.start(stepsPerDay);
      for (let i = forecastsUpTo + 1; i <= index; i++) {
        stream.push(recorded[i] as number);
        forecastViews[i] = forecasts.subarray(i * horizon, (i + 1) * horizon);
        stream.forecastInto(horizon, forecastViews[i] as Float64Array);
        forecastsUpTo = i;
      }
      return forecastViews[index] as Float64Array;
    },
    futureAfter(index) {
      check(index);
      return (futureViews[index] ??= values.subarray(index + 1, Math.min(n, index + 1 + horizon)));
    },
  };
}

/** The job to replay. */
export interface JobOptions {
  /** Index of the step at which the job is submitted. */
  readonly startIndex: number;
  /** Work, in hours at full speed. */
  readonly jobHours: number;
  /** Extra time allowed: the deadline is start + jobHours + slackHours. */
  readonly slackHours: number;
  /** Whether the job may pause once started. */
  readonly interruptible: boolean;
  /** Power drawn at full speed in kW, default 1; energy is proportional to work done. */
  readonly powerKW?: number;
  /** Whether to keep a record of each step's decision; default true. Off for bulk evaluation. */
  readonly record?: boolean;
}

/** What a policy decided at one step of a replay. */
export interface StepRecord {
  readonly index: number;
  readonly time: number;
  readonly intensity: GramsCO2PerKWh;
  /** The policy's duty; `work` can be smaller in the step that finishes the job. */
  readonly duty: Fraction;
  /** Work done in this step, in steps at full speed. */
  readonly work: number;
  readonly kind: DecisionKind;
  readonly reason: string;
}

/** The outcome of one replayed job. */
export interface JobResult {
  readonly policy: PolicyId;
  /** Emissions of the job: energy times the intensity of each step it ran in. */
  readonly emissions: GramsCO2e;
  readonly energy: KilowattHours;
  /** Steps in which any work was done. */
  readonly stepsUsed: number;
  /** Time between submission and finish during which the job did not run (partly, for duty < 1). */
  readonly pausedMs: Milliseconds;
  /** Time at which the last work was done (end of that work within its step). */
  readonly finishTime: number;
  /** Whether all work was done by the deadline. */
  readonly metDeadline: boolean;
  /** One entry per step from submission to finish; empty when `record` is false. */
  readonly decisions: readonly StepRecord[];
}

/**
 * Replays one job on a trace under a policy, step by step from `startIndex`: each step the policy
 * sees the current value, the past, the remaining work, the steps to the deadline and a forecast
 * (the replay's forecaster, or the recorded future for perfect-foresight policies), and its duty
 * decides the work done and the emissions booked at that step's intensity.
 * Given a Trace, prepares a Replay first (adaptive forecaster, holes carried forward); pass a Replay
 * to reuse its cached forecasts across many jobs. Throws RangeError when the deadline falls
 * beyond the end of the trace.
 */
export function simulateJob(source: Trace | Replay, policy: Policy, job: JobOptions): JobResult {
  const stepMs = source.stepMs;
  const jobSteps = (job.jobHours * HOUR_MS) / stepMs;
  const slackSteps = Math.floor((job.slackHours * HOUR_MS) / stepMs + EPSILON);
  const deadline = job.startIndex + Math.ceil(jobSteps - EPSILON) + slackSteps;
  const replay =
    'values' in source ? source : createReplay(source, { horizon: Math.max(1, deadline - job.startIndex - 1) });
  const values = replay.values;
  if (job.startIndex < 0 || deadline > values.length) {
    throw new RangeError(
      `job from step ${job.startIndex} with deadline at step ${deadline} does not fit a trace of ${values.length} steps`,
    );
  }
  const perfect = policy.foresight === 'perfect';
  const record = job.record ?? true;
  const powerKW = job.powerKW ?? 1;
  const stepHours = stepMs / HOUR_MS;
  const time0 = replay.trace.points[0]?.time ?? 0;
  const decisions: StepRecord[] = [];

  let remaining = jobSteps;
  let emissions = 0;
  let stepsUsed = 0;
  let paused = 0;
  let finishTime = time0 + job.startIndex * stepMs;
  for (let t = job.startIndex; remaining > EPSILON && t < values.length; t++) {
    const intensity = values[t] as number;
    const context: DecisionContext = {
      time: time0 + t * stepMs,
      stepMs,
      current: intensity as GramsCO2PerKWh,
      past: replay.pastBefore(t),
      forecast: perfect ? replay.futureAfter(t) : replay.forecastAt(t),
      remainingWork: remaining,
      stepsLeft: deadline - t,
      interruptible: job.interruptible,
      started: remaining < jobSteps - EPSILON,
    };
    const decision = policy.decide(context);
    const work = Math.min(decision.duty, remaining);
    remaining -= work;
    if (work > 0) {
      stepsUsed++;
      emissions += work * stepHours * powerKW * intensity;
      finishTime = context.time + work * stepMs;
    }
    if (remaining > EPSILON) paused += (1 - decision.duty) * stepMs;
    if (record) {
      decisions.push({
        index: t,
        time: context.time,
        intensity: context.current,
        duty: decision.duty,
        work,
        kind: decision.kind,
        reason: decision.reason,
      });
    }
  }
  return {
    policy: policy.id,
    emissions: gramsCO2e(emissions),
    energy: kilowattHours((jobSteps - Math.max(0, remaining)) * stepHours * powerKW),
    stepsUsed,
    pausedMs: milliseconds(paused),
    finishTime,
    metDeadline: remaining <= EPSILON && finishTime <= time0 + deadline * stepMs,
    decisions,
  };
}

