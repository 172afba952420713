import type { GramsCO2PerKWh } from '../units';
import { gPerKWhText, guarded, type Policy } from './policy';
import { windowQuantile } from './plan';

/** Where the threshold policy draws its line. */
export type ThresholdOptions =
  /** A fixed intensity in gCO2/kWh. */
  | { readonly kind: 'absolute'; readonly limit: GramsCO2PerKWh }
  /** A percentile (0..100) of the intensities from now to the deadline (current value and forecast). */
  | { readonly kind: 'percentile'; readonly percentile: number };

/** The 30th percentile of the forecast to the deadline. */
export const DEFAULT_THRESHOLD: ThresholdOptions = { kind: 'percentile', percentile: 30 };

/**
 * Threshold: runs at full speed while the current intensity is at or below the threshold and
 * pauses above it; the deadline guard resumes work when pausing longer would miss the deadline.
 */
export function createThresholdPolicy(options: ThresholdOptions = DEFAULT_THRESHOLD): Policy {
  const what =
    options.kind === 'absolute'
      ? `${gPerKWhText(options.limit)}`
      : `the ${options.percentile}th percentile of the forecast to the deadline`;
  return {
    id: 'threshold',
    label: 'Threshold',
    description: `Trains while the grid is at or below ${what} and pauses above it, resuming early if the deadline needs it.`,
    foresight: 'forecast',
    evaluationOnly: false,
    decide(c) {
      const limit = options.kind === 'absolute' ? options.limit : windowQuantile(c, options.percentile / 100);
      const named = options.kind === 'absolute' ? 'the threshold' : `the ${options.percentile}th percentile of the forecast`;
      return guarded(
        c,
        c.current <= limit
          ? {
              duty: 1,
              kind: 'run',
              reason: `Runs: now (${gPerKWhText(c.current)}) is at or below ${named} (${gPerKWhText(limit)}).`,
            }
          : {
              duty: 0,
              kind: 'pause',
              reason: `Pauses: now (${gPerKWhText(c.current)}) is above ${named} (${gPerKWhText(limit)}).`,
            },
      );
    },
  };
}

/** Threshold with DEFAULT_THRESHOLD. */
export const thresholdPolicy: Policy = createThresholdPolicy();
