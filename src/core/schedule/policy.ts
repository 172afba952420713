import { fraction, type Fraction, type GramsCO2PerKWh } from '../units';

/** The ids of the built-in policies, as used in configs, links and result files. */
export const POLICY_IDS = ['run-now', 'threshold', 'forecast-window', 'throttle', 'oracle'] as const;

/** One of POLICY_IDS. */
export type PolicyId = (typeof POLICY_IDS)[number];

/**
 * Everything a policy may know when it decides about one step (an hour of an hourly trace).
 * The same context serves a replay of a trace and a live training run: the live app fills it from
 * its carbon provider, its measured throughput and the user's deadline.
 */
export interface DecisionContext {
  /** Start of the current step, milliseconds since the Unix epoch (UTC). */
  readonly time: number;
  /** Length of one step in milliseconds. */
  readonly stepMs: number;
  /** Intensity of the current step, as known now (measured, or the provider's current value). */
  readonly current: GramsCO2PerKWh;
  /** Intensities of earlier steps in gCO2/kWh, oldest first, the last one just before now; NaN where unknown. */
  readonly past: ArrayLike<number>;
  /**
   * Predicted intensities in gCO2/kWh of the steps after now: forecast[0] is the next step. It may
   * end before the deadline (a provider's horizon) or run past it; policies read at most
   * `stepsLeft - 1` entries.
   */
  readonly forecast: ArrayLike<number>;
  /** Work still to do, in steps at full speed; fractional values are allowed. */
  readonly remainingWork: number;
  /** Whole steps from now to the deadline, counting the current one. */
  readonly stepsLeft: number;
  /** Whether the job may pause once it has started; a contiguous job may not. */
  readonly interruptible: boolean;
  /** Whether the job has done any work yet. */
  readonly started: boolean;
}

/** Why a decision came out as it did, for charts and tallies; `reason` says it in words. */
export type DecisionKind = 'run' | 'throttle' | 'pause' | 'deadline' | 'committed' | 'done';

/** What to do during the current step. */
export interface Decision {
  /** Share of full speed to run at during this step: 0 pauses, 1 runs at full speed. */
  readonly duty: Fraction;
  readonly kind: DecisionKind;
  /** One plain-language sentence a student can read: what the policy does now and why. */
  readonly reason: string;
}

/**
 * A scheduling policy: a pure function from what is known now to how much to work now.
 * It must read nothing but its context (no clock, no globals, no state kept between calls), so a
 * live run can ask it again after a reload and a replay gives the same answers every time.
 */
export interface Policy {
  readonly id: PolicyId;
  /** Short name for legends and tables. */
  readonly label: string;
  /** One or two sentences on how it decides. */
  readonly description: string;
  /**
   * 'forecast': decides on the provider's or forecaster's forecast. 'perfect': must be handed the
   * real future as its forecast, which only a replay of a recorded trace can do.
   */
  readonly foresight: 'forecast' | 'perfect';
  /** True for policies that cannot run live (perfect foresight); label them so wherever shown. */
  readonly evaluationOnly: boolean;
  decide(context: DecisionContext): Decision;
}

/** Slack below which two values count as equal, so float noise cannot flip a decision. */
export const EPSILON = 1e-9;

/** Whole steps the remaining work still needs at full speed. */
export const stepsNeeded = (remainingWork: number): number => Math.max(0, Math.ceil(remainingWork - EPSILON));

/** Steps of forecast a policy may use: those before the deadline that the forecast covers. */
export const usableForecast = (c: DecisionContext): number => Math.max(0, Math.min(c.forecast.length, c.stepsLeft - 1));

const round = (n: number): string => (Math.abs(n) >= 10 ? n.toFixed(0) : String(Math.round(n * 10) / 10));
/** Formats an intensity for a reason sentence, e.g. "212 g/kWh". */
export const gPerKWhText = (n: number): string => `${round(n)} g/kWh`;
/** Formats a number of steps as hours when steps are hourly, e.g. "4 h", else as steps. */
export const stepsText = (steps: number, stepMs: number): string => {
  const hours = (steps * stepMs) / 3_600_000;
  return `${round(hours)} h`;
};

/**
 * Applies the rules every policy obeys on top of its own proposal, so no policy can miss the
 * deadline or stop a contiguous job halfway:
 * - no work left: pause;
 * - a contiguous job that has started keeps running at full speed (and one that would start runs at full speed);
 * - the deadline guard: run at least at the duty that still finishes by the deadline at full speed afterwards.
 */
export function guarded(c: DecisionContext, proposal: { duty: number; kind: DecisionKind; reason: string }): Decision {
  if (c.remainingWork <= EPSILON) return { duty: fraction(0), kind: 'done', reason: 'The work is done.' };
  if (!c.interruptible && c.started) {
    return {
      duty: fraction(1),
      kind: 'committed',
      reason: 'This job cannot pause once started, so it keeps running at full speed until it is done.',
    };
  }
  const minDuty = Math.min(1, Math.max(0, c.remainingWork - (c.stepsLeft - 1)));
  const mustStart = !c.interruptible && stepsNeeded(c.remainingWork) >= c.stepsLeft;
  if (minDuty > proposal.duty + EPSILON || (mustStart && proposal.duty < 1)) {
    const full = mustStart || minDuty >= 1 - EPSILON;
    return {
      duty: fraction(full ? 1 : minDuty),
      kind: 'deadline',
      reason:
        c.stepsLeft <= 0
          ? 'The deadline has passed, so the job runs at full speed to finish as soon as possible.'
          : `Deadline guard: ${stepsText(c.remainingWork, c.stepMs)} of work left and ` +
            `${stepsText(c.stepsLeft, c.stepMs)} to the deadline, so it must run ` +
            (full ? 'at full speed now.' : `at least at ${Math.round(minDuty * 100)}% now.`),
    };
  }
  const duty = !c.interruptible && proposal.duty > 0 ? 1 : Math.min(1, Math.max(0, proposal.duty));
  return { duty: fraction(duty), kind: proposal.kind, reason: proposal.reason };
}
