import { describe, expect, it } from 'vitest';
import { carbonFromSegments, carbonReport } from './accounting';
import { cachedProvider } from './cache';
import { codeCarbonRow, toCodeCarbonCsv, toCodeCarbonJson } from './codecarbon';
import { withFallback } from './fallback';
import type { CarbonProvider } from './provider';
import { createElectricityMapsProvider } from './providers/electricity-maps';
import { fakeFetch, type FakeAnswer } from './providers/fake-fetch';
import { ELECTRICITY_MAPS_FIXTURES, FIXTURE_NOW, HTTP_FAILURE_FIXTURES, WATTTIME_FIXTURES, type FixtureResponse } from './providers/fixtures';
import { createOfflineProvider } from './providers/offline';
import { createWattTimeProvider } from './providers/watttime';
import { joules, kilowattHours, watts } from '../units';

const EM_KEY = 'EMKEY-s3cr3t-0123456789';
const WT_USER = 'wt-user-s3cr3t';
const WT_PASS = 'wt-pass-s3cr3t';
const WT_TOKEN = 'wt-token-s3cr3t-abcdef';
const SECRETS = [EM_KEY, WT_USER, WT_PASS, WT_TOKEN, btoa(`${WT_USER}:${WT_PASS}`)];
const EM_BASE = 'http://127.0.0.1:9999/em/v3';
const WT_BASE = 'http://127.0.0.1:9999/wt';

/** Error answers that echo the provider's own secrets back, as a hostile or buggy server might. */
function failures(secrets: readonly string[]): readonly [string, FakeAnswer | 'ok'][] {
  const said = secrets.join(' ');
  const echo = (status: number, extra: Partial<FixtureResponse> = {}): FixtureResponse => ({
    status,
    body: { error: { message: `bad credentials ${said}` }, message: `echo ${said}` },
    ...extra,
  });
  return [
    ['success', 'ok'],
    ['400 echoing the secrets', echo(400)],
    ['401', echo(401)],
    ['403', echo(403)],
    ['404 echoing the secrets', echo(404)],
    ['429', echo(429, { headers: { 'retry-after': '10' } })],
    ['500', echo(500)],
    ['offline', 'offline'],
    ['timeout', 'hang'],
    ['HTML body', HTTP_FAILURE_FIXTURES.notJson],
    ['wrong shape echoing the secrets', { status: 200, body: { datetime: said, carbonIntensity: said, data: said, meta: { units: said } } }],
  ];
}
const EM_SECRETS = [EM_KEY];
const WT_SECRETS = [WT_USER, WT_PASS, WT_TOKEN, btoa(`${WT_USER}:${WT_PASS}`)];

const emProvider = (answer: FakeAnswer | 'ok') => {
  const fetch = fakeFetch(() => (answer === 'ok' ? ELECTRICITY_MAPS_FIXTURES.latest : answer));
  return { fetch, provider: createElectricityMapsProvider({ fetch, now: () => FIXTURE_NOW, baseUrl: EM_BASE, apiKey: EM_KEY, zone: 'DE', timeoutMs: 20 }) };
};

const wtProvider = (answer: FakeAnswer | 'ok') => {
  const fetch = fakeFetch((url) =>
    url.endsWith('/login') ? { ...WATTTIME_FIXTURES.login, body: { token: WT_TOKEN } } : answer === 'ok' ? WATTTIME_FIXTURES.forecast : answer,
  );
  return {
    fetch,
    provider: createWattTimeProvider({ fetch, now: () => FIXTURE_NOW, baseUrl: WT_BASE, username: WT_USER, password: WT_PASS, region: 'CAISO_NORTH', timeoutMs: 20 }),
  };
};

