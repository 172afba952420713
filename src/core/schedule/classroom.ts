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
  /** Cumulative gCO2e after each step from submission, for each of the three. */
  readonly cumulative: { readonly policy: number[]; readonly runNow: number[]; readonly oracle: number[] };
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
  /** Continue a run from its `progress()` (a reload mid-schedule): its deadline, steps and work so far. */
  readonly resume?: ScheduledRunProgress;
}

/** Where a scheduled run stands, as plain data: what continuing it needs. */
export interface ScheduledRunProgress {
  readonly deadlineIndex: number;
  readonly steps: readonly ScheduledStep[];
  readonly workDone: number;
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
      options.resume?.deadlineIndex ?? options.startIndex + Math.ceil(options.estimatedSteps - EPSILON) + options.slackSteps,
    );
    if (options.resume) {
      for (const step of options.resume.steps) this.steps.push(step);
      this.workDone = options.resume.workDone;
    }
  }

  /** Where the run stands now (a copy), to continue it later with `resume`. */
  progress(): ScheduledRunProgress {
    return { deadlineIndex: this.deadlineIndex, steps: [...this.steps], workDone: this.workDone };
  }

  /** Id of the policy that schedules this run. */
  get policyId(): string {
    return this.options.policy.id;
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
    const powerKW = kWh / jobHours;
    const job = { startIndex, jobHours, slackHours, interruptible: true, powerKW };
    const now = simulateJob(replay, runNowPolicy, job);
    const best = simulateJob(replay, oraclePolicy, job);
    const runNow = now.emissions;
    const oracle = best.emissions;
    const cumulate = (perStep: number[]) => {
      let sum = 0;
      return perStep.map((g) => (sum += g));
    };
    const priced = (r: typeof now) => cumulate(r.decisions.map((d) => d.work * stepHours * powerKW * d.intensity));
    return {
      policy: gCO2e,
      runNow,
      oracle,
      cumulative: { policy: cumulate(this.steps.map((s) => s.gCO2e)), runNow: priced(now), oracle: priced(best) },
      savingVsRunNow: runNow > 0 ? 1 - gCO2e / runNow : 0,
      shareOfOracle: runNow - oracle > 1e-9 ? (runNow - gCO2e) / (runNow - oracle) : null,
    };
  }
}

/**
 * A plain-language account of a scheduled run: how long it ran and paused, why (the policy's own
 * reasons, most frequent first), and what that saved against starting at once.
 */
export function describeScheduledRun(policyLabel: string, steps: readonly ScheduledStep[], comparison: ScheduleComparison | null, stepHours = 1): string {
  if (steps.length === 0) return `${policyLabel} has not decided anything yet.`;
  const ran = steps.filter((s) => s.decision.duty > 0).length;
  const paused = steps.length - ran;
  const hours = (n: number) => `${Math.round(n * stepHours * 10) / 10} hour${n * stepHours === 1 ? '' : 's'}`;
  const kinds = new Map<string, number>();
  for (const s of steps) kinds.set(s.decision.reason, (kinds.get(s.decision.reason) ?? 0) + 1);
  const pauses = steps.filter((s) => s.decision.duty <= 0);
  const ranSteps = steps.filter((s) => s.decision.duty > 0);
  const mean = (xs: readonly ScheduledStep[]) => xs.reduce((a, s) => a + s.intensity, 0) / Math.max(1, xs.length);
  const parts = [
    `${policyLabel} trained in ${hours(ran)} and paused in ${hours(paused)} of the ${hours(steps.length)} so far.`,
  ];
  if (ranSteps.length > 0) parts.push(`It trained at a mean of ${Math.round(mean(ranSteps))} gCO2/kWh${pauses.length > 0 ? ` and skipped hours averaging ${Math.round(mean(pauses))} gCO2/kWh` : ''}.`);
  const [reason] = [...kinds.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (reason) parts.push(`Its most frequent reason: "${reason}"`);
  if (comparison) {
    const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
    const g = (x: number) => `${Number(x.toPrecision(3))} g`;
    parts.push(
      `The same energy would have emitted ${g(comparison.runNow)} starting at once (run-now) and ${g(comparison.oracle)} with perfect foresight (oracle, evaluation only); this run emitted ${g(comparison.policy)}, ${comparison.savingVsRunNow >= 0 ? `${pct(comparison.savingVsRunNow)} less` : `${pct(-comparison.savingVsRunNow)} more`} than run-now` +
        (comparison.shareOfOracle === null ? '.' : `, ${pct(comparison.shareOfOracle)} of the best possible saving.`),
    );
  }
  return parts.join(' ');
}
