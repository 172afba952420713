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

  it('prices steps before and after a reload gap at the trace hours they were trained in', async () => {
    // Trained 1 wall hour from T0 at WALL, tab closed 5 wall hours, continued at the saved trace position T0 + 1h.
    const resumedAt = WALL + 6 * HOUR;
    const p = createReplayProvider({
      trace: { ...trace, points: [...trace.points, { time: T0 + 3 * HOUR, intensity: gramsPerKWh(500) }] },
      now: () => resumedAt + 2 * HOUR, wallStartMs: resumedAt, traceStartMs: T0 + HOUR,
      earlier: [{ wallStartMs: WALL, traceStartMs: T0 }],
    });
    const before = await p.history(WALL, WALL + HOUR);
    expect(before.points.map((x) => [x.from, x.intensity])).toEqual([[WALL, 100]]);
    const after = await p.history(resumedAt, resumedAt + 3 * HOUR);
    expect(after.points.map((x) => x.intensity)).toEqual([100, 300, 500]);
    // The earlier stretch ends where the current one begins, so no interval straddles the reload.
    const across = await p.history(WALL + 5 * HOUR, resumedAt + 1);
    expect(across.points.at(-2)?.to).toBe(resumedAt);
  });

  it('refuses a trace with no values at all', () => {
    const empty: Trace = { ...trace, points: [{ time: T0, intensity: null }] };
    expect(() => createReplayProvider({ trace: empty, now: () => WALL })).toThrow(/no intensity values/);
  });
});
