/**
 * Live scheduling end to end: a local server plays Electricity Maps with a dirty hour now and a
 * clean one ahead, so a forecast-window run waits for real, and says why.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { openLab, result, showView, waitForEnd } from './helpers';

const KEY = 'sk-live-test-key-0001';
let server: Server;
let base = '';

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'auth-token, content-type', 'access-control-allow-methods': 'GET, OPTIONS' };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    if (req.headers['auth-token'] !== KEY) return void res.writeHead(401, cors).end('{"message":"bad key"}');
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const iso = (h: number) => new Date(hour + h * 3_600_000).toISOString();
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json', ...cors }).end(JSON.stringify(body));
    // Electricity Maps v3 shapes: latest {zone, carbonIntensity, datetime}; forecast {zone, forecast:[{carbonIntensity, datetime}]}.
    if (req.url?.startsWith('/v3/carbon-intensity/latest')) return void json({ zone: 'DE', carbonIntensity: 520, datetime: iso(0), isEstimated: false });
    if (req.url?.startsWith('/v3/carbon-intensity/forecast')) {
      const values = [510, 480, 90, 85, 470, 500, 530, 540];
      return void json({ zone: 'DE', forecast: values.map((v, i) => ({ carbonIntensity: v, datetime: iso(i + 1) })) });
    }
    res.writeHead(404, cors).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3`;
});

test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('a live forecast-window run pauses in a dirty hour when a clean one is forecast, and says why', async ({ page }) => {
  await openLab(page, 'dataset=spiral&samples=4000&hidden=32,32&batch=16&epochs=20&seed=5&backend=wasm&carbon=electricity-maps&region=DE&schedule=live&policy=forecast-window&slack=12');
  await showView(page, 'Footprint');
  await page.locator('input[name=emKey]').fill(KEY);
  await page.locator('input[name=emKey]').press('Tab');
  await page.getByText('Provider addresses').click();
  await page.locator('input[name=emBase]').fill(base);
  await page.locator('input[name=emBase]').press('Tab');
  await showView(page, 'Schedule');
  await expect(page.getByTestId('schedule-panel').locator('select[name=schedule-mode]')).toHaveValue('live');

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('schedule-decision')).toHaveAttribute('data-duty', '0', { timeout: 30_000 });
  await expect(page.getByTestId('schedule-decision')).toContainText('520 g/kWh');
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'paused', { timeout: 10_000 });
  await expect(page.getByTestId('schedule-status')).toContainText('Live from');
  await page.waitForTimeout(1500);
  await page.getByRole('button', { name: 'Stop' }).click();
  expect(await waitForEnd(page)).toBe('stopped');
  const r = await result(page);
  expect(r?.schedule).toMatchObject({ policy: 'forecast-window', simulated: false, savingVsRunNow: null, shareOfOracle: null });
  expect(r?.schedule?.pausedSeconds).toBeGreaterThan(1);
  expect(JSON.stringify(r)).not.toContain(KEY);
});

test('a live run refuses the oracle, which needs the future', async ({ page }) => {
  await openLab(page, 'dataset=xor&backend=wasm&schedule=live&policy=oracle');
  // The link is corrected on opening, with a message naming the field.
  await expect(page.getByTestId('link-issues')).toContainText('policy: the oracle needs the future');
  await expect(page.getByTestId('schedule-panel').locator('select[name=schedule-policy]')).toHaveValue('forecast-window');
});
