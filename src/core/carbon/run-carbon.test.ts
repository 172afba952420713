import { describe, expect, it } from 'vitest';
import { createEnergyMeter } from '../energy/power';
import { matchProfile } from '../energy/profiles';
import type { Trace } from '../trace';
import { gramsPerKWh } from '../units';
import { carbonFromSegments, carbonReport, segmentsFromSteps } from './accounting';
import { createReplayProvider } from './providers/replay';

const HOUR = 3_600_000;
const T0 = Date.UTC(2022, 5, 1);
const WALL = Date.UTC(2024, 2, 1, 12);
const constantTrace: Trace = {
  name: 'constant-250',
  layout: 'two-column',
  stepMs: HOUR,
  points: Array.from({ length: 48 }, (_, i) => ({ time: T0 + i * HOUR, intensity: gramsPerKWh(250) })),
};

describe('a run from meter to grams', () => {
  it('with a constant-intensity replay, carbon equals energy x intensity', async () => {
    const { profile } = matchProfile({ vendor: 'nvidia', architecture: 'ampere' }, 16, 16);
    const meter = createEnergyMeter(profile);
    for (let i = 0; i < 200; i++) {
      meter.record({ startTime: WALL + i * 500, wallMs: 480, busyMs: 400, gpuKernelMs: i % 2 === 0 ? 300 : null, epoch: Math.floor(i / 100) });
    }
    const replay = createReplayProvider({ trace: constantTrace, now: () => WALL, wallStartMs: WALL });
    const total = meter.total();
    const series = await replay.history(total.startTime ?? WALL, total.endTime ?? WALL + 1);
    const result = carbonFromSegments(segmentsFromSteps(meter.steps()), series.points);
    const kWh = total.total.typical / 3_600_000;
    expect(result.energy.typical).toBeCloseTo(kWh, 12);
    expect(result.grams.typical).toBeCloseTo(kWh * 250, 9);
    expect(result.grams.low).toBeLessThan(result.grams.typical);
    expect(result.grams.high).toBeGreaterThan(result.grams.typical);
    expect(carbonReport(result, series).meanIntensity).toBeCloseTo(250, 9);
  });
});
