import { describe, expect, it } from 'vitest';
import type { EnergyRange } from '../energy/power';
import { gramsPerKWh, joules } from '../units';
import { carbonFromSegments, carbonReport, mergePoints, type EnergySegment } from './accounting';
import type { IntensityPoint, IntensitySeries } from './provider';

const KWH = 3_600_000; // joules
const MIN = 60_000;
const range = (kWh: number): EnergyRange => ({ low: joules(kWh * KWH * 0.5), typical: joules(kWh * KWH), high: joules(kWh * KWH * 2) });
const seg = (from: number, to: number, kWh: number): EnergySegment => ({ from, to, energy: range(kWh) });
const pt = (from: number, to: number, g: number): IntensityPoint => ({ from, to, intensity: gramsPerKWh(g), kind: 'actual' });

describe('carbonFromSegments', () => {
  it('equals energy x intensity under a constant intensity', () => {
    const r = carbonFromSegments([seg(0, 60 * MIN, 1)], [pt(-MIN, 120 * MIN, 200)]);
    expect(r.grams.typical).toBeCloseTo(200);
    expect(r.grams.low).toBeCloseTo(100);
    expect(r.grams.high).toBeCloseTo(400);
    expect(r.meanIntensity).toBeCloseTo(200);
    expect(r.extrapolatedShare).toBe(0);
  });

  it('splits a segment across an intensity change in the middle', () => {
    // Half the kWh at 100 g/kWh, half at 300: 50 + 150 = 200 g.
    const r = carbonFromSegments([seg(0, 60 * MIN, 1)], [pt(0, 30 * MIN, 100), pt(30 * MIN, 60 * MIN, 300)]);
    expect(r.grams.typical).toBeCloseTo(200);
    expect(r.applied.map((a) => a.intensity)).toEqual([100, 300]);
  });

  it('sums many segments, each at its own time', () => {
    const points = [pt(0, 30 * MIN, 100), pt(30 * MIN, 60 * MIN, 300)];
    // 0.2 kWh in the first half hour, 0.1 kWh in the second: 20 + 30 = 50 g.
    const r = carbonFromSegments([seg(0, 10 * MIN, 0.2), seg(40 * MIN, 50 * MIN, 0.1)], points);
    expect(r.grams.typical).toBeCloseTo(50);
    expect(r.energy.typical).toBeCloseTo(0.3);
    expect(r.meanIntensity).toBeCloseTo(50 / 0.3);
  });

  it('uses the nearest intensity for uncovered time and reports it, never a zero', () => {
    // Second half uncovered: nearest point (100) used, half the energy extrapolated.
    const r = carbonFromSegments([seg(0, 60 * MIN, 1)], [pt(0, 30 * MIN, 100)]);
    expect(r.grams.typical).toBeCloseTo(100);
    expect(r.extrapolatedShare).toBeCloseTo(0.5);
    expect(r.applied.some((a) => a.extrapolated)).toBe(true);
  });

  it('charges an instant at the intensity of its time', () => {
    const r = carbonFromSegments([seg(45 * MIN, 45 * MIN, 0.5)], [pt(0, 30 * MIN, 100), pt(30 * MIN, 60 * MIN, 300)]);
    expect(r.grams.typical).toBeCloseTo(150);
  });

  it('refuses to compute without any intensity', () => {
    expect(() => carbonFromSegments([seg(0, 1, 1)], [])).toThrow(RangeError);
  });

  it('lets a later-starting point take over where points overlap', () => {
    const r = carbonFromSegments([seg(0, 60 * MIN, 1)], [pt(0, 60 * MIN, 100), pt(30 * MIN, 60 * MIN, 300)]);
    expect(r.grams.typical).toBeCloseTo(200);
  });
});

describe('mergePoints', () => {
  it('keeps the newer value where old and new overlap', () => {
    const merged = mergePoints([pt(0, 60 * MIN, 100)], [pt(30 * MIN, 60 * MIN, 300)]);
    expect(merged.map((p) => [p.from, p.to, p.intensity])).toEqual([
      [0, 30 * MIN, 100],
      [30 * MIN, 60 * MIN, 300],
    ]);
  });
});

describe('carbonReport', () => {
  it('carries the provider, region, mean and the intensities used', () => {
    const series: IntensitySeries = {
      provider: 'offline', region: 'GBR', regionName: 'United Kingdom', signal: 'average',
      points: [pt(0, 60 * MIN, 200)], fetchedAt: 0, source: 'test',
    };
    const report = carbonReport(carbonFromSegments([seg(0, 60 * MIN, 1)], series.points), series);
    expect(report).toMatchObject({ provider: 'offline', region: 'GBR', signal: 'average' });
    expect(report.gCO2e).toBeCloseTo(200);
    expect(report.meanIntensity).toBeCloseTo(200);
    expect(report.intensitySeries).toEqual([{ time: 0, intensity: 200 }]);
  });
});
