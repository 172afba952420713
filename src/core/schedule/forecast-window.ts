import { gPerKWhText, guarded, stepsText, type Decision, type DecisionContext, type Policy } from './policy';
import { planCheapestSteps, planContiguousWindow } from './plan';

/** Settings of the forecast-window policy. */
export interface ForecastWindowOptions {
  /**
   * A later step (or window) must beat now by this share to be worth waiting for; hedges against
   * forecast error. 0 trusts the forecast completely.
   */
  readonly margin: number;
}

/** The margin the eval uses; see src/core/schedule/README.md for how it was chosen. */
export const DEFAULT_FORECAST_WINDOW: ForecastWindowOptions = { margin: 0 };

/**
 * Best-window decision shared with the oracle: the cheapest steps before the deadline for an
 * interruptible job, the lowest-mean contiguous window otherwise, re-planned from scratch every step.
 */
export function decideByWindow(c: DecisionContext, margin: number, source: string): Decision {
  const s = (n: number): string => stepsText(n, c.stepMs);
  if (c.interruptible) {
    const plan = planCheapestSteps(c, margin);
    return guarded(
      c,
      plan.runNow
        ? {
            duty: 1,
            kind: 'run',
            reason:
              `Runs: now (${gPerKWhText(c.current)}) is among the ${s(plan.needed)} cleanest of the ` +
              `${s(plan.horizon)} left before the deadline (${source}).`,
          }
        : {
            duty: 0,
            kind: 'pause',
            reason:
              `Pauses: ${s(plan.cleanerSteps)} before the deadline are ${source === 'forecast' ? 'forecast' : 'known'} ` +
              `cleaner than now (${gPerKWhText(c.current)}), enough for the ${s(plan.needed)} of work left; ` +
              `the cleanest, ${gPerKWhText(plan.bestIntensity)}, comes in ${s(plan.bestOffset)}.`,
          },
    );
  }
  const plan = planContiguousWindow(c, margin);
  return guarded(
    c,
    plan.runNow
      ? {
          duty: 1,
          kind: 'run',
          reason:
            `Starts: the ${s(plan.needed)} window from now (mean ${gPerKWhText(plan.bestIntensity)}) is the ` +
            `cleanest that still ends before the deadline (${source}).`,
        }
      : {
          duty: 0,
          kind: 'pause',
          reason:
            `Waits: the ${s(plan.needed)} window starting in ${s(plan.bestOffset)} has a ${source} mean of ` +
            `${gPerKWhText(plan.bestIntensity)}, cleaner than starting now.`,
        },
  );
}

/**
 * Forecast window: from the work left and the deadline, picks the lowest-carbon time to run over
 * the forecast (one contiguous window, or the cheapest steps when the job may pause) and re-plans
 * every step as new data arrives (receding horizon), like the Carbon Aware SDK's best-window search.
 */
export function createForecastWindowPolicy(options: ForecastWindowOptions = DEFAULT_FORECAST_WINDOW): Policy {
  return {
    id: 'forecast-window',
    label: 'Forecast window',
    description:
      'Runs in the cleanest forecast hours (or the cleanest contiguous window) before the deadline, ' +
      're-planning every hour as the forecast updates.',
    foresight: 'forecast',
    evaluationOnly: false,
    decide: (c) => decideByWindow(c, options.margin, 'forecast'),
  };
}

/** Forecast window with DEFAULT_FORECAST_WINDOW. */
export const forecastWindowPolicy: Policy = createForecastWindowPolicy();
