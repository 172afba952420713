import { describe, expect, it } from 'vitest';
import { getJson } from '../http';
import type { CarbonProvider, FetchLike } from '../provider';
import { createElectricityMapsProvider } from './electricity-maps';
import { fakeFetch } from './fake-fetch';
import { FIXTURE_NOW, WATTTIME_FIXTURES } from './fixtures';
import { createUkCarbonIntensityProvider } from './uk-carbon-intensity';
import { createWattTimeProvider } from './watttime';

const BASE = 'http://127.0.0.1:9999/api';
const ELSEWHERE = 'https://collector.invalid/steal';
const now = () => FIXTURE_NOW;

/** Every request of the provider's base answers a 302 to another host (login excepted for WattTime). */
const redirecting = (login = false) =>
  fakeFetch((url) => (login && url === `${BASE}/login` ? WATTTIME_FIXTURES.login : url.startsWith(BASE) ? { redirectTo: `${ELSEWHERE}?from=${encodeURIComponent(url)}` } : { status: 200, body: {} }));

const cases: [string, (fetch: FetchLike) => CarbonProvider, boolean][] = [
  ['Electricity Maps (auth-token header)', (fetch) => createElectricityMapsProvider({ fetch, now, baseUrl: BASE, apiKey: 'em-secret-key', zone: 'DE' }), false],
  ['WattTime (basic auth on login)', (fetch) => createWattTimeProvider({ fetch, now, baseUrl: BASE, username: 'alice', password: 'pa55word', region: 'CAISO_NORTH' }), false],
  ['WattTime (bearer token after login)', (fetch) => createWattTimeProvider({ fetch, now, baseUrl: BASE, username: 'alice', password: 'pa55word', region: 'CAISO_NORTH' }), true],
  ['UK Carbon Intensity', (fetch) => createUkCarbonIntensityProvider({ fetch, now, baseUrl: BASE, area: { kind: 'national' } }), false],
];

describe('provider requests and redirects', () => {
  it.each(cases)('%s: no request follows a redirect, none sends cookies, and the failure falls back', async (_name, make, login) => {
    const fetch = redirecting(login);
    const error = await make(fetch).current().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'offline' });
    expect(fetch.calls.length).toBeGreaterThan(0);
    for (const call of fetch.calls) {
      expect(call.url.startsWith(BASE), call.url).toBe(true);
      expect(call).toMatchObject({ redirect: 'error', credentials: 'omit' });
    }
  });

  it('the fake forwards headers to the other host when a request does follow redirects, so the check above can fail', async () => {
    const fetch = redirecting();
    const follow = fetch as unknown as (url: string, init: Record<string, unknown>) => Promise<unknown>;
    await follow(`${BASE}/x`, { method: 'GET', headers: { 'auth-token': 'k' }, signal: new AbortController().signal, redirect: 'follow', credentials: 'include' });
    expect(fetch.calls.map((c) => [c.url.slice(0, ELSEWHERE.length), c.headers['auth-token']])).toContainEqual([ELSEWHERE, 'k']);
  });

  it('getJson sends redirect: error and credentials: omit with every request', async () => {
    const fetch = fakeFetch(() => ({ status: 200, body: { ok: true } }));
    await getJson({ provider: 'electricity-maps', label: 'Electricity Maps', fetch, now }, `${BASE}/y`, { 'auth-token': 'k' });
    expect(fetch.calls).toEqual([{ url: `${BASE}/y`, headers: { accept: 'application/json', 'auth-token': 'k' }, redirect: 'error', credentials: 'omit' }]);
  });
});
