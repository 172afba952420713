/**
 * Energy and carbon end to end: a local fake server on 127.0.0.1 plays the carbon providers
 * (answers from src/core/carbon/providers/fixtures.ts), failures included.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ELECTRICITY_MAPS_FIXTURES, FIXTURE_ROUTES, HTTP_FAILURE_FIXTURES, type FixtureResponse } from '../src/core/carbon/providers/fixtures';
import { openLab, result, showView, waitForEnd } from './helpers';

const SMALL_RUN = 'dataset=xor&samples=600&hidden=8&epochs=1&backend=wasm';
const FAKE_KEY = 'sk-fake-ELECTRICITY-key-8c1e77';

const FAILURES: Record<string, FixtureResponse | 'malformed'> = {
  'unauthorized-401': ELECTRICITY_MAPS_FIXTURES.unauthorized,
  'forbidden-403': ELECTRICITY_MAPS_FIXTURES.forbiddenZone,
  'rate-limited-429': ELECTRICITY_MAPS_FIXTURES.rateLimited,
  'server-503': HTTP_FAILURE_FIXTURES.serviceUnavailable,
  'not-json': HTTP_FAILURE_FIXTURES.notJson,
  malformed: 'malformed',
};

let server: Server;
let base = '';
const seen: { path: string; authToken: string | undefined }[] = [];

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'auth-token, authorization, content-type',
      'access-control-allow-methods': 'GET, OPTIONS',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    const url = req.url ?? '/';
    seen.push({ path: url, authToken: req.headers['auth-token'] as string | undefined });
    const send = (f: FixtureResponse) => {
      const body = typeof f.body === 'string' ? f.body : JSON.stringify(f.body);
      res.writeHead(f.status, { 'content-type': 'application/json', ...f.headers, ...cors }).end(body);
    };
    const fail = /^\/fail\/([^/]+)/.exec(url);
    if (fail) {
      const f = FAILURES[fail[1] as string];
      if (f === 'malformed') res.writeHead(200, { 'content-type': 'application/json', ...cors }).end('{"zone": "DE", "carbonIntensity": ');
      else if (f) send(f);
      else res.writeHead(404, cors).end();
      return;
    }
    // The UK API needs no key; WattTime's login and data routes answer from the fixtures.
    for (const [prefix, provider] of [['/uk', 'uk-carbon-intensity'], ['/wt', 'watttime']] as const) {
      if (url.startsWith(`${prefix}/`)) {
        const f = FIXTURE_ROUTES[provider]?.[url.slice(prefix.length)];
        return f ? send(f) : send({ status: 404, body: { message: `no such route ${url}` } });
      }
    }
    if (url.startsWith('/em/')) {
      if (req.headers['auth-token'] !== FAKE_KEY) return send(ELECTRICITY_MAPS_FIXTURES.unauthorized);
      const f = FIXTURE_ROUTES['electricity-maps']?.[url.slice('/em'.length)];
      return f ? send(f) : send({ status: 404, body: { message: 'no such route' } });
    }
    res.writeHead(404, cors).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Chooses Electricity Maps for zone DE with a key, at a base URL, through the panel. */
async function useElectricityMaps(page: Page, baseUrl: string, key: string): Promise<void> {
  await showView(page, 'Footprint');
  await page.locator('select[name=carbon]').selectOption('electricity-maps');
  await page.locator('input[name=region]').fill('DE');
  await page.locator('input[name=region]').press('Tab');
  await page.locator('input[name=emKey]').fill(key);
  await page.locator('input[name=emKey]').press('Tab');
  await page.getByText('Provider addresses').click();
  await page.locator('input[name=emBase]').fill(baseUrl);
  await page.locator('input[name=emBase]').press('Tab');
}

test('with a constant-intensity replay, carbon equals energy x intensity, on screen and in the result', async ({ page }) => {
  await openLab(page, `${SMALL_RUN}&carbon=replay`);
  await showView(page, 'Footprint');
  const hours = Array.from({ length: 48 }, (_, i) => `${new Date(Date.UTC(2022, 0, 1, i)).toISOString()},300`);
  await page.locator('input[name=traceFile]').setInputFiles({ name: 'constant-300.csv', mimeType: 'text/csv', buffer: Buffer.from(['timestamp,carbon_intensity_gco2_per_kwh', ...hours].join('\n')) });
  await expect(page.locator('select[name=trace]')).toHaveValue('upload');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  await expect(page.getByTestId('energy-report')).toBeVisible();
  const r = await result(page);
  expect(r?.energy?.kWh).toBeGreaterThan(0);
  expect(r?.carbon?.provider).toBe('replay');
  expect(r?.carbon?.meanIntensity).toBeCloseTo(300, 6);
  expect(r?.carbon?.gCO2e).toBeCloseTo((r?.energy?.kWh ?? 0) * 300, 9);
  expect(r?.carbon?.fallbackNotice).toBeNull();
  // The same relation in what the report shows.
  const shownKWh = Number(await page.getByTestId('report-kwh').getAttribute('data-kwh'));
  const shownGrams = Number(await page.getByTestId('report-gco2e').getAttribute('data-gco2e'));
  expect(shownGrams).toBeCloseTo(shownKWh * 300, 9);
  await expect(page.getByTestId('report-intensity')).toHaveText('300 g/kWh');
  await expect(page.getByTestId('profile-reason')).not.toBeEmpty();
  await expect(page.getByTestId('equivalents')).toContainText('km driven');
});

