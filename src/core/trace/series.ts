import type { GramsCO2PerKWh } from '../units';
import type { Trace } from './types';

/**
 * The intensity of the step that contains `timeMs` (a point covers [time, time + stepMs)).
 * Returns null where the trace has no value for that time: inside a hole, or before or after the trace.
 */
export function intensityAt(trace: Trace, timeMs: number): GramsCO2PerKWh | null {
  const first = trace.points[0];
  if (first === undefined) return null;
  const index = Math.floor((timeMs - first.time) / trace.stepMs);
  return trace.points[index]?.intensity ?? null;
}

/**
 * The intensities as a Float64Array, one entry per point, NaN for a hole. The schedule code works
 * on this form because it can be sliced into past-only views without copying.
 */
export function intensityArray(trace: Trace): Float64Array {
  const a = new Float64Array(trace.points.length);
  trace.points.forEach((p, i) => {
    a[i] = p.intensity ?? Number.NaN;
  });
  return a;
}
