import { fillHoles, type Trace } from '../../trace';
import { CarbonProviderError, type CarbonProvider, type IntensityPoint, type IntensitySeries } from '../provider';
import { checkRange } from './common';

const ID = 'replay';
const LABEL = 'Recorded trace';
const FORECAST_WINDOW_MS = 48 * 3_600_000;
/** Most points one answer returns, so a fast replay cannot build a huge array. */
export const REPLAY_MAX_POINTS = 5000;

/** Options of the replay provider. */
export interface ReplayOptions {
  /** A parsed trace (see src/core/trace). Holes are filled by carrying the last known value forward. */
  readonly trace: Trace;
  readonly now: () => number;
  /** Wall-clock time at which the replay starts; defaults to `now()` at creation. */
  readonly wallStartMs?: number;
  /** Trace time that plays at `wallStartMs`; defaults to the trace's first point. */
  readonly traceStartMs?: number;
  /** Trace time per wall time: 1 plays in real time, 60 plays an hour of trace per minute. */
  readonly speed?: number;
  /**
   * Earlier stretches of the same replay, for a run continued after a reload: each maps wall time
   * from its `wallStartMs` onto trace time from its `traceStartMs`, until the next stretch (or the
   * current one at `wallStartMs`) begins. Steps trained before the reload are then priced at the
   * trace hours they were trained in, not shifted by the time the tab was closed.
   */
  readonly earlier?: readonly ReplaySegment[];
}

/** One stretch of a replay's wall-to-trace clock. */
export interface ReplaySegment {
  readonly wallStartMs: number;
  readonly traceStartMs: number;
}

/** The clock of a replay continued after a reload: the trace time it continues from, and its stretches before. */
export interface ResumedReplayClock {
  readonly fromMs: number;
  readonly earlier: readonly ReplaySegment[];
}

/**
 * A provider that plays a recorded trace as if it were live, for classes and demos. Wall time
 * maps linearly onto trace time and wraps around at the trace's end. Its forecast is the trace
 * itself, a perfect forecast, which the UI should say. Throws `no-data` if the trace has no values.
 */
export function createReplayProvider(options: ReplayOptions): CarbonProvider {
  const { trace, now } = options;
  const first = trace.points[0];
  if (first === undefined || trace.points.every((p) => p.intensity === null)) {
    throw new CarbonProviderError(ID, LABEL, 'no-data', { detail: `The trace "${trace.name}" has no intensity values` });
  }
  const filled = fillHoles(trace, 'carry-forward');
  const step = trace.stepMs;
  const length = filled.points.length * step;
  const speed = options.speed !== undefined && Number.isFinite(options.speed) && options.speed > 0 ? options.speed : 1;
  const wallStart = options.wallStartMs ?? now();
  const traceStart = options.traceStartMs ?? first.time;
  const source = `Recorded trace "${trace.name}" (${trace.layout} layout)${speed === 1 ? '' : `, played at ${speed}x`}`;

  const segments = clockSegments(options.earlier ?? [], { wallStartMs: wallStart, traceStartMs: traceStart });

  /** The trace point playing at a wall time, and the wall interval it plays over (cut where the next stretch begins). */
  const pointAtWall = (wall: number): IntensityPoint => {
    let at = 0;
    while (at + 1 < segments.length && (segments[at + 1]?.wallStartMs ?? Infinity) <= wall) at++;
    const segWall = segments[at]?.wallStartMs ?? wallStart;
    const segTrace = segments[at]?.traceStartMs ?? traceStart;
    const nextWall = segments[at + 1]?.wallStartMs ?? Infinity;
    const offset = segTrace - first.time + (wall - segWall) * speed;
    const loop = Math.floor(offset / length);
    const index = Math.min(filled.points.length - 1, Math.floor((offset - loop * length) / step));
    const traceFrom = first.time + loop * length + index * step;
    const from = segWall + (traceFrom - segTrace) / speed;
    // Filled above, so every point has a value.
    const intensity = filled.points[index]?.intensity ?? first.intensity;
    return { from, to: Math.min(from + step / speed, nextWall), intensity: intensity as NonNullable<typeof intensity>, kind: 'recorded' };
  };

  const pointsBetween = (fromMs: number, toMs: number): IntensityPoint[] => {
    const out: IntensityPoint[] = [];
    let t = fromMs;
    while (t < toMs && out.length < REPLAY_MAX_POINTS) {
      const p = pointAtWall(t);
      out.push(p);
      t = Math.max(p.to, t + 1);
    }
    return out;
  };

  const seriesOf = (points: readonly IntensityPoint[]): IntensitySeries => ({
    provider: ID, region: trace.name, regionName: `Recorded trace ${trace.name}`, signal: 'average', points, fetchedAt: now(), source,
  });

  return {
    id: ID,
    label: LABEL,
    region: trace.name,
    capabilities: { forecast: true, history: true },
    current: async () => seriesOf([pointAtWall(now())]),
    forecast: async () => {
      const t = now();
      return seriesOf(pointsBetween(t, t + FORECAST_WINDOW_MS));
    },
    history: async (fromMs, toMs) => {
      checkRange(ID, LABEL, fromMs, toMs);
      return seriesOf(pointsBetween(fromMs, toMs));
    },
  };
}

/** The clock's stretches in wall order, ending with the current one; earlier stretches that start at or after it are dropped. */
function clockSegments(earlier: readonly ReplaySegment[], current: ReplaySegment): ReplaySegment[] {
  const usable = earlier.filter((seg) => Number.isFinite(seg.wallStartMs) && Number.isFinite(seg.traceStartMs) && seg.wallStartMs < current.wallStartMs);
  return [...usable].sort((a, b) => a.wallStartMs - b.wallStartMs).concat([current]);
}
