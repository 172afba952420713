import { expect, test } from '@playwright/test';
import { openLab, phase, result, stepsDone, waitForEnd } from './helpers';

// Small and on wasm (a CPU backend, bit-exact): these specs are about the controls, not speed.
const RUN = 'dataset=spiral&samples=4000&hidden=32,32&activation=tanh&lr=0.01&batch=16&epochs=3&seed=5&backend=wasm';

test('pause and resume keep progress, and the run ends with the same curve as an uninterrupted one', async ({ page }) => {
  await openLab(page, RUN);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect.poll(() => stepsDone(page), { timeout: 60_000 }).toBeGreaterThan(20);

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'paused');
  const pausedAt = await stepsDone(page);
  await page.waitForTimeout(1000);
  expect(await stepsDone(page)).toBe(pausedAt);
  expect(await phase(page)).toBe('paused');

  await page.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => stepsDone(page)).toBeGreaterThan(pausedAt);
  expect(await waitForEnd(page)).toBe('finished');
  const interrupted = await result(page);
  expect(interrupted?.metrics.steps).toBe(3 * 200);

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  const straight = await result(page);
  expect(interrupted?.lossCurve).toEqual(straight?.lossCurve);
});

test('stop ends the run early with its figures, and reset clears it', async ({ page }) => {
  await openLab(page, RUN);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect.poll(() => stepsDone(page), { timeout: 60_000 }).toBeGreaterThan(10);
  await page.getByRole('button', { name: 'Stop' }).click();
  expect(await waitForEnd(page)).toBe('stopped');
  const r = await result(page);
  expect(r?.outcome).toBe('stopped');
  expect(r?.metrics.steps).toBeLessThan(600);
  await expect(page.getByTestId('status')).toContainText('Stopped after');

  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'idle');
  await expect(page.getByTestId('steps')).toHaveText('—');
  expect(await result(page)).toBeNull();
  // The settings survive a reset.
  await expect(page.locator('input[name=batch]')).toHaveValue('16');
});

test('a dataset URL that is not a dataset file gets a clear message', async ({ page }) => {
  await openLab(page, 'dataUrl=%2Ffavicon.svg&backend=cpu');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('failed');
  await expect(page.getByTestId('run-error')).toContainText('does not start with "CATD"');
});

test('a dataset URL that cannot be reached says so and trains nothing', async ({ page }) => {
  await openLab(page, `dataUrl=${encodeURIComponent('http://127.0.0.1:9/mnist.bin')}&backend=cpu`);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('failed');
  await expect(page.getByTestId('run-error')).toContainText('Could not download the dataset from http://127.0.0.1:9/mnist.bin');
  await expect(page.getByTestId('run-error')).toContainText('nothing was trained');
});

test('a reload during a paused run continues from the checkpoint with nothing lost', async ({ page }) => {
  // Momentum continues bit for bit (Adam's restored beta^t may differ in the last bit); 2,000 steps.
  const exact = 'dataset=spiral&samples=4000&hidden=32,32&activation=tanh&optimizer=momentum&lr=0.05&batch=16&epochs=10&seed=5&backend=wasm';
  await openLab(page, exact);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  const straight = await result(page);

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect.poll(() => stepsDone(page), { timeout: 60_000 }).toBeGreaterThan(250);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'paused');
  await expect(page.getByTestId('status')).toContainText('progress is saved');
  const pausedAt = await stepsDone(page);

  // A different link in the address bar: the saved run still comes back with its own settings.
  await page.goto('/#dataset=xor');
  await page.reload();
  await page.waitForFunction(() => 'labAutomation' in window);
  const banner = page.getByTestId('saved-run');
  await expect(banner).toContainText(`stopped at step ${pausedAt} of 2000 while paused`);
  await banner.getByRole('button', { name: 'Continue the saved run' }).click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'paused');
  expect(await stepsDone(page)).toBe(pausedAt);
  await expect(page.locator('select[name=dataset]')).toHaveValue('spiral');
  await page.getByRole('button', { name: 'Resume' }).click();
  expect(await waitForEnd(page)).toBe('finished');
  const continued = await result(page);
  expect(continued?.metrics.steps).toBe(2000);
  expect(continued?.lossCurve).toEqual(straight?.lossCurve);
  expect(continued?.epochs.map((e) => e.testAccuracy)).toEqual(straight?.epochs.map((e) => e.testAccuracy));
  // The finished run is no longer offered after another reload.
  await page.reload();
  await page.waitForFunction(() => 'labAutomation' in window);
  const offered = await page.evaluate(() => (window as unknown as { labAutomation: { savedRunOffered(): Promise<boolean> } }).labAutomation.savedRunOffered());
  expect(offered).toBe(false);
  await expect(page.getByTestId('saved-run')).toHaveCount(0);
});
