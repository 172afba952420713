/**
 * Live scheduling end to end: a local server plays Electricity Maps with a dirty hour now and a
 * clean one ahead, so a forecast-window run waits for real, and says why.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
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

const LIVE = 'dataset=spiral&samples=4000&hidden=32,32&batch=16&seed=5&backend=wasm&carbon=electricity-maps&region=DE&schedule=live&policy=forecast-window&slack=12';

/** Opens the live run with the test server as Electricity Maps (the key and address stay in this browser). */
async function openLive(page: Page, epochs: number): Promise<void> {
  await openLab(page, `${LIVE}&epochs=${epochs}`);
  await showView(page, 'Footprint');
  await page.locator('input[name=emKey]').fill(KEY);
  await page.locator('input[name=emKey]').press('Tab');
  await page.getByText('Provider addresses').click();
  await page.locator('input[name=emBase]').fill(base);
  await page.locator('input[name=emBase]').press('Tab');
  await showView(page, 'Schedule');
  await expect(page.getByTestId('schedule-panel').locator('select[name=schedule-mode]')).toHaveValue('live');
}

/** Starts the live run and waits until the schedule has paused it; gives the deadline it states. */
async function startUntilPaused(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('schedule-decision')).toHaveAttribute('data-duty', '0', { timeout: 30_000 });
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'paused', { timeout: 10_000 });
  const due = /due by (\S+) UTC/.exec(await page.getByTestId('schedule-status').innerText())?.[1];
  expect(due).toBeDefined();
  return due as string;
}

/** Reloads the page and continues the saved run from its banner. */
async function reloadAndContinue(page: Page): Promise<void> {
  await page.reload();
  await page.waitForFunction(() => 'labAutomation' in window);
  const banner = page.getByTestId('saved-run');
  await expect(banner).toContainText('while paused');
  await banner.getByRole('button', { name: 'Continue the saved run' }).click();
}

test('a live forecast-window run pauses in a dirty hour when a clean one is forecast, and says why', async ({ page }) => {
  await openLive(page, 20);
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

test('a reload during a live pause keeps the deadline, the decisions and the paused time, and stays paused', async ({ page }) => {
  await openLive(page, 20);
  const due = await startUntilPaused(page);
  await page.waitForTimeout(1500);
  await reloadAndContinue(page);
  const status = page.getByTestId('schedule-status');
  await expect(status).toContainText('continuing the saved schedule, paused as decided until the next decision in');
  await expect(status).toContainText(`due by ${due} UTC`);
  await expect(page.getByTestId('schedule-decision')).toHaveAttribute('data-duty', '0');
  await expect(page.getByTestId('schedule-account')).toContainText('paused in');
  // Nothing trains before the next check, which is a minute after the last one.
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'paused', { timeout: 30_000 });
  await page.waitForTimeout(2000);
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'paused');
  await page.getByRole('button', { name: 'Stop' }).click();
  expect(await waitForEnd(page)).toBe('stopped');
  const r = await result(page);
  expect(r?.schedule).toMatchObject({ policy: 'forecast-window', simulated: false });
  // The pause before the reload (1.5 s, saved at most a second before it) and the one after it
  // (over 2 s) both count.
  expect(r?.schedule?.pausedSeconds).toBeGreaterThan(2.5);
});

test('a live run continued after its deadline says so and finishes at once', async ({ page }) => {
  await openLive(page, 2);
  const due = await startUntilPaused(page);
  // The page comes back two days later: the job's deadline (at most 12 h of slack) has passed.
  await page.addInitScript(() => {
    const real = Date.now.bind(Date);
    Date.now = () => real() + 48 * 3_600_000;
  });
  await reloadAndContinue(page);
  await expect(page.getByTestId('schedule-status')).toContainText(`The job was due by ${due} UTC, which passed while the run waited; it finishes now`);
  expect(await waitForEnd(page)).toBe('finished');
  await expect(page.getByTestId('schedule-status')).toContainText('The run finished.');
  expect((await result(page))?.schedule).toMatchObject({ policy: 'forecast-window', simulated: false });
});

test('a live run refuses the oracle, which needs the future', async ({ page }) => {
  await openLab(page, 'dataset=xor&backend=wasm&schedule=live&policy=oracle');
  // The link is corrected on opening, with a message naming the field.
  await expect(page.getByTestId('link-issues')).toContainText('policy: the oracle needs the future');
  await expect(page.getByTestId('schedule-panel').locator('select[name=schedule-policy]')).toHaveValue('forecast-window');
});
