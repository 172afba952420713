import { gPerKWhText, guarded, type Policy } from './policy';
import { windowQuantile } from './plan';

/** Settings of the throttle policy. */
export interface ThrottleOptions {
  /**
   * Full speed at the cleanest intensity expected before the deadline, zero at the quantile of
   * that window equal to `spread` times the share of the time the work needs; linear between.
   * Larger values spread the work over more (dirtier) hours at lower duty.
   */
  readonly spread: number;
}

/** Spread 2: zero duty at the intensity below which twice the needed work would fit. */
export const DEFAULT_THROTTLE: ThrottleOptions = { spread: 2 };

/**
 * Throttle: scales the duty cycle continuously with intensity instead of switching on and off:
 * full speed at the cleanest intensity expected before the deadline, falling linearly to a pause
 * at a cut-off set by how much of the remaining time the work needs. The deadline guard raises the
 * duty when less would miss the deadline. A contiguous job cannot throttle: any duty above zero
 * starts it at full speed.
 */
export function createThrottlePolicy(options: ThrottleOptions = DEFAULT_THROTTLE): Policy {
  return {
    id: 'throttle',
    label: 'Throttle',
    description:
      'Trains faster the cleaner the grid: full speed at the cleanest expected hour, slowing to a pause ' +
      'as intensity rises, and speeding up if the deadline needs it.',
    foresight: 'forecast',
    evaluationOnly: false,
    decide(c) {
      const share = c.stepsLeft > 0 ? c.remainingWork / c.stepsLeft : 1;
      const lo = windowQuantile(c, 0);
      const hi = windowQuantile(c, Math.min(1, options.spread * share));
      const duty = hi - lo > 1e-9 ? Math.min(1, Math.max(0, (hi - c.current) / (hi - lo))) : c.current <= lo ? 1 : 0;
      const pct = Math.round(duty * 100);
      return guarded(c, {
        duty,
        kind: duty >= 1 ? 'run' : duty <= 0 ? 'pause' : 'throttle',
        reason:
          duty <= 0
            ? `Pauses: now (${gPerKWhText(c.current)}) is above the cut-off of ${gPerKWhText(hi)}.`
            : `Runs at ${pct}%: now (${gPerKWhText(c.current)}) lies between the cleanest expected ` +
              `(${gPerKWhText(lo)}, full speed) and the cut-off (${gPerKWhText(hi)}, pause).`,
      });
    },
  };
}

/** Throttle with DEFAULT_THROTTLE. */
export const throttlePolicy: Policy = createThrottlePolicy();
