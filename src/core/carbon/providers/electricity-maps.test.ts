import { describe, expect, it } from 'vitest';
import { CarbonProviderError } from '../provider';
import { createElectricityMapsProvider, parseForecast, parseHistory, parseLatest } from './electricity-maps';
import { routeFetch } from './fake-fetch';
import { ELECTRICITY_MAPS_FIXTURES, FIXTURE_NOW, HTTP_FAILURE_FIXTURES } from './fixtures';
import { ShapeError } from './shape';

const BASE = 'http://127.0.0.1:9999/em/v3';
const KEY = 'em-test-key';
const now = () => FIXTURE_NOW;

describe('Electricity Maps parsers', () => {
  it('reads latest as one estimated hour', () => {
    expect(parseLatest(ELECTRICITY_MAPS_FIXTURES.latest.body)).toEqual([
      { from: Date.UTC(2024, 2, 1, 12), to: Date.UTC(2024, 2, 1, 13), intensity: 312, kind: 'estimated' },
    ]);
  });

  it('reads the forecast list', () => {
    expect(parseForecast(ELECTRICITY_MAPS_FIXTURES.forecast.body).map((p) => p.intensity)).toEqual([305, 290, 301]);
  });

  it('skips an hour with a null value in history rather than reading it as zero', () => {
    const points = parseHistory(ELECTRICITY_MAPS_FIXTURES.history.body);
    expect(points.map((p) => p.intensity)).toEqual([330, 318]);
    expect(points[0]?.kind).toBe('actual');
  });

  it('honours a 5-minute granularity', () => {
    const [p] = parseLatest({ carbonIntensity: 100, datetime: '2024-03-01T12:00:00Z', temporalGranularity: '5_minutes' });
    expect(p && p.to - p.from).toBe(300_000);
  });

  it('rejects a wrong shape', () => {
    expect(() => parseLatest(ELECTRICITY_MAPS_FIXTURES.wrongShape.body)).toThrow(ShapeError);
    expect(() => parseForecast({ zone: 'DE' })).toThrow(ShapeError);
    expect(() => parseLatest({ carbonIntensity: -5, datetime: '2024-03-01T12:00:00Z' })).toThrow(ShapeError);
  });
});

describe('createElectricityMapsProvider', () => {
  const routes = {
    '/carbon-intensity/latest?zone=DE': ELECTRICITY_MAPS_FIXTURES.latest,
    '/carbon-intensity/forecast?zone=DE': ELECTRICITY_MAPS_FIXTURES.forecast,
    '/carbon-intensity/history?zone=DE': ELECTRICITY_MAPS_FIXTURES.history,
  };

  it('sends the key in the auth-token header to the configured base URL', async () => {
    const fetch = routeFetch(BASE, routes);
    const s = await createElectricityMapsProvider({ fetch, now, baseUrl: BASE, apiKey: KEY, zone: 'DE' }).current();
    expect(fetch.calls[0]?.url).toBe(`${BASE}/carbon-intensity/latest?zone=DE`);
    expect(fetch.calls[0]?.headers['auth-token']).toBe(KEY);
    expect(s).toMatchObject({ provider: 'electricity-maps', region: 'DE', signal: 'average' });
    expect(s.points[0]?.intensity).toBe(312);
  });

  it('answers forecast and the part of history asked for', async () => {
    const fetch = routeFetch(BASE, routes);
    const p = createElectricityMapsProvider({ fetch, now, baseUrl: BASE, apiKey: KEY, zone: 'DE' });
    expect((await p.forecast()).points).toHaveLength(3);
    const h = await p.history(Date.UTC(2024, 2, 1, 11), Date.UTC(2024, 2, 1, 12));
    expect(h.points.map((x) => x.intensity)).toEqual([318]);
    await expect(p.history(Date.UTC(2024, 1, 1), Date.UTC(2024, 1, 2))).rejects.toMatchObject({ kind: 'no-data' });
  });

  it.each([
    ['401', ELECTRICITY_MAPS_FIXTURES.unauthorized, 'unauthorized'],
    ['403', ELECTRICITY_MAPS_FIXTURES.forbiddenZone, 'forbidden'],
    ['429', ELECTRICITY_MAPS_FIXTURES.rateLimited, 'rate-limited'],
    ['503', HTTP_FAILURE_FIXTURES.serviceUnavailable, 'server'],
    ['HTML instead of JSON', HTTP_FAILURE_FIXTURES.notJson, 'malformed'],
    ['wrong shape', ELECTRICITY_MAPS_FIXTURES.wrongShape, 'malformed'],
  ] as const)('maps %s to a typed error that names the fallback', async (_, fixture, kind) => {
    const fetch = routeFetch(BASE, { '/carbon-intensity/latest?zone=DE': fixture });
    const error = await createElectricityMapsProvider({ fetch, now, baseUrl: BASE, apiKey: KEY, zone: 'DE' }).current().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarbonProviderError);
    expect(error).toMatchObject({ kind, provider: 'electricity-maps' });
    expect((error as Error).message).toMatch(/^Electricity Maps /);
    expect((error as Error).message).toMatch(/offline annual average/);
  });

  it('reads Retry-After on a 429', async () => {
    const fetch = routeFetch(BASE, { '/carbon-intensity/latest?zone=DE': ELECTRICITY_MAPS_FIXTURES.rateLimited });
    const error = await createElectricityMapsProvider({ fetch, now, baseUrl: BASE, apiKey: KEY, zone: 'DE' }).current().catch((e: unknown) => e);
    expect(error).toMatchObject({ retryAfterMs: 120_000 });
    expect((error as Error).message).toContain('120 s');
  });

  it('refuses an empty key or an odd zone before any request', () => {
    const fetch = routeFetch(BASE, routes);
    expect(() => createElectricityMapsProvider({ fetch, now, apiKey: ' ', zone: 'DE' })).toThrow(/API key/);
    expect(() => createElectricityMapsProvider({ fetch, now, apiKey: KEY, zone: '../DE' })).toThrow(CarbonProviderError);
    expect(fetch.calls).toHaveLength(0);
  });
});
