import { expect, test, type Page } from '@playwright/test';
import { openLab, showView, stepsDone, waitForEnd } from './helpers';

// Reset during every long worker call: the call's busy state clears at once, nothing is left
// waiting on the thrown-away worker, and the next Start trains to the end. Small MLPs on wasm.

/** A tiny run that finishes in a second or two. */
const SMALL = 'dataset=spiral&samples=600&hidden=16&epochs=1&seed=5&backend=wasm';
/** A wide model on many examples: its distillation and export take long enough to interrupt. */
const WIDE = 'dataset=blobs&samples=20000&hidden=1024,1024&epochs=10&seed=5&backend=wasm&precision=uint8';

/** Starts a wide run and stops it after a few steps, so there is a trained model to work on. */
async function trainWideAndStop(page: Page): Promise<void> {
  await openLab(page, WIDE);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect.poll(() => stepsDone(page), { timeout: 90_000 }).toBeGreaterThan(2);
  await page.getByRole('button', { name: 'Stop' }).click();
  expect(await waitForEnd(page)).toBe('stopped');
}

/** Presses Reset and checks the page is idle, without an error. */
async function resetAndCheckIdle(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'idle');
  await expect(page.getByTestId('run-error')).toHaveCount(0);
  await expect(page.getByTestId('steps')).toHaveText('—');
}

/** Makes the settings small again (as a user would, in the form) and trains them to the end. */
async function startSmallAndFinish(page: Page): Promise<void> {
  await showView(page, 'Train');
  await page.locator('input[name=samples]').fill('600');
  await page.locator('input[name=hidden]').fill('16');
  await page.locator('input[name=epochs]').fill('1');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 120_000)).toBe('finished');
  await expect(page.getByTestId('status')).toContainText('Finished');
}

test('Reset during distillation clears the busy state, and the next Start trains to the end', async ({ page }) => {
  await trainWideAndStop(page);
  await showView(page, 'Compress');
  const busy = page.getByTestId('compression-busy');
  await page.getByRole('button', { name: 'Distil a student' }).click();
  await expect(busy).toHaveText('Distilling the student…');
  await resetAndCheckIdle(page);
  await expect(busy).toHaveCount(0);
  await startSmallAndFinish(page);
  // The compression panel works against the new worker.
  await showView(page, 'Compress');
  await page.getByRole('button', { name: 'Distil a student' }).click();
  await expect(page.getByTestId('compression-busy')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId('compression-error')).toHaveCount(0);
});

test('Reset during the export clears the busy state, and the next Start trains to the end', async ({ page }) => {
  await trainWideAndStop(page);
  await showView(page, 'Compress');
  const busy = page.getByTestId('compression-busy');
  await page.getByRole('button', { name: 'Evaluate the export' }).click();
  await expect(busy).toHaveText('Exporting and evaluating the file…');
  await resetAndCheckIdle(page);
  await expect(busy).toHaveCount(0);
  await startSmallAndFinish(page);
  await showView(page, 'Compress');
  await expect(page.getByRole('button', { name: 'Evaluate the export' })).toBeEnabled();
});

test('Reset during the deployment benchmark does not leave it "Benchmarking…", and the next run can benchmark', async ({ page }) => {
  await openLab(page, SMALL);
  await showView(page, 'Deploy');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 120_000)).toBe('finished');
  const button = page.getByTestId('deploy-run');
  await button.click();
  await expect(button).toHaveText('Benchmarking…');
  await resetAndCheckIdle(page);
  await expect(button).toHaveText('Benchmark deployment');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 120_000)).toBe('finished');
  await expect(button).toHaveText('Benchmark deployment');
  await expect(button).toBeEnabled();
  await button.click();
  await expect(page.getByTestId('deploy-recommendation')).toBeVisible({ timeout: 90_000 });
});

test('Reset during a sweep ends the sweep, leaves the address bar alone, and the next Start trains to the end', async ({ page }) => {
  await openLab(page, SMALL.replace('samples=600', 'samples=20000').replace('epochs=1', 'epochs=20'));
  await showView(page, 'Explore');
  const startUrl = page.url();
  const panel = page.getByTestId('pareto-panel');
  await panel.getByRole('button', { name: 'Run sweep' }).click();
  await expect(panel.getByTestId('sweep-progress')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'training', { timeout: 60_000 });
  // The sweep trains its own configurations without writing them into the link.
  expect(page.url()).toBe(startUrl);
  await resetAndCheckIdle(page);
  await expect(panel.getByTestId('sweep-progress')).toHaveAttribute('data-state', 'done');
  await expect(panel.getByTestId('sweep-progress')).toHaveText('Stopped by Reset after 0 of 8 configurations.');
  await expect(panel.getByRole('button', { name: 'Run sweep' })).toBeEnabled();
  expect(page.url()).toBe(startUrl);
  await startSmallAndFinish(page);
});
