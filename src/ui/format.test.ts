import { describe, expect, it } from 'vitest';
import { formatMilliseconds, formatWattHours } from './format';

describe('formatWattHours', () => {
  it.each([
    [1.234, '1.23 Wh'],
    [0.004567, '4.57 mWh'],
    [7.891e-6, '7.89 µWh'],
    [1.23e-8, '12.3 nWh'],
    [null, '—'],
    [Number.NaN, '—'],
  ])('writes %s as %s', (wh, text) => {
    expect(formatWattHours(wh)).toBe(text);
  });
});

describe('formatMilliseconds', () => {
  it.each([
    [0.4213, '0.42 ms'],
    [12.34, '12.3 ms'],
    [1250, '1.25 s'],
    [undefined, '—'],
  ])('writes %s as %s', (ms, text) => {
    expect(formatMilliseconds(ms)).toBe(text);
  });
});
