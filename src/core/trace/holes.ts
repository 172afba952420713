import { gramsPerKWh } from '../units';
import type { Trace, TracePoint } from './types';

/**
 * How to fill the null points of a trace.
 * - `carry-forward`: a hole takes the last known value before it. It uses only the past, so a
 *   replay that fills this way never lets a decision see the future.
 * - `interpolate`: a hole takes the straight line between the known values either side. Closer to
 *   the truth for accounting, but a value inside a hole then depends on the next known value.
 * Either way, holes before the first known value take that first value (there is no earlier one),
 * and holes after the last known value take the last one.
 */
export type HoleFill = 'carry-forward' | 'interpolate';

/**
 * Returns a copy of the trace with every null intensity filled by `method`; the input is not changed.
 * Throws RangeError when the trace has no known value at all, since there is nothing to fill from.
 */
export function fillHoles(trace: Trace, method: HoleFill): Trace {
  const pts = trace.points;
  const firstKnown = pts.findIndex((p) => p.intensity !== null);
  if (firstKnown < 0) throw new RangeError(`trace "${trace.name}" has no known intensity to fill holes from`);

  const out: TracePoint[] = new Array<TracePoint>(pts.length);
  let lastKnown = -1;
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i] as TracePoint;
    if (p.intensity !== null) {
      if (method === 'interpolate' && lastKnown >= 0 && lastKnown < i - 1) {
        const a = (pts[lastKnown] as TracePoint).intensity as number;
        const b = p.intensity;
        const span = i - lastKnown;
        for (let j = lastKnown + 1; j < i; j++) {
          out[j] = { time: (pts[j] as TracePoint).time, intensity: gramsPerKWh(a + ((b - a) * (j - lastKnown)) / span) };
        }
      }
      out[i] = p;
      lastKnown = i;
    } else {
      // Carry forward now; interpolation overwrites these once the next known value is reached.
      const source = (lastKnown >= 0 ? pts[lastKnown] : pts[firstKnown]) as TracePoint;
      out[i] = { time: p.time, intensity: source.intensity };
    }
  }
  return { ...trace, points: out };
}

/** Number of points whose intensity is null. */
export const countHoles = (trace: Trace): number => trace.points.reduce((n, p) => n + (p.intensity === null ? 1 : 0), 0);
