import type { EnergyRange, StepEnergy } from '../energy/power';
import { VARIANTS, type Variant } from '../energy/profile-types';
import {
  JOULES_PER_WATT_HOUR,
  fraction,
  gramsCO2e,
  gramsPerKWh,
  kilowattHours,
  type Fraction,
  type GramsCO2e,
  type GramsCO2PerKWh,
  type KilowattHours,
} from '../units';
import type { IntensityPoint, IntensitySeries, ProviderId } from './provider';

/** Energy used over one interval of wall time, spread evenly across it. */
export interface EnergySegment {
  /** Start, ms since the epoch. */
  readonly from: number;
  /** End, ms since the epoch; equal to `from` for an instant. */
  readonly to: number;
  readonly energy: EnergyRange;
}

/** The intensity applied to part of the run, for the report's chart. */
export interface AppliedIntensity {
  readonly from: number;
  readonly to: number;
  readonly intensity: GramsCO2PerKWh;
  /** True where no point covered this time and the nearest one was used. */
  readonly extrapolated: boolean;
}

/** Carbon of a run: per variant, with the intensity it was computed from. */
export interface CarbonResult {
  readonly grams: Readonly<Record<Variant, GramsCO2e>>;
  readonly energy: Readonly<Record<Variant, KilowattHours>>;
  /** Energy-weighted mean intensity (typical grams over typical kWh). */
  readonly meanIntensity: GramsCO2PerKWh;
  /** Share of the typical energy used at times no intensity point covered. */
  readonly extrapolatedShare: Fraction;
  readonly applied: readonly AppliedIntensity[];
}

const KWH_PER_JOULE = 1 / (JOULES_PER_WATT_HOUR * 1000);

/** Segments from metered steps: one per step, over the step's wall time. */
export const segmentsFromSteps = (steps: readonly StepEnergy[]): EnergySegment[] =>
  steps.map((s) => ({ from: s.startTime, to: s.startTime + s.wallMs, energy: s.total }));

/**
 * Merge an older and a newer list of points: where they overlap the newer wins (a fresher
 * forecast, or an actual replacing a forecast). Result sorted by start, without overlaps.
 */
export function mergePoints(older: readonly IntensityPoint[], newer: readonly IntensityPoint[]): IntensityPoint[] {
  const sortedNew = [...newer].sort((a, b) => a.from - b.from);
  const out: IntensityPoint[] = [...sortedNew];
  for (const p of older) {
    // Keep the parts of the old point that no new point covers.
    let pieces: { from: number; to: number }[] = [{ from: p.from, to: p.to }];
    for (const n of sortedNew) {
      pieces = pieces.flatMap((piece) => {
        if (n.to <= piece.from || n.from >= piece.to) return [piece];
        const rest: { from: number; to: number }[] = [];
        if (piece.from < n.from) rest.push({ from: piece.from, to: n.from });
        if (n.to < piece.to) rest.push({ from: n.to, to: piece.to });
        return rest;
      });
    }
    for (const piece of pieces) out.push({ ...p, from: piece.from, to: piece.to });
  }
  return out.sort((a, b) => a.from - b.from);
}

/** Points sorted, with overlaps clipped so a later-starting point takes over. */
function normalise(points: readonly IntensityPoint[]): IntensityPoint[] {
  const sorted = [...points].filter((p) => p.to > p.from).sort((a, b) => a.from - b.from);
  return sorted.map((p, i) => {
    const next = sorted[i + 1];
    return next !== undefined && next.from < p.to ? { ...p, to: next.from } : p;
  }).filter((p) => p.to > p.from);
}

const nearest = (points: readonly IntensityPoint[], time: number): IntensityPoint => {
  let best = points[0] as IntensityPoint;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const p of points) {
    const d = time < p.from ? p.from - time : time >= p.to ? time - p.to : 0;
    if (d < bestDistance) {
      best = p;
      bestDistance = d;
    }
  }
  return best;
};

/**
 * Carbon = sum over time of the energy used in each interval x the intensity in that interval.
 * Each segment's energy is spread evenly over its time and split across the intensity points it
 * overlaps; time no point covers takes the nearest point's intensity and is reported as
 * extrapolated, never as zero. Throws RangeError for an empty list of points.
 */
