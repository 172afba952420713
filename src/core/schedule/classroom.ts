/**
 * A scheduled training run against a replayed trace, hour by simulated hour: the policy decides
 * each hour from what is known then, the run's measured energy is booked at the simulated hour it
 * was used in, and the same work is priced under run-now and the oracle for comparison.
 * Pure: the caller owns the clock (simulated for a class, the wall clock for a live run).
 */
import { gramsCO2e, type GramsCO2e, type KilowattHours } from '../units';
import { EPSILON, type Decision, type DecisionContext, type Policy } from './policy';
import { oraclePolicy } from './oracle';
import { runNowPolicy } from './run-now';
import { simulateJob, type Replay } from './simulate';

/** What happened in one simulated step of a scheduled run. */
export interface ScheduledStep {
  /** Trace index of the step. */
  readonly index: number;
  readonly time: number;
  readonly intensity: number;
  /** The forecast the policy saw for the next step (NaN when none). */
  readonly forecastNext: number;
  readonly decision: Decision;
  /** Energy used in this step, booked at its intensity. */
  readonly kWh: number;
  readonly gCO2e: number;
}

/** The same work priced under the carbon-agnostic baseline and perfect foresight. */
export interface ScheduleComparison {
  readonly policy: GramsCO2e;
  readonly runNow: GramsCO2e;
  /** Perfect foresight, for evaluation only. */
  readonly oracle: GramsCO2e;
  /** 1 - policy / runNow: the share of run-now's emissions this policy avoided. */
  readonly savingVsRunNow: number;
  /** (runNow - policy) / (runNow - oracle): how much of the best possible saving was reached. */
  readonly shareOfOracle: number | null;
}

export interface ScheduledRunOptions {
  readonly replay: Replay;
  readonly policy: Policy;
  /** Trace index of the step the run was submitted in. */
  readonly startIndex: number;
  /** Estimated work in steps at full speed (measured throughput x remaining work). */
  readonly estimatedSteps: number;
  /** Extra steps allowed: the deadline is start + ceil(estimatedSteps) + slackSteps. */
  readonly slackSteps: number;
}

/** A run scheduled step by step; see the module comment. */
export class ScheduledRun {
  readonly steps: ScheduledStep[] = [];
  readonly deadlineIndex: number;
  private readonly options: ScheduledRunOptions;
  private workDone = 0;

  constructor(options: ScheduledRunOptions) {
    this.options = options;
    this.deadlineIndex = Math.min(
      options.replay.values.length,
      options.startIndex + Math.ceil(options.estimatedSteps - EPSILON) + options.slackSteps,
    );
  }

  /** Trace index of the step the run is in now. */
  get index(): number {
    return this.options.startIndex + this.steps.length;
  }

  /** Whether the trace has no step left to schedule into. */
  get outOfTrace(): boolean {
    return this.index >= this.options.replay.values.length;
  }

  /**
   * Decides the current step. `remainingSteps` is the work still to do in steps at full speed,
   * re-estimated from measured throughput (receding horizon). Does not advance; call `finishStep`.
   */
  decide(remainingSteps: number): Decision {
    const { replay, policy } = this.options;
    const t = this.index;
    const context: DecisionContext = {
      time: (replay.trace.points[0]?.time ?? 0) + t * replay.stepMs,
      stepMs: replay.stepMs,
      current: replay.values[t] as DecisionContext['current'],
      past: replay.pastBefore(t),
      forecast: policy.foresight === 'perfect' ? replay.futureAfter(t) : replay.forecastAt(t),
      remainingWork: remainingSteps,
      stepsLeft: Math.max(1, this.deadlineIndex - t),
      interruptible: true,
      started: this.workDone > 0,
    };
    return policy.decide(context);
  }

  /** Closes the current step with what it decided and the energy the run really used in it. */
  finishStep(decision: Decision, kWh: KilowattHours | number, workSteps: number): ScheduledStep {
    const { replay } = this.options;
    const t = this.index;
    const intensity = replay.values[t] as number;
    const step: ScheduledStep = {
      index: t,
      time: (replay.trace.points[0]?.time ?? 0) + t * replay.stepMs,
      intensity,
      forecastNext: replay.forecastAt(t)[0] ?? Number.NaN,
      decision,
      kWh: kWh as number,
      gCO2e: (kWh as number) * intensity,
    };
    this.workDone += workSteps;
    this.steps.push(step);
    return step;
  }

  /** Total energy and emissions booked so far. */
  totals(): { kWh: number; gCO2e: GramsCO2e; pausedSteps: number } {
    let kWh = 0;
    let g = 0;
    let paused = 0;
    for (const s of this.steps) {
      kWh += s.kWh;
      g += s.gCO2e;
      if (s.decision.duty <= 0) paused++;
    }
    return { kWh, gCO2e: gramsCO2e(g), pausedSteps: paused };
  }

  /**
   * Prices the work done so far (at the energy really used) under run-now and the oracle, from the
   * same submission step with the same deadline. Null when no work has been done.
   */
  compare(): ScheduleComparison | null {
    const { kWh, gCO2e } = this.totals();
    if (this.workDone <= EPSILON || kWh <= 0) return null;
    const { replay, startIndex } = this.options;
    const stepHours = replay.stepMs / 3_600_000;
    const jobHours = this.workDone * stepHours;
    const slackHours = Math.max(0, this.deadlineIndex - startIndex - Math.ceil(this.workDone - EPSILON)) * stepHours;
    const job = { startIndex, jobHours, slackHours, interruptible: true, powerKW: kWh / jobHours, record: false };
    const runNow = simulateJob(replay, runNowPolicy, job).emissions;
    const oracle = simulateJob(replay, oraclePolicy, job).emissions;
    const best = runNow - oracle;
    return {
      policy: gCO2e,
      runNow,
      oracle,
      savingVsRunNow: runNow > 0 ? 1 - gCO2e / runNow : 0,
      shareOfOracle: best > 1e-9 ? (runNow - gCO2e) / best : null,
    };
  }
}
