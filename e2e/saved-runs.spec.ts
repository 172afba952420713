import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openLab, result, stepsDone, waitForEnd } from './helpers';

// Momentum continues bit for bit on wasm (see controls.spec). A trains 6 epochs of 400 steps, long
// enough to pause it even on a loaded machine; B trains the first epoch of the same run.
const DATA = 'dataset=spiral&samples=8000&hidden=32,32&activation=tanh&optimizer=momentum&lr=0.05&batch=16&seed=5&backend=wasm';
const RUN = `${DATA}&epochs=6`;
const FIRST_EPOCH = `${DATA}&epochs=1`;
// The schedule spec's run: California's 2022 trace, whose evening (00:00 UTC) the policy waits out;
// one simulated hour a second, so that even a slow, loaded machine's job fits before the clean hours.
const SCHEDULED = 'dataset=spiral&samples=4000&hidden=32,32&activation=tanh&lr=0.01&batch=16&epochs=4&seed=5&backend=wasm&schedule=simulated&policy=forecast-window&trace=us-ciso-2022&start=2022-06-15T00:00&rate=1&slack=24';

const offered = (page: Page): Promise<boolean> =>
  page.evaluate(() => (window as unknown as { labAutomation: { savedRunOffered(): Promise<boolean> } }).labAutomation.savedRunOffered());

/** Simulated hours the schedule has decided so far, from its account ("... of the 5 hours so far."). */
async function hoursDecided(page: Page): Promise<number> {
  const text = await page.getByTestId('schedule-account').innerText();
  return Number(/of the ([\d.]+) hours? so far/.exec(text)?.[1] ?? Number.NaN);
}

/** The bundled CISO trace's intensity (its avg_CI column) for each hour of 2022-06-15 up to `lastHour` UTC. */
function cisoHours(lastHour: number): number[] {
  const rows = readFileSync('public/traces/us-ciso-2022.csv', 'utf8').split('\n');
  const hour = (h: number) => rows.find((r) => r.startsWith(`2022-06-15 ${String(h).padStart(2, '0')}:00`))?.split(',').at(-1);
  return Array.from({ length: lastHour + 1 }, (_, h) => Number(hour(h)));
}

test('a tab is never offered a run another tab trains; once that tab closes, a new tab continues it with nothing lost', async ({ context }) => {
  const a = await context.newPage();
  await openLab(a, RUN);
  await a.getByRole('button', { name: 'Start', exact: true }).click();
  await expect.poll(() => stepsDone(a), { timeout: 60_000 }).toBeGreaterThan(0);
  await a.getByRole('button', { name: 'Pause' }).click();
  await expect(a.getByTestId('status')).toHaveAttribute('data-phase', 'paused', { timeout: 60_000 });
  const pausedAt = await stepsDone(a);

  // Tab B sees A's run in storage but A holds it: not offered. B trains its own run to the end.
  const b = await context.newPage();
  await openLab(b, FIRST_EPOCH);
  expect(await offered(b)).toBe(false);
  await expect(b.getByTestId('saved-run')).toHaveCount(0);
  await b.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(b.getByTestId('start-question')).toHaveCount(0);
  expect(await waitForEnd(b)).toBe('finished');
  const firstEpoch = (await result(b))?.lossCurve ?? [];
  expect(firstEpoch).toHaveLength(400);
  await b.close();

  // A closes mid-run: its lock goes with it, and a new tab offers its run (B's end did not delete it).
  await a.close();
  const c = await context.newPage();
  await openLab(c, 'dataset=xor');
  const banner = c.getByTestId('saved-run');
  await expect(banner).toContainText(`stopped at step ${pausedAt} of 2400 while paused`);
  await expect(banner).toContainText('continuing loses nothing');
  await banner.getByRole('button', { name: 'Continue the saved run' }).click();
  await expect(c.getByTestId('status')).toHaveAttribute('data-phase', 'paused');
  expect(await stepsDone(c)).toBe(pausedAt);
  await c.getByRole('button', { name: 'Resume' }).click();
  expect(await waitForEnd(c)).toBe('finished');
  // A's curve up to its pause, and the steps after it, are those of a run never interrupted.
  const continued = (await result(c))?.lossCurve ?? [];
  expect(continued).toHaveLength(2400);
  expect(continued.slice(0, 400)).toEqual(firstEpoch);
});

