import { EPSILON, stepsNeeded, usableForecast, type DecisionContext } from './policy';

/** The outcome of a best-window search over the steps from now to the deadline. */
export interface WindowPlan {
  /** Whether the plan uses the current step. */
  readonly runNow: boolean;
  /** Steps the search covered, the current one included. */
  readonly horizon: number;
  /** Steps the remaining work needs at full speed. */
  readonly needed: number;
  /** Offset from now (0 = now) and intensity of the best step or window start found. */
  readonly bestOffset: number;
  readonly bestIntensity: number;
  /** Interruptible plans: how many steps in the horizon are cleaner than now (after the margin). */
  readonly cleanerSteps: number;
}

/**
 * Cheapest-steps plan for an interruptible job: run now when the current step is among the
 * `needed` cleanest steps before the deadline (forecast for the later ones). Re-run every step this
 * gives a receding-horizon schedule; with the real future as forecast it is optimal.
 * `margin` (a fraction, e.g. 0.02) counts a future step as cleaner only if it beats now by that
 * share, which hedges against forecast error by preferring the certain present.
 * O(horizon), no allocation.
 */
export function planCheapestSteps(c: DecisionContext, margin: number): WindowPlan {
  const needed = stepsNeeded(c.remainingWork);
  const ahead = usableForecast(c);
  const f = c.forecast;
  const bar = c.current * (1 - margin) - EPSILON;
  let cleaner = 0;
  let bestOffset = 0;
  let best: number = c.current;
  for (let i = 0; i < ahead; i++) {
    const v = f[i] as number;
    if (v < bar) cleaner++;
    if (v < best - EPSILON) {
      best = v;
      bestOffset = i + 1;
    }
  }
  return { runNow: cleaner < needed, horizon: ahead + 1, needed, bestOffset, bestIntensity: best, cleanerSteps: cleaner };
}

/**
 * Contiguous best-window plan, as the Carbon Aware SDK's forecast endpoint does it
 * (Green-Software-Foundation/carbon-aware-sdk: the mean intensity of every window of the job's
 * length within the forecast's data window, the lowest mean wins): run now when the window that
 * starts now is the best one, earliest first on ties. `margin` makes a later window win only if its
 * mean beats the window starting now by that share. O(horizon), no allocation.
 */
export function planContiguousWindow(c: DecisionContext, margin: number): WindowPlan {
  const needed = Math.max(1, stepsNeeded(c.remainingWork));
  const ahead = usableForecast(c);
  const horizon = ahead + 1;
  const at = (i: number): number => (i === 0 ? c.current : (c.forecast[i - 1] as number));
  if (horizon < needed) {
    return { runNow: true, horizon, needed, bestOffset: 0, bestIntensity: c.current, cleanerSteps: 0 };
  }
  let sum = 0;
  for (let i = 0; i < needed; i++) sum += at(i);
  const nowMean = sum / needed;
  let bestMean = nowMean;
  let bestOffset = 0;
  for (let start = 1; start + needed <= horizon; start++) {
    sum += at(start + needed - 1) - at(start - 1);
    const mean = sum / needed;
    if (mean < bestMean - EPSILON) {
      bestMean = mean;
      bestOffset = start;
    }
  }
  const runNow = bestOffset === 0 || bestMean >= nowMean * (1 - margin) - EPSILON;
  return {
    runNow,
    horizon,
    needed,
    bestOffset: runNow ? 0 : bestOffset,
    bestIntensity: runNow ? nowMean : bestMean,
    cleanerSteps: 0,
  };
}

let scratch = new Float64Array(64);

/**
 * The q-quantile (0..1, linear between ranks) of the intensities from now to the deadline: the
 * current step and the usable forecast. Uses a module-level scratch buffer, so it allocates only
 * when a horizon is longer than any seen before.
 */
export function windowQuantile(c: DecisionContext, q: number): number {
  const ahead = usableForecast(c);
  const n = ahead + 1;
  if (scratch.length < n) scratch = new Float64Array(2 * n);
  scratch[0] = c.current;
  for (let i = 0; i < ahead; i++) scratch[i + 1] = c.forecast[i] as number;
  const sorted = scratch.subarray(0, n).sort();
  const rank = Math.min(1, Math.max(0, q)) * (n - 1);
  const lo = Math.floor(rank);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(n - 1, lo + 1)] as number;
  return a + (b - a) * (rank - lo);
}
