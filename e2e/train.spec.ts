import { expect, test } from '@playwright/test';
import { longTasks, openLab, pageNow, recordLongTasks, result, stepsDone, waitForEnd } from './helpers';

test('the default experiment, forced onto WebGPU, trains the MNIST MLP to 85% in 2 epochs, off the main thread', async ({ page }) => {
  await recordLongTasks(page);
  // "auto" measures and picks the cheapest backend (wasm on a software adapter); keep WebGPU tested.
  await openLab(page, 'backend=webgpu');
  await expect(page.locator('select[name=dataset]')).toHaveValue('mnist');
  await expect(page.locator('input[name=epochs]')).toHaveValue('2');

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu', { timeout: 60_000 });
  await expect(page.getByTestId('adapter')).toContainText('vendor');
  await expect.poll(() => stepsDone(page), { timeout: 60_000 }).toBeGreaterThan(0);
  const trainingFrom = await pageNow(page);
  // While training: throughput and an ETA are shown, and the loss curve grows.
  await expect(page.getByTestId('samples-per-second')).not.toHaveText('—');
  await expect(page.getByTestId('eta')).toHaveText(/\d+ (s|min)/);

  expect(await waitForEnd(page)).toBe('finished');
  const trainingTo = await pageNow(page);
  const r = await result(page);
  expect(r?.backend).toBe('webgpu');
  expect(r?.metrics.epochs).toBe(2);
  expect(r?.metrics.testAccuracy).toBeGreaterThanOrEqual(0.85);
  expect(r?.lossCurve.length).toBe(2 * 125);
  await expect(page.getByTestId('test-accuracy')).toHaveText(/^(8[5-9]|9\d)\.\d%$/);

  // The main thread never ran a training step: no task over 200 ms while training.
  const tasks = (await longTasks(page)).filter((t) => t.start + t.duration >= trainingFrom && t.start <= trainingTo);
  expect(tasks.filter((t) => t.duration > 200)).toEqual([]);
});

test('a lost GPU device stops the run with a message and the page stays usable', async ({ page }) => {
  await openLab(page, 'epochs=5&backend=webgpu');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu', { timeout: 60_000 });
  await expect.poll(() => stepsDone(page), { timeout: 60_000 }).toBeGreaterThan(3);
  await page.evaluate(() => (window as unknown as { labAutomation: { loseGpuDevice(): void } }).labAutomation.loseGpuDevice());
  expect(await waitForEnd(page, 60_000)).toBe('failed');
  await expect(page.getByTestId('run-error')).toContainText('GPU device was lost');
  // The curves so far are still on screen and the controls answer.
  expect(await stepsDone(page)).toBeGreaterThan(3);
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeEnabled();
  await page.locator('input[name=epochs]').fill('1');
  await expect(page).toHaveURL(/epochs=1/);
});