export function carbonFromSegments(segments: readonly EnergySegment[], points: readonly IntensityPoint[]): CarbonResult {
  const pts = normalise(points);
  if (pts.length === 0) throw new RangeError('Carbon needs at least one intensity point with a positive duration');
  const grams = { low: 0, typical: 0, high: 0 };
  const energy = { low: 0, typical: 0, high: 0 };
  let extrapolatedKWh = 0;
  const applied: AppliedIntensity[] = [];

  const charge = (seg: EnergySegment, share: number, intensity: number): void => {
    for (const v of VARIANTS) {
      const kWh = seg.energy[v] * KWH_PER_JOULE * share;
      grams[v] += kWh * intensity;
    }
  };

  for (const seg of segments) {
    for (const v of VARIANTS) energy[v] += seg.energy[v] * KWH_PER_JOULE;
    const duration = seg.to - seg.from;
    if (duration <= 0) {
      const p = nearest(pts, seg.from);
      const covered = seg.from >= p.from && seg.from < p.to;
      charge(seg, 1, p.intensity);
      if (!covered) extrapolatedKWh += seg.energy.typical * KWH_PER_JOULE;
      applied.push({ from: seg.from, to: seg.to, intensity: p.intensity, extrapolated: !covered });
      continue;
    }
    let coveredMs = 0;
    for (const p of pts) {
      const overlap = Math.min(seg.to, p.to) - Math.max(seg.from, p.from);
      if (overlap <= 0) continue;
      coveredMs += overlap;
      charge(seg, overlap / duration, p.intensity);
      applied.push({ from: Math.max(seg.from, p.from), to: Math.min(seg.to, p.to), intensity: p.intensity, extrapolated: false });
    }
    const uncoveredMs = duration - coveredMs;
    if (uncoveredMs > 1e-9) {
      const p = nearest(pts, (seg.from + seg.to) / 2);
      charge(seg, uncoveredMs / duration, p.intensity);
      extrapolatedKWh += seg.energy.typical * KWH_PER_JOULE * (uncoveredMs / duration);
      applied.push({ from: seg.from, to: seg.to, intensity: p.intensity, extrapolated: true });
    }
  }

  const meanIntensity =
    energy.typical > 0 ? grams.typical / energy.typical : (nearest(pts, segments[0]?.from ?? (pts[0] as IntensityPoint).from).intensity as number);
  return {
    grams: { low: gramsCO2e(grams.low), typical: gramsCO2e(grams.typical), high: gramsCO2e(grams.high) },
    energy: { low: kilowattHours(energy.low), typical: kilowattHours(energy.typical), high: kilowattHours(energy.high) },
    meanIntensity: gramsPerKWh(meanIntensity),
    extrapolatedShare: fraction(energy.typical > 0 ? Math.min(1, extrapolatedKWh / energy.typical) : 0),
    applied: mergeApplied(applied),
  };
}

/** Join neighbouring applied intervals with the same intensity, so a long run gives a short list. */
function mergeApplied(list: readonly AppliedIntensity[]): AppliedIntensity[] {
  const sorted = [...list].sort((a, b) => a.from - b.from);
  const out: AppliedIntensity[] = [];
  for (const a of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.intensity === a.intensity && last.extrapolated === a.extrapolated && a.from <= last.to) {
      out[out.length - 1] = { ...last, to: Math.max(last.to, a.to) };
    } else out.push(a);
  }
  return out;
}

/** Carbon as the headless runner's result JSON reports it (issue 3, item 10). */
export interface CarbonReport {
  /** Typical estimate. */
  readonly gCO2e: GramsCO2e;
  readonly low: GramsCO2e;
  readonly high: GramsCO2e;
  readonly region: string;
  readonly regionName: string;
  readonly provider: ProviderId;
  readonly signal: IntensitySeries['signal'];
  readonly source: string;
  readonly meanIntensity: GramsCO2PerKWh;
  readonly extrapolatedShare: Fraction;
  readonly intensitySeries: readonly { readonly time: number; readonly intensity: GramsCO2PerKWh }[];
}

/** Summarise a carbon result with the series it came from. Contains no credentials. */
export function carbonReport(result: CarbonResult, series: IntensitySeries): CarbonReport {
  return {
    gCO2e: result.grams.typical,
    low: result.grams.low,
    high: result.grams.high,
    region: series.region,
    regionName: series.regionName,
    provider: series.provider,
    signal: series.signal,
    source: series.source,
    meanIntensity: result.meanIntensity,
    extrapolatedShare: result.extrapolatedShare,
    intensitySeries: result.applied.map((a) => ({ time: a.from, intensity: a.intensity })),
  };
}
