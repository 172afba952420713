/**
 * What a live schedule knows about the grid now and ahead, aligned from a provider's answers:
 * the interval that holds `now` (or the earliest one), its length, and the forecast intervals
 * that start after it, in time order.
 */
import type { IntensityPoint } from '../carbon/provider';
import type { GramsCO2PerKWh } from '../units';

/** Shortest step a live schedule assumes, so a provider's instant readings do not make it decide every millisecond. */
export const MIN_OUTLOOK_STEP_MS = 60_000;

export interface AlignedOutlook {
  /** Length of the source's intervals (30 min for the UK API, an hour for most others). */
  readonly stepMs: number;
  readonly current: GramsCO2PerKWh;
  /** Forecast intensities of the intervals after the current one, in gCO2/kWh. */
  readonly forecast: readonly number[];
}

/** Aligns a provider's current points and forecast points at `now`; null when there is no current point. */
export function alignOutlook(current: readonly IntensityPoint[], forecast: readonly IntensityPoint[], now: number): AlignedOutlook | null {
  const points = [...current].sort((a, b) => a.from - b.from);
  const point = points.filter((q) => q.from <= now).at(-1) ?? points[0];
  if (!point) return null;
  const ahead = [...forecast].sort((a, b) => a.from - b.from).filter((q) => q.from > point.from);
  return { stepMs: Math.max(MIN_OUTLOOK_STEP_MS, point.to - point.from), current: point.intensity, forecast: ahead.map((q) => q.intensity as number) };
}