for (const mode of [...Object.keys(FAILURES), 'offline']) {
  test(`a failing provider (${mode}) shows what happened and that the offline average applies`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openLab(page, SMALL_RUN);
    // 'offline': a port nobody listens on.
    await useElectricityMaps(page, mode === 'offline' ? 'http://127.0.0.1:9/v3' : `${base}/fail/${mode}`, FAKE_KEY);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const notice = page.getByTestId('carbon-notice');
    await expect(notice).toContainText('Electricity Maps');
    await expect(notice).toContainText('offline annual average');
    expect(await waitForEnd(page)).toBe('finished');
    const r = await result(page);
    expect(r?.carbon?.provider).toBe('offline');
    expect(r?.carbon?.gCO2e).toBeGreaterThan(0);
    expect(r?.carbon?.fallbackNotice).toContain('offline annual average');
    expect(JSON.stringify(r)).not.toContain(FAKE_KEY);
    expect(errors).toEqual([]);
  });
}

test('an API key goes only to its provider and appears in no link, result, export or log', async ({ page, context }) => {
  const logs: string[] = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(e.message));
  const requests: { url: string; headers: Record<string, string> }[] = [];
  context.on('request', (r) => requests.push({ url: r.url(), headers: r.headers() }));
  seen.length = 0;

  await openLab(page, SMALL_RUN);
  await useElectricityMaps(page, `${base}/em`, FAKE_KEY);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  await expect(page.getByTestId('energy-report')).toBeVisible();
  await expect(page.getByTestId('carbon-notice')).toHaveCount(0);

  const r = await result(page);
  expect(r?.carbon?.provider).toBe('electricity-maps');
  expect(r?.carbon?.meanIntensity).toBeCloseTo(312, 6);
  // The provider saw the key, in its header only.
  expect(seen.some((s) => s.authToken === FAKE_KEY)).toBe(true);
  expect(seen.every((s) => !s.path.includes(FAKE_KEY))).toBe(true);

  const exports: string[] = [];
  for (const name of ['Download emissions.csv (CodeCarbon)', 'Download emissions JSON', 'Download result']) {
    // The result download is in the Train view, the emissions ones in Footprint.
    if (name === 'Download result') await showView(page, 'Train');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
    exports.push(readFileSync((await download.path()) as string, 'utf8'));
  }
  expect(exports[0]).toMatch(/^timestamp,project_name,run_id,experiment_id,duration,emissions,/);
  expect(JSON.parse(exports[2] as string).carbon.provider).toBe('electricity-maps');

  const everywhere = [page.url(), await page.getByTestId('share-link').inputValue(), JSON.stringify(r), ...exports, ...logs];
  for (const text of everywhere) expect(text).not.toContain(FAKE_KEY);
  // Every request that carried the key went to the provider's base URL.
  const carrying = requests.filter((q) => Object.values(q.headers).some((v) => v.includes(FAKE_KEY)) || q.url.includes(FAKE_KEY));
  expect(carrying.length).toBeGreaterThan(0);
  for (const q of carrying) expect(q.url.startsWith(`${base}/em/`)).toBe(true);
});

/** Opens the provider addresses and sets one of them. */
async function setBaseUrl(page: Page, input: string, url: string): Promise<void> {
  await showView(page, 'Footprint');
  await page.getByText('Provider addresses').click();
  await page.locator(`input[name=${input}]`).fill(url);
  await page.locator(`input[name=${input}]`).press('Tab');
}

// Each provider played by the local server: the answer is used, in its own units and signal.
const PROVIDERS = [
  { name: 'UK Carbon Intensity (national, no key)', link: 'carbon=uk-carbon-intensity&region=national', base: 'ukBase', path: '/uk', provider: 'uk-carbon-intensity', intensity: 186, signal: 'average' },
  { name: 'WattTime (login, marginal signal in lbs/MWh)', link: 'carbon=watttime&region=CAISO_NORTH', base: 'wtBase', path: '/wt', provider: 'watttime', intensity: null, signal: 'marginal' },
] as const;

for (const p of PROVIDERS) {
  test(`the ${p.name} provider's answer is used for the run`, async ({ page }) => {
    await openLab(page, `${SMALL_RUN}&${p.link}`);
    await showView(page, 'Footprint');
    if (p.provider === 'watttime') {
      await page.locator('input[name=wtUser]').fill('student');
      await page.locator('input[name=wtUser]').press('Tab');
      await page.locator('input[name=wtPassword]').fill('not-a-real-password-77');
      await page.locator('input[name=wtPassword]').press('Tab');
    }
    await setBaseUrl(page, p.base, `${base}${p.path}`);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    expect(await waitForEnd(page)).toBe('finished');
    await expect(page.getByTestId('carbon-notice')).toHaveCount(0);
    const r = await result(page);
    expect(r?.carbon?.provider).toBe(p.provider);
    expect(r?.carbon?.signal).toBe(p.signal);
    if (p.intensity !== null) expect(r?.carbon?.meanIntensity).toBeCloseTo(p.intensity, 6);
    // lbs CO2/MWh converted to g/kWh: every value lands in a plausible grid range.
    expect(r?.carbon?.meanIntensity).toBeGreaterThan(50);
    expect(r?.carbon?.meanIntensity).toBeLessThan(1000);
    expect(JSON.stringify(r)).not.toContain('not-a-real-password-77');
  });
}

test('a failing UK Carbon Intensity API (503) falls back to the offline average with a message', async ({ page }) => {
  await openLab(page, `${SMALL_RUN}&carbon=uk-carbon-intensity&region=national`);
  await setBaseUrl(page, 'ukBase', `${base}/fail/server-503`);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('carbon-notice')).toContainText('offline annual average');
  expect(await waitForEnd(page)).toBe('finished');
  expect((await result(page))?.carbon?.provider).toBe('offline');
});
