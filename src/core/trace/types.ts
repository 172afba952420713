import type { GramsCO2PerKWh } from '../units';

/** One hourly (or other fixed-step) sample of grid carbon intensity. */
export interface TracePoint {
  /** Start of the interval, milliseconds since the Unix epoch (UTC). */
  readonly time: number;
  /** Average intensity over the interval; null where the source row was empty (a hole). */
  readonly intensity: GramsCO2PerKWh | null;
}

/** Which file layout a trace was recognised as, from its header. */
export type TraceLayout = 'dc-rl' | 'two-column' | 'electricity-maps';

export interface Trace {
  /** Short name, e.g. the region code or the file name without extension. */
  readonly name: string;
  readonly layout: TraceLayout;
  /** Step between points in milliseconds (3_600_000 for hourly traces). */
  readonly stepMs: number;
  /** Points in time order, evenly spaced by stepMs. */
  readonly points: readonly TracePoint[];
}