/** Everything an app could show, log, link or export after asking a provider. */
async function everythingSerialisable(provider: CarbonProvider): Promise<string[]> {
  const out: string[] = [JSON.stringify(provider), String(provider)];
  const cached = cachedProvider(provider, { now: () => FIXTURE_NOW });
  const fallback = createOfflineProvider({ country: 'DE', now: () => FIXTURE_NOW });
  const outcome = await withFallback(cached, fallback, (p) => p.current());
  out.push(JSON.stringify(outcome), String(outcome.notice), JSON.stringify(cached.entries()), ...cached.entries().map((e) => e.key));
  if (outcome.error !== null) out.push(outcome.error.message, String(outcome.error), outcome.error.stack ?? '', JSON.stringify(outcome.error));
  const energy = { low: joules(1000), typical: joules(2000), high: joules(3000) };
  const result = carbonFromSegments([{ from: FIXTURE_NOW, to: FIXTURE_NOW + 1000, energy }], outcome.series.points);
  out.push(JSON.stringify(carbonReport(result, outcome.series)));
  const row = codeCarbonRow({
    endedAt: FIXTURE_NOW, projectName: 'lab', runId: 'r', experimentId: 'e', durationS: 1,
    energy: { kWh: kilowattHours(1), low: kilowattHours(0.5), high: kilowattHours(2), byComponent: { gpu: kilowattHours(1), cpu: kilowattHours(0), ram: kilowattHours(0) }, pue: 1, deviceProfile: 'x', method: 'duty-cycle', meteredSeconds: 1 },
    meanPowerW: { gpu: watts(1), cpu: watts(0), ram: watts(0) }, gCO2e: result.grams.typical,
    countryName: outcome.series.regionName, countryIsoCode: outcome.series.region, region: outcome.series.region,
    os: 'test', cpuCount: 4, cpuModel: 'cpu', gpuCount: 1, gpuModel: 'gpu', ramTotalGB: 8,
  });
  out.push(toCodeCarbonCsv([row]), toCodeCarbonJson([row]));
  return out;
}

describe('credentials', () => {
  describe.each([
    ['Electricity Maps', emProvider, EM_BASE, EM_SECRETS],
    ['WattTime', wtProvider, WT_BASE, WT_SECRETS],
  ] as const)('%s', (_, make, base, secrets) => {
    it.each(failures(secrets))('never appear in any message, answer, cache key or export (%s)', async (__, answer) => {
      const { provider } = make(answer);
      const texts = await everythingSerialisable(provider);
      for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret);
    });

    it.each(failures(secrets))('are sent only to their own base URL, in headers, never in the URL (%s)', async (__, answer) => {
      const { fetch, provider } = make(answer);
      await provider.current().catch(() => undefined);
      expect(fetch.calls.length).toBeGreaterThan(0);
      for (const call of fetch.calls) {
        expect(call.url.startsWith(`${base}/`)).toBe(true);
        for (const secret of SECRETS) expect(call.url).not.toContain(secret);
      }
    });
  });

  it('the key of one provider never reaches another', async () => {
    const emFetch = fakeFetch(() => ELECTRICITY_MAPS_FIXTURES.latest);
    const wtFetch = fakeFetch((url) => (url.endsWith('/login') ? WATTTIME_FIXTURES.login : WATTTIME_FIXTURES.forecast));
    await createElectricityMapsProvider({ fetch: emFetch, now: () => FIXTURE_NOW, baseUrl: EM_BASE, apiKey: EM_KEY, zone: 'DE' }).current();
    await createWattTimeProvider({ fetch: wtFetch, now: () => FIXTURE_NOW, baseUrl: WT_BASE, username: WT_USER, password: WT_PASS, region: 'CAISO_NORTH' }).current();
    const wtHeaders = JSON.stringify(wtFetch.calls);
    const emHeaders = JSON.stringify(emFetch.calls);
    expect(wtHeaders).not.toContain(EM_KEY);
    expect(emHeaders).not.toContain(WT_PASS);
    expect(emHeaders).not.toContain(WT_USER);
  });
});