test('a reload during a scheduled pause continues the schedule where it was', async ({ page }) => {
  await openLab(page, SCHEDULED);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'paused', { timeout: 20_000 });
  await expect.poll(() => hoursDecided(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
  const before = await hoursDecided(page);
  const status = await page.getByTestId('schedule-status').innerText();
  const due = /due within (\d+)/.exec(status)?.[1];
  expect(due).toBeDefined();

  const reloadedAt = Date.now();
  await page.reload();
  await page.waitForFunction(() => 'labAutomation' in window);
  const banner = page.getByTestId('saved-run');
  await expect(banner).toContainText('while paused');
  await banner.getByRole('button', { name: 'Continue the saved run' }).click();
  // The replay clock continues past the hours already decided, not from the start at 00:00.
  await expect(page.getByTestId('schedule-status')).toContainText(/Continuing the schedule at 2022-06-15T(0[3-9]|1\d)/);
  const continuedAt = Number(/Continuing the schedule at 2022-06-15T(\d\d)/.exec(await page.getByTestId('schedule-status').innerText())?.[1]);
  expect(await hoursDecided(page)).toBeGreaterThanOrEqual(before);
  await expect(page.getByTestId('schedule-decision')).toHaveAttribute('data-duty', '0');
  // The schedule drives the continued run: it trains in the clean hours and finishes.
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', /training|evaluating|finished/, { timeout: 60_000 });
  expect(await waitForEnd(page, 120_000)).toBe('finished');
  await expect(page.getByTestId('schedule-status')).toContainText('The run finished');
  const r = await result(page);
  expect(r?.schedule?.policy).toBe('forecast-window');
  expect(r?.schedule?.pausedSeconds).toBeGreaterThanOrEqual(before * 3600);
  expect(r?.schedule?.savingVsRunNow).toBeGreaterThan(0);
  expect(r?.carbon?.provider).toBe('replay');
  // The steps trained before the reload are priced at the simulated hours they trained in (00:00
  // on), not on the continued clock shifted back by the time the page was away (the evening before).
  const pricedBefore = (r?.carbon?.intensitySeries ?? []).filter((p) => p.time < reloadedAt);
  expect(pricedBefore.length).toBeGreaterThan(0);
  const hours = cisoHours(continuedAt);
  for (const p of pricedBefore) expect(hours.some((h) => Math.abs(h - p.intensity) < 1e-6)).toBe(true);
});

test('a run saved by an older version is named and kept, never offered as continuable, until discarded', async ({ page }) => {
  // Version 1 of the lab kept one checkpoint under "current"; this one's format is older still.
  await page.goto('/traces/LICENSE-dc-rl.txt');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('carbon-aware-lab', 1);
        request.onupgradeneeded = () => request.result.createObjectStore('checkpoints');
        request.onsuccess = () => {
          const tx = request.result.transaction('checkpoints', 'readwrite');
          tx.objectStore('checkpoints').put({ version: 0, savedAt: Date.now(), stepsDone: 5, totalSteps: 10, config: { train: { batchSize: -1 } } }, 'current');
          tx.oncomplete = () => {
            request.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        request.onerror = () => reject(request.error);
      }),
  );
  await openLab(page, 'dataset=xor&backend=wasm');
  const named = page.getByTestId('saved-run-incompatible');
  await expect(named).toContainText('saved by an older version of the lab (format 0');
  expect(await offered(page)).toBe(false);
  // Kept across a reload until the person discards it.
  await page.reload();
  await expect(named).toContainText('It is kept until you discard it');
  await named.getByRole('button', { name: 'Discard it' }).click();
  await expect(named).toHaveCount(0);
  await page.reload();
  await page.waitForFunction(() => 'labAutomation' in window);
  await expect.poll(() => offered(page)).toBe(false);
  await expect(page.getByTestId('saved-run-incompatible')).toHaveCount(0);
});
