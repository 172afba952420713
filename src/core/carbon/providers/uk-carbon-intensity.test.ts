import { describe, expect, it } from 'vitest';
import { CarbonProviderError, FALLBACK_SENTENCE } from '../provider';
import { routeFetch } from './fake-fetch';
import { ShapeError } from './shape';
import { FIXTURE_NOW, UK_FIXTURES } from './fixtures';
import {
  createUkCarbonIntensityProvider,
  outwardPostcode,
  parseNationalIntensity,
  parseRegionalIntensity,
  UK_CARBON_INTENSITY_BASE_URL,
  ukApiTime,
} from './uk-carbon-intensity';

const BASE = 'http://127.0.0.1:9999/uk';
const now = () => FIXTURE_NOW;

describe('UK Carbon Intensity parsers', () => {
  it('reads the documented national shape, preferring actual over forecast', () => {
    const points = parseNationalIntensity(UK_FIXTURES.nationalForecast.body);
    expect(points).toHaveLength(4);
    expect(points[0]).toMatchObject({ from: Date.UTC(2024, 2, 1, 12, 0), to: Date.UTC(2024, 2, 1, 12, 30), intensity: 190, kind: 'actual' });
    expect(points[1]).toMatchObject({ intensity: 180, kind: 'forecast' });
  });

  it('drops a half hour with neither forecast nor actual instead of reading it as zero', () => {
    const points = parseNationalIntensity(UK_FIXTURES.nationalWithHole.body);
    expect(points).toHaveLength(1);
    expect(points.every((p) => p.intensity > 0)).toBe(true);
  });

  it('reads regional data given as an array, with the generation mix', () => {
    const r = parseRegionalIntensity(UK_FIXTURES.regionalPostcode.body);
    expect(r.regionId).toBe(12);
    expect(r.name).toBe('South England');
    expect(r.points[0]).toMatchObject({ intensity: 143, kind: 'forecast' });
    expect(r.generationMix.find((m) => m.fuel === 'wind')?.percent).toBe(23.7);
  });

  it('reads regional forecast data given as an object where the docs show an array', () => {
    const r = parseRegionalIntensity(UK_FIXTURES.regionalForecastObject.body);
    expect(r.regionId).toBe(13);
    expect(r.points.map((p) => p.intensity)).toEqual([201, 150]);
  });

  it.each([
    ['data missing', UK_FIXTURES.missingData.body],
    ['a number sent as a string', UK_FIXTURES.wrongTypes.body],
    ['not an object', [1, 2, 3]],
  ])('rejects a wrong shape: %s', (_, body) => {
    expect(() => parseNationalIntensity(body)).toThrow(ShapeError);
  });
});

describe('outwardPostcode', () => {
  it.each([
    ['RG10', 'RG10'],
    ['rg10 9xx', 'RG10'],
    ['SW1A 1AA', 'SW1A'],
    ['sw1a1aa', 'SW1A'],
    ['W1', 'W1'],
    ['', null],
    ['12345', null],
    ['London', null],
  ])('%s -> %s', (input, expected) => {
    expect(outwardPostcode(input)).toBe(expected);
  });
});

