import { expect, test } from '@playwright/test';
import { openLab, result, waitForEnd } from './helpers';

// This spec needs the service worker that every other spec blocks.
test.use({ serviceWorkers: 'allow' });

test('after one visit the lab reloads with no network and trains MNIST to the end', async ({ page, context }) => {
  await openLab(page, 'epochs=1&backend=wasm');
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 120_000 });

  await context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => 'labAutomation' in window);
  // Truly offline: a request past the service worker fails.
  expect(await page.evaluate(() => fetch('https://example.org/', { mode: 'no-cors' }).then(() => 'online', () => 'offline'))).toBe('offline');

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 180_000)).toBe('finished');
  const r = await result(page);
  expect(r?.data.name).toMatch(/mnist/i);
  expect(r?.metrics.testAccuracy).toBeGreaterThan(0.8);
});
