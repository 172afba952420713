import { expect, test } from '@playwright/test';
import { openLab, result, waitForEnd } from './helpers';

test('"auto" measures the backends, picks the least energy per sample, shows the figures, and reuses them on the next run', async ({ page }) => {
  // A small MLP: every backend here can train it, so every one is measured.
  await openLab(page, 'dataset=blobs&samples=600&hidden=16&epochs=1&seed=5');
  const start = page.getByRole('button', { name: 'Start', exact: true });
  await start.click();
  const sentence = page.getByTestId('backend-explanation');
  await expect(sentence).toContainText('the least energy per training sample (measured in', { timeout: 60_000 });
  await expect(sentence).toContainText(/wasm: [\d,]+ samples\/s/);
  expect(await waitForEnd(page)).toBe('finished');
  const first = await result(page);
  const picked = await page.getByTestId('backend-name').textContent();
  expect(first?.backend).toBe(picked);
  // The sentence names the pick first.
  await expect(sentence).toContainText(`Training on ${picked}, the least energy`);

  // Same model shape and batch, more epochs: the cached figures apply at once.
  await page.locator('input[name=epochs]').fill('2');
  await start.click();
  await expect(sentence).toContainText('measured earlier in this browser for this model and batch', { timeout: 30_000 });
  expect(await waitForEnd(page)).toBe('finished');
  expect((await result(page))?.backend).toBe(picked);
});

test('a forced backend is used as before, without measuring', async ({ page }) => {
  await openLab(page, 'dataset=blobs&samples=600&hidden=16&epochs=1&seed=5&backend=cpu');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  await expect(page.getByTestId('backend-explanation')).toHaveText('Training on cpu (chosen by you).');
});

test('a CNN that no backend can step within the probe still avoids the software WebGPU adapter', async ({ page }) => {
  // A CNN step takes about a second on each backend here, and wasm cannot train a CNN.
  await openLab(page, 'model=cnn&epochs=1&seed=5');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const sentence = page.getByTestId('backend-explanation');
  await expect(sentence).toContainText(/measured in|within the probe/, { timeout: 60_000 });
  await expect(page.getByTestId('backend-name')).not.toHaveText('webgpu');
  await expect(sentence).not.toContainText('Training on webgpu');
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
});
