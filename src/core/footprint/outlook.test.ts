import { describe, expect, it } from 'vitest';
import type { IntensityPoint } from '../carbon/provider';
import { gramsPerKWh } from '../units';
import { alignOutlook } from './outlook';

const H = 3_600_000;
const point = (from: number, intensity: number, length = H): IntensityPoint => ({ from, to: from + length, intensity: gramsPerKWh(intensity), kind: 'actual' });

describe('alignOutlook', () => {
  it('takes the latest interval that has begun and the forecast intervals after it, in time order', () => {
    const o = alignOutlook([point(2 * H, 300), point(0, 100), point(H, 200)], [point(4 * H, 50), point(H, 999), point(3 * H, 40)], 1.5 * H);
    expect(o).toEqual({ stepMs: H, current: 200, forecast: [40, 50] });
  });

  it('uses the earliest interval when none has begun yet', () => {
    expect(alignOutlook([point(2 * H, 300), point(H, 200)], [], 0)?.current).toBe(200);
  });

  it('assumes at least a minute per step, and nothing without a current point', () => {
    expect(alignOutlook([point(0, 100, 1000)], [], 10)?.stepMs).toBe(60_000);
    expect(alignOutlook([], [point(0, 1)], 0)).toBeNull();
  });
});
