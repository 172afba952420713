import { describe, expect, it } from 'vitest';
import { fakeFetch, type FakeAnswer } from './fake-fetch';
import { FIXTURE_NOW, WATTTIME_FIXTURES } from './fixtures';
import { ShapeError } from './shape';
import {
  createWattTimeProvider,
  GRAMS_PER_KWH_PER_LBS_PER_MWH,
  gramsPerKWhFromLbsPerMWh,
  parseLogin,
  parseMoer,
  WATTTIME_TOKEN_LIFETIME_MS,
} from './watttime';

const BASE = 'http://127.0.0.1:9999/wt';
const FORECAST = `${BASE}/v3/forecast?region=CAISO_NORTH&signal_type=co2_moer`;

describe('WattTime conversion', () => {
  it('converts lbs/MWh to g/kWh with the exact pound', () => {
    expect(GRAMS_PER_KWH_PER_LBS_PER_MWH).toBe(0.45359237);
    expect(gramsPerKWhFromLbsPerMWh(1000)).toBeCloseTo(453.59237, 8);
  });
});

describe('WattTime parsers', () => {
  it('reads co2_moer points in g/kWh over 5-minute intervals', () => {
    const points = parseMoer(WATTTIME_FIXTURES.forecast.body);
    expect(points).toHaveLength(3);
    expect(points[0]).toMatchObject({ from: Date.UTC(2024, 2, 1, 12, 10), to: Date.UTC(2024, 2, 1, 12, 15), kind: 'forecast' });
    expect(points[0]?.intensity).toBeCloseTo(870.5 * 0.45359237, 6);
  });

  it('refuses a percentile index instead of misreading it as lbs/MWh', () => {
    expect(() => parseMoer(WATTTIME_FIXTURES.percentileUnits.body)).toThrow(/percentile/);
  });

  it.each([0, -300, 'soon'])('refuses a data_point_period_seconds of %j as malformed, naming the field', (period) => {
    const body = WATTTIME_FIXTURES.forecast.body as { meta: Record<string, unknown> };
    const answer = { ...body, meta: { ...body.meta, data_point_period_seconds: period } };
    expect(() => parseMoer(answer)).toThrow(ShapeError);
    expect(() => parseMoer(answer)).toThrow(/meta\.data_point_period_seconds to be a positive number of seconds/);
  });

  it('takes the documented 5 minutes when data_point_period_seconds is absent', () => {
    const body = WATTTIME_FIXTURES.forecast.body as { meta: Record<string, unknown> };
    const { data_point_period_seconds: _dropped, ...meta } = body.meta;
    const points = parseMoer({ ...body, meta });
    expect((points[0]?.to ?? 0) - (points[0]?.from ?? 0)).toBe(300_000);
  });

  it('refuses an answer without meta, and a login without token', () => {
    expect(() => parseMoer(WATTTIME_FIXTURES.missingMeta.body)).toThrow(ShapeError);
    expect(() => parseLogin(WATTTIME_FIXTURES.loginNoToken.body)).toThrow(ShapeError);
  });
});

describe('createWattTimeProvider', () => {
  const make = (answers: Record<string, FakeAnswer>, clock = { t: FIXTURE_NOW }) => {
    const fetch = fakeFetch((url) => answers[url] ?? { status: 404, body: {} });
    const provider = createWattTimeProvider({ fetch, now: () => clock.t, baseUrl: BASE, username: 'alice', password: 'pa55word', region: 'CAISO_NORTH' });
    return { fetch, provider, clock };
  };

  it('logs in with basic auth, then sends the bearer token', async () => {
    const { fetch, provider } = make({ [`${BASE}/login`]: WATTTIME_FIXTURES.login, [FORECAST]: WATTTIME_FIXTURES.forecast });
    const s = await provider.current();
    expect(fetch.calls[0]?.url).toBe(`${BASE}/login`);
    expect(fetch.calls[0]?.headers.authorization).toBe(`Basic ${btoa('alice:pa55word')}`);
    expect(fetch.calls[1]?.headers.authorization).toBe('Bearer fixture-watttime-token-0000');
    expect(s).toMatchObject({ provider: 'watttime', region: 'CAISO_NORTH', signal: 'marginal' });
    expect(s.points).toHaveLength(1);
    expect(s.points[0]?.from).toBe(Date.UTC(2024, 2, 1, 12, 10));
  });

  it('reuses the token until it nears expiry, then logs in again', async () => {
    const { fetch, provider, clock } = make({ [`${BASE}/login`]: WATTTIME_FIXTURES.login, [FORECAST]: WATTTIME_FIXTURES.forecast });
    await provider.current();
    await provider.forecast();
    expect(fetch.calls.filter((c) => c.url.endsWith('/login'))).toHaveLength(1);
    clock.t += WATTTIME_TOKEN_LIFETIME_MS + 1;
    await provider.current();
    expect(fetch.calls.filter((c) => c.url.endsWith('/login'))).toHaveLength(2);
  });

  it('says the credentials were refused when login answers 401, and does not retry', async () => {
    const { fetch, provider } = make({ [`${BASE}/login`]: WATTTIME_FIXTURES.loginUnauthorized });
    const error = await provider.current().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unauthorized', provider: 'watttime' });
    expect((error as Error).message).toContain('username or password');
    expect(fetch.calls).toHaveLength(1);
  });

  it('refuses data in the wrong unit as malformed', async () => {
    const { provider } = make({ [`${BASE}/login`]: WATTTIME_FIXTURES.login, [FORECAST]: WATTTIME_FIXTURES.percentileUnits });
    await expect(provider.forecast()).rejects.toMatchObject({ kind: 'malformed' });
  });

  it('fails as malformed, so the lab falls back, when the period is zero', async () => {
    const body = WATTTIME_FIXTURES.forecast.body as { meta: Record<string, unknown> };
    const zero = { status: 200, body: { ...body, meta: { ...body.meta, data_point_period_seconds: 0 } } };
    const { provider } = make({ [`${BASE}/login`]: WATTTIME_FIXTURES.login, [FORECAST]: zero });
    const error = await provider.current().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'malformed', provider: 'watttime' });
    expect((error as Error).message).toMatch(/data_point_period_seconds/);
  });

  it('asks history with start and end', async () => {
    const start = Date.UTC(2024, 2, 1, 11);
    const end = Date.UTC(2024, 2, 1, 11, 10);
    const url = `${BASE}/v3/historical?region=CAISO_NORTH&signal_type=co2_moer&start=${encodeURIComponent(new Date(start).toISOString())}&end=${encodeURIComponent(new Date(end).toISOString())}`;
    const { provider } = make({ [`${BASE}/login`]: WATTTIME_FIXTURES.login, [url]: WATTTIME_FIXTURES.historical });
    const s = await provider.history(start, end);
    expect(s.points.map((p) => p.kind)).toEqual(['actual', 'actual']);
  });

  it('refuses empty credentials before any request', () => {
    const fetch = fakeFetch(() => 'offline');
    expect(() => createWattTimeProvider({ fetch, now: () => 0, username: '', password: 'x', region: 'CAISO_NORTH' })).toThrow(/username or password/);
    expect(fetch.calls).toHaveLength(0);
  });
});
