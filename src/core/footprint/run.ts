import { carbonFromSegments, carbonReport, mergePoints, segmentsFromSteps, type CarbonReport } from '../carbon/accounting';
import { equivalents, type Equivalent } from '../carbon/equivalents';
import type { IntensityPoint, IntensitySeries } from '../carbon/provider';
import { createEnergyMeter, energyReport, meanPower, type EnergyReport, type StepRecord } from '../energy/power';
import type { Component, DeviceProfile } from '../energy/profile-types';
import {
  gramsCO2e,
  kWhFromJoules,
  wattHoursFromJoules,
  type GramsCO2e,
  type GramsCO2PerKWh,
  type KilowattHours,
  type WattHours,
  type Watts,
} from '../units';

/** The figures shown while a run trains. */
export interface LiveFootprint {
  readonly steps: number;
  /** Typical energy so far, with the low and high ends. */
  readonly wh: WattHours;
  readonly whLow: WattHours;
  readonly whHigh: WattHours;
  /** Typical carbon so far, each step at the intensity known when it was recorded. */
  readonly gCO2e: GramsCO2e;
  /** Intensity at the last step; null before any intensity is known. */
  readonly intensity: GramsCO2PerKWh | null;
}

/** One epoch's share of the run. */
export interface EpochFootprint {
  /** Counted from 1, as the epoch table shows it. */
  readonly epoch: number;
  readonly kWh: KilowattHours;
  readonly gCO2e: GramsCO2e;
}

/** Everything the report and the result file say about a finished run's footprint. */
export interface RunFootprint {
  readonly energy: EnergyReport & { readonly byEpoch: readonly EpochFootprint[] };
  readonly carbon: CarbonReport & { readonly fallbackNotice: string | null };
  readonly equivalents: readonly Equivalent[];
  readonly meanPowerW: Readonly<Record<Component, Watts>>;
  readonly durationS: number;
}

/** Accumulates a run's energy and carbon as step records arrive; all figures pure functions of its inputs. */
export interface FootprintTracker {
  /** Meter new steps and charge them at the intensity points known now. */
  addSteps(records: readonly StepRecord[]): void;
  /** Add intensity points (newer values win where they overlap). */
  addIntensity(points: readonly IntensityPoint[]): void;
  live(): LiveFootprint;
  /**
   * The run's footprint over every step, against every point known now. Null before the first
   * step or without intensity points.
   */
  finish(series: IntensitySeries, fallbackNotice: string | null): RunFootprint | null;
  readonly records: readonly StepRecord[];
}

const pointAt = (points: readonly IntensityPoint[], t: number): IntensityPoint | undefined =>
  points.find((p) => t >= p.from && t < p.to) ?? points.at(-1);

/** A tracker for one run on one profile. */
export function createFootprintTracker(profile: DeviceProfile, pue: number): FootprintTracker {
  const meter = createEnergyMeter(profile, { pue });
  const records: StepRecord[] = [];
  let points: IntensityPoint[] = [];
  let grams = 0;
  /** Steps charged with carbon so far; steps recorded before any intensity wait here. */
  let charged = 0;
  let lastIntensity: GramsCO2PerKWh | null = null;

  const chargePending = (): void => {
    if (points.length === 0 || charged === records.length) return;
    const pending = meter.steps().slice(charged);
    grams += carbonFromSegments(segmentsFromSteps(pending), points).grams.typical;
    charged = records.length;
    lastIntensity = pointAt(points, (records[records.length - 1] as StepRecord).startTime)?.intensity ?? null;
  };

  return {
    records,
    addSteps(list) {
      for (const r of list) {
        records.push(r);
        meter.record(r);
      }
      chargePending();
    },
    addIntensity(newer) {
      points = mergePoints(points, newer);
      const at = records.at(-1)?.startTime ?? points[0]?.from;
      if (at !== undefined) lastIntensity = pointAt(points, at)?.intensity ?? null;
      chargePending();
    },
    live() {
      const t = meter.total().total;
      return {
        steps: records.length,
        wh: wattHoursFromJoules(t.typical),
        whLow: wattHoursFromJoules(t.low),
        whHigh: wattHoursFromJoules(t.high),
        gCO2e: gramsCO2e(grams),
        intensity: lastIntensity,
      };
    },
    finish(series, fallbackNotice) {
      const steps = meter.steps();
      if (steps.length === 0 || points.length === 0) return null;
      const total = meter.total();
      const result = carbonFromSegments(segmentsFromSteps(steps), points);
      const byEpoch = meter.epochs().map((e) => {
        const epochSteps = steps.filter((s) => s.epoch === e.epoch);
        return {
          epoch: e.epoch + 1,
          kWh: kWhFromJoules(e.total.typical),
          gCO2e: carbonFromSegments(segmentsFromSteps(epochSteps), points).grams.typical,
        };
      });
      const energy = { ...energyReport(total, profile, meter.pue), byEpoch };
      return {
        energy,
        carbon: { ...carbonReport(result, { ...series, points }), fallbackNotice },
        equivalents: equivalents(result.grams.typical, energy.kWh),
        meanPowerW: meanPower(total),
        durationS: total.wallMs / 1000,
      };
    },
  };
}
