/**
 * Carbon of a measured run under a scheduling policy, priced on a replayed year of grid intensity.
 *
 * A training run in the lab lasts seconds or minutes and a trace spans a year, so a run is mapped
 * onto the trace by one rule that uses every start hour, never a chosen one:
 *
 * 1. The run stands for a job of H hours, H = baseJobHours (4 by default) x its measured training
 *    time / the reference run's training time (the sweep's first configuration). A faster
 *    configuration is a shorter job.
 * 2. The job has `slackHours` (24 by default) beyond H to finish, and runs at a constant power
 *    P = energy / time while it runs.
 * 3. The job is replayed under the policy from every start hour of the trace at which its deadline
 *    still fits (`simulateJob`, record off), and the emissions are averaged over the starts.
 * 4. That mean is scaled back to the run's real energy: gCO2e = kWh x (mean emissions / job energy).
 *
 * Emissions are linear in P, so step 4 equals the run's kWh times the policy's mean effective
 * intensity for a job of H hours; the pricing runs the jobs at 1 kW and never needs P itself.
 */
import { POLICIES, simulateJob, type PolicyId, type Replay } from '../schedule';
import { gramsCO2e, gramsPerKWh, type GramsCO2e, type GramsCO2PerKWh, type KilowattHours, type Seconds } from '../units';

/** The job length and slack the issue names as defaults (issue 6, "Reproduce the paper"). */
export const DEFAULT_JOB_HOURS = 4;
export const DEFAULT_SLACK_HOURS = 24;
/**
 * Bounds on the scaled job length: a quarter of an hour keeps at least part of a trace step, and a
 * week keeps a one-year trace with tens of thousands of start hours. Outside them the scaling says
 * more about timer noise on tiny runs than about the configuration.
 */
export const MIN_JOB_HOURS = 0.25;
export const MAX_JOB_HOURS = 168;

/** How runs are mapped onto a trace. */
export interface PricingRule {
  /** H of the reference run, hours. */
  readonly baseJobHours: number;
  /** Hours allowed beyond the job's length. */
  readonly slackHours: number;
  /** Whether the job may pause once started (the lab's runs can: they pause between steps). */
  readonly interruptible: boolean;
}

export const DEFAULT_PRICING_RULE: PricingRule = { baseJobHours: DEFAULT_JOB_HOURS, slackHours: DEFAULT_SLACK_HOURS, interruptible: true };

/** The job length that stands for a run: baseJobHours scaled by its time over the reference's, clamped. */
export function jobHoursFor(trainingSeconds: Seconds, referenceSeconds: Seconds, baseJobHours: number = DEFAULT_JOB_HOURS): number {
  if (!(trainingSeconds > 0) || !(referenceSeconds > 0)) return baseJobHours;
  return Math.min(MAX_JOB_HOURS, Math.max(MIN_JOB_HOURS, (baseJobHours * trainingSeconds) / referenceSeconds));
}

/** The mean intensity a policy achieves for one job length, over every start hour that fits. */
export interface PolicyIntensity {
  readonly intensity: GramsCO2PerKWh;
  /** Start hours averaged over. */
  readonly starts: number;
  readonly jobHours: number;
}

/**
 * Mean emissions per kWh of a job of `jobHours` under the policy, over every start step of the
 * replay whose deadline fits the trace. Throws RangeError when no start fits.
 */
export function policyIntensity(replay: Replay, policy: PolicyId, jobHours: number, rule: PricingRule = DEFAULT_PRICING_RULE): PolicyIntensity {
  const stepsPerHour = 3_600_000 / replay.stepMs;
  const span = Math.ceil(jobHours * stepsPerHour - 1e-9) + Math.floor(rule.slackHours * stepsPerHour + 1e-9);
  const starts = replay.values.length - span + 1;
  if (starts < 1) throw new RangeError(`a job of ${jobHours} h with ${rule.slackHours} h of slack does not fit a trace of ${replay.values.length} steps`);
  let perKWh = 0;
  for (let s = 0; s < starts; s++) {
    const r = simulateJob(replay, POLICIES[policy], { startIndex: s, jobHours, slackHours: rule.slackHours, interruptible: rule.interruptible, powerKW: 1, record: false });
    perKWh += r.emissions / r.energy;
  }
  return { intensity: gramsPerKWh(perKWh / starts), starts, jobHours };
}

/** A measured run, as the pricing needs it. */
export interface MeasuredRun {
  readonly kWh: KilowattHours;
  readonly trainingSeconds: Seconds;
}

export interface PricedRun extends PolicyIntensity {
  readonly gCO2e: GramsCO2e;
}

/**
 * Prices a run under a policy by the rule in the module comment. `intensityOf` computes (or looks up
 * in a cache) the policy's mean intensity for a job length; by default `policyIntensity`.
 */
export function priceRun(
  run: MeasuredRun,
  referenceSeconds: Seconds,
  replay: Replay,
  policy: PolicyId,
  rule: PricingRule = DEFAULT_PRICING_RULE,
  intensityOf: (jobHours: number) => PolicyIntensity = (h) => policyIntensity(replay, policy, h, rule),
): PricedRun {
  const jobHours = jobHoursFor(run.trainingSeconds, referenceSeconds, rule.baseJobHours);
  const mean = intensityOf(jobHours);
  return { ...mean, gCO2e: gramsCO2e(run.kWh * mean.intensity) };
}
