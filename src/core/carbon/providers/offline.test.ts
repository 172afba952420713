import { describe, expect, it } from 'vitest';
import { alpha3FromAlpha2, annualAverage, averageCodeName, createOfflineProvider } from './offline';

const now = () => Date.UTC(2024, 2, 1, 12);

describe('annual averages', () => {
  it('reads the Ember value for a country by alpha-2 or alpha-3 code', () => {
    const gb = annualAverage('GB');
    expect(gb.code).toBe('GBR');
    expect(gb.substituted).toBe(false);
    expect(gb.intensity).toBeGreaterThan(50);
    expect(gb.intensity).toBeLessThan(600);
    expect(annualAverage('gbr').intensity).toBe(gb.intensity);
  });

  it('falls back to the world average for an unknown code, and says so', () => {
    const unknown = annualAverage('QQ');
    expect(unknown).toMatchObject({ code: 'WORLD', substituted: true });
    expect(unknown.intensity).toBeGreaterThan(0);
  });

  it('treats a zero in the data as a gap, not as clean power', () => {
    // Ember's table lists the Central African Republic at 0 g/kWh.
    expect(annualAverage('CAF').substituted).toBe(true);
  });

  it('maps alpha-2 to alpha-3 and names codes for people', () => {
    expect(alpha3FromAlpha2('de')).toBe('DEU');
    expect(alpha3FromAlpha2('XK')).toBe('XKX');
    expect(averageCodeName('DEU')).toBe('Germany');
    expect(averageCodeName('WORLD')).toBe('World');
    expect(averageCodeName('LATIN AMERICA AND CARIBBEAN')).toBe('Latin America And Caribbean');
  });
});

describe('createOfflineProvider', () => {
  it('answers current, forecast and history with the same constant, without a network', async () => {
    const p = createOfflineProvider({ country: 'FR', now });
    const current = await p.current();
    expect(current).toMatchObject({ provider: 'offline', region: 'FRA', regionName: 'France', signal: 'average' });
    expect(current.points[0]).toMatchObject({ from: Date.UTC(2024, 0, 1), to: Date.UTC(2025, 0, 1), kind: 'annual-average' });
    const forecast = await p.forecast();
    expect(forecast.points[0]?.intensity).toBe(current.points[0]?.intensity);
    const history = await p.history(0, 1000);
    expect(history.points[0]).toMatchObject({ from: 0, to: 1000 });
  });

  it('labels a substituted world average with the code that had no data', async () => {
    const s = await createOfflineProvider({ country: 'QQ', now }).current();
    expect(s.regionName).toBe('World (no data for QQ)');
  });
});
