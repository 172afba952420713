import { describe, expect, it } from 'vitest';
import type { Trace } from '../../trace';
import { gramsPerKWh } from '../../units';
import { createReplayProvider } from './replay';

const HOUR = 3_600_000;
const T0 = Date.UTC(2022, 0, 1);
const trace: Trace = {
  name: 'test-trace',
  layout: 'two-column',
  stepMs: HOUR,
  points: [
    { time: T0, intensity: gramsPerKWh(100) },
    { time: T0 + HOUR, intensity: null },
    { time: T0 + 2 * HOUR, intensity: gramsPerKWh(300) },
  ],
};
const WALL = Date.UTC(2024, 2, 1, 12);

describe('createReplayProvider', () => {
  it('plays the trace from its start at the wall time it began', async () => {
    const clock = { t: WALL };
    const p = createReplayProvider({ trace, now: () => clock.t });
    expect((await p.current()).points[0]).toMatchObject({ from: WALL, to: WALL + HOUR, intensity: 100, kind: 'recorded' });
    clock.t = WALL + 2 * HOUR + 5;
    expect((await p.current()).points[0]?.intensity).toBe(300);
  });

  it('fills a hole with the last known value, never zero', async () => {
    const p = createReplayProvider({ trace, now: () => WALL + HOUR + 1, wallStartMs: WALL });
    expect((await p.current()).points[0]?.intensity).toBe(100);
  });

  it('wraps around at the end of the trace', async () => {
    const p = createReplayProvider({ trace, now: () => WALL + 3 * HOUR + 1, wallStartMs: WALL });
    expect((await p.current()).points[0]).toMatchObject({ from: WALL + 3 * HOUR, intensity: 100 });
  });

  it('plays faster with a speed, shortening each interval', async () => {
    const p = createReplayProvider({ trace, now: () => WALL, wallStartMs: WALL, speed: 60 });
    const f = await p.forecast();
    expect(f.points[0]).toMatchObject({ from: WALL, to: WALL + 60_000 });
    expect(f.points.slice(0, 3).map((x) => x.intensity)).toEqual([100, 100, 300]);
    expect(f.source).toContain('60x');
  });

  it('gives history between two wall times', async () => {
    const p = createReplayProvider({ trace, now: () => WALL, wallStartMs: WALL });
    const h = await p.history(WALL, WALL + 3 * HOUR);
    expect(h.points.map((x) => x.intensity)).toEqual([100, 100, 300]);
  });

  it('starts at a chosen trace time', async () => {
    const p = createReplayProvider({ trace, now: () => WALL, wallStartMs: WALL, traceStartMs: T0 + 2 * HOUR });
    expect((await p.current()).points[0]?.intensity).toBe(300);
  });

  it('refuses a trace with no values at all', () => {
    const empty: Trace = { ...trace, points: [{ time: T0, intensity: null }] };
    expect(() => createReplayProvider({ trace: empty, now: () => WALL })).toThrow(/no intensity values/);
  });
});
