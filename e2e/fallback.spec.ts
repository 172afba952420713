import { expect, test } from '@playwright/test';
import { openLab, result, waitForEnd } from './helpers';

// This project launches Chromium without the WebGPU flags: it offers no GPU adapter.
test('with WebGPU unavailable the lab falls back and says why', async ({ page }) => {
  await openLab(page, 'dataset=xor&samples=400&hidden=8&epochs=2');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 120_000)).toBe('finished');
  const backend = await page.getByTestId('backend-name').getAttribute('data-backend');
  expect(['webgl', 'wasm', 'cpu']).toContain(backend);
  await expect(page.getByTestId('backend-explanation')).toContainText(`Training on ${backend}`);
  await expect(page.getByTestId('backend-explanation')).toContainText('webgpu, the browser offered no GPU adapter');
  expect((await result(page))?.backend).toBe(backend);
});

test('a CNN is never put on wasm, and forcing WebGPU without it falls back with a reason', async ({ page }) => {
  await openLab(page, 'model=cnn&filters=4&hidden=16&epochs=1&testFraction=0.5&backend=webgpu');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('backend-explanation')).toContainText('you chose webgpu, but it could not be used', { timeout: 60_000 });
  const backend = await page.getByTestId('backend-name').getAttribute('data-backend');
  expect(backend).not.toBe('wasm');
  await page.getByRole('button', { name: 'Stop' }).click();
  await waitForEnd(page);
});