describe('createUkCarbonIntensityProvider', () => {
  it('defaults to the public API', () => {
    const fetch = routeFetch(UK_CARBON_INTENSITY_BASE_URL, { '/intensity': UK_FIXTURES.nationalCurrent });
    return createUkCarbonIntensityProvider({ fetch, now, area: { kind: 'national' } }).current().then((s) => {
      expect(fetch.calls[0]?.url).toBe('https://api.carbonintensity.org.uk/intensity');
      expect(s.points[0]?.intensity).toBe(186);
    });
  });

  it('answers the current national half hour', async () => {
    const fetch = routeFetch(BASE, { '/intensity': UK_FIXTURES.nationalCurrent });
    const s = await createUkCarbonIntensityProvider({ fetch, now, baseUrl: BASE, area: { kind: 'national' } }).current();
    expect(s).toMatchObject({ provider: 'uk-carbon-intensity', region: 'national', regionName: 'Great Britain', signal: 'average', fetchedAt: FIXTURE_NOW });
    expect(s.points).toHaveLength(1);
  });

  it('asks for the 48 h forecast from the current half hour', async () => {
    const fetch = routeFetch(BASE, { '/intensity/2024-03-01T12:00Z/fw48h': UK_FIXTURES.nationalForecast });
    const s = await createUkCarbonIntensityProvider({ fetch, now, baseUrl: BASE, area: { kind: 'national' } }).forecast();
    expect(s.points).toHaveLength(4);
  });

  it('asks a region by outward postcode and by id', async () => {
    const fetch = routeFetch(BASE, {
      '/regional/postcode/RG10': UK_FIXTURES.regionalPostcode,
      '/regional/intensity/2024-03-01T12:00Z/fw48h/regionid/13': UK_FIXTURES.regionalForecastObject,
    });
    const byPostcode = await createUkCarbonIntensityProvider({ fetch, now, baseUrl: BASE, area: { kind: 'postcode', postcode: 'rg10 1aa' } }).current();
    expect(byPostcode.regionName).toBe('South England (RG10)');
    expect(byPostcode.generationMix?.length).toBe(9);
    const byId = await createUkCarbonIntensityProvider({ fetch, now, baseUrl: BASE, area: { kind: 'region', regionId: 13 } }).forecast();
    expect(byId.regionName).toBe('London');
    expect(byId.points).toHaveLength(2);
  });

  it('asks history between two times', async () => {
    const fetch = routeFetch(BASE, { [`/intensity/${ukApiTime(FIXTURE_NOW - 3_600_000)}/${ukApiTime(FIXTURE_NOW)}`]: UK_FIXTURES.nationalForecast });
    const s = await createUkCarbonIntensityProvider({ fetch, now, baseUrl: BASE, area: { kind: 'national' } }).history(FIXTURE_NOW - 3_600_000, FIXTURE_NOW);
    expect(s.points.length).toBeGreaterThan(0);
  });

  it('turns the API error for a bad postcode into a clear message with the fallback', async () => {
    const fetch = routeFetch(BASE, { '/regional/postcode/ZZ9': UK_FIXTURES.badPostcode });
    const p = createUkCarbonIntensityProvider({ fetch, now, baseUrl: BASE, area: { kind: 'postcode', postcode: 'ZZ9' } });
    const error = await p.current().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarbonProviderError);
    expect(error).toMatchObject({ kind: 'bad-request', status: 400 });
    expect((error as Error).message).toContain('Please enter a valid postcode');
    expect((error as Error).message).toContain(FALLBACK_SENTENCE);
  });

  it('reports an answer of holes only as no data', async () => {
    const fetch = routeFetch(BASE, { '/intensity': UK_FIXTURES.allHoles });
    await expect(createUkCarbonIntensityProvider({ fetch, now, baseUrl: BASE, area: { kind: 'national' } }).current()).rejects.toMatchObject({ kind: 'no-data' });
  });

  it('reports a wrong shape as malformed, naming the field', async () => {
    const fetch = routeFetch(BASE, { '/intensity': UK_FIXTURES.wrongTypes });
    const error = await createUkCarbonIntensityProvider({ fetch, now, baseUrl: BASE, area: { kind: 'national' } }).current().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'malformed' });
    expect((error as Error).message).toContain('intensity.forecast');
  });

  it('refuses a region id outside 1-17 and a text that is not a postcode at once', () => {
    const fetch = routeFetch(BASE, {});
    expect(() => createUkCarbonIntensityProvider({ fetch, now, area: { kind: 'region', regionId: 18 } })).toThrow(CarbonProviderError);
    expect(() => createUkCarbonIntensityProvider({ fetch, now, area: { kind: 'postcode', postcode: 'nowhere' } })).toThrow(/postcode/);
    expect(fetch.calls).toHaveLength(0);
  });
});
