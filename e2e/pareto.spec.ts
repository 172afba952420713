import { expect, test, type Page } from '@playwright/test';
import { openLab, showView } from './helpers';

const BASE = 'dataset=xor&samples=600&epochs=1&backend=wasm';

/** Ticks exactly the given values of each sweep setting in the Pareto panel. */
async function tickOnly(page: Page, wanted: Record<string, string[]>): Promise<void> {
  const panel = page.getByTestId('pareto-panel');
  for (const [dimension, values] of Object.entries(wanted)) {
    const boxes = panel.locator(`input[name=sweep-${dimension}]`);
    for (let i = 0; i < (await boxes.count()); i++) {
      const box = boxes.nth(i);
      await box.setChecked(values.includes((await box.getAttribute('value')) ?? ''));
    }
  }
}

test('a small sweep completes, its front is highlighted and a Pareto point opens as a config and link', async ({ page }) => {
  await openLab(page, BASE);
  await showView(page, 'Explore');
  const startUrl = page.url();
  const panel = page.getByTestId('pareto-panel');
  await tickOnly(page, { batchSize: ['64'], learningRate: ['0.001'], hidden: ['32', '128'], sparsity: ['0'], precision: ['float32'], policy: ['run-now', 'forecast-window'] });
  await expect(panel.getByTestId('sweep-size')).toHaveText('4 configurations');

  await panel.getByRole('button', { name: 'Run sweep' }).click();
  await expect(panel.getByTestId('sweep-progress')).toContainText('1 of 4');
  await expect(panel.getByTestId('sweep-progress')).toHaveAttribute('data-state', 'done', { timeout: 200_000 });
  await expect(panel.getByTestId('sweep-error')).toHaveCount(0);
  await expect(panel.getByTestId('sweep-progress')).toHaveText('Done: 4 of 4 configurations.');

  // The user's own settings are back.
  await expect(page.locator('input[name=hidden]')).toHaveValue('128');
  expect(page.url()).toBe(startUrl);

  const rows = panel.locator('[data-testid=sweep-table] tbody tr');
  await expect(rows).toHaveCount(4);
  for (let i = 0; i < 4; i++) {
    const cells = rows.nth(i).locator('td');
    await expect(cells.nth(2)).toHaveText(/^\d+\.\d%$/);
    await expect(cells.nth(4)).toHaveText(/^\d.*(mg|g)$/);
  }
  // The policy does not change training: the forecast-window point reuses the run-now training,
  // and on CISO's solar dip it is priced below it.
  const [now, window] = [rows.nth(0).locator('td'), rows.nth(1).locator('td')];
  await expect(window.nth(1)).toContainText('training shared with #1');
  expect(await window.nth(3).innerText()).toBe(await now.nth(3).innerText());
  const grams = async (cell: typeof now) => {
    const [value, unit] = (await cell.nth(4).innerText()).split(' ');
    return Number(value) * (unit === 'mg' ? 1e-3 : 1);
  };
  expect(await grams(window)).toBeLessThan(await grams(now));
  await expect(panel.getByTestId('pareto-carbon-chart')).toHaveAttribute('data-points', '4');
  await expect(panel.getByTestId('pareto-energy-chart')).toHaveAttribute('data-points', '4');
  const front = panel.locator('[data-testid=sweep-table] tbody tr.front');
  expect(await front.count()).toBeGreaterThanOrEqual(1);
  await expect(panel.getByTestId('sweep-picked')).toBeVisible();

  // Open a point on the front: its settings go into the form and its link into the address bar.
  const row = front.first();
  const hidden = (await row.locator('td').nth(1).innerText()).match(/(\d+) units/)?.[1];
  const href = (await row.getByTestId('sweep-open').getAttribute('href')) ?? '';
  expect(href).toMatch(/^#v=1&/);
  await row.getByTestId('sweep-open').click();
  await expect(page.locator('input[name=hidden]')).toHaveValue(hidden ?? '');
  // The student stays in the Explore view, which the address keeps in front of the experiment.
  await expect(page).toHaveURL(new RegExp(`#view=explore&${href.slice(1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  expect(page.url()).toContain('policy=forecast-window');
  expect(page.url()).toContain('schedule=simulated');
  expect(page.url()).toContain('dataset=xor');
});

test('cancel stops the current run and the sweep, and restores the settings', async ({ page }) => {
  await openLab(page, `${BASE.replace('samples=600', 'samples=20000').replace('epochs=1', 'epochs=20')}`);
  await showView(page, 'Explore');
  const startUrl = page.url();
  const panel = page.getByTestId('pareto-panel');
  await tickOnly(page, { batchSize: ['32', '64'], learningRate: ['0.001'], hidden: ['32'], sparsity: ['0'], precision: ['float32'], policy: ['run-now'] });
  await expect(panel.getByTestId('sweep-size')).toHaveText('2 configurations');
  await panel.getByRole('button', { name: 'Run sweep' }).click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'training', { timeout: 60_000 });
  await panel.getByTestId('sweep-cancel').click();
  await expect(panel.getByTestId('sweep-progress')).toHaveText('Cancelled after 0 of 2 configurations.', { timeout: 60_000 });
  await expect(panel.locator('[data-testid=sweep-table]')).toHaveCount(0);
  await expect(page.locator('input[name=batch]')).toHaveValue('64');
  expect(page.url()).toBe(startUrl);
});

test('the sweep can sweep the backend: each run trains on its ticked backend', async ({ page }) => {
  await openLab(page, 'dataset=spiral&samples=300&epochs=1&backend=wasm');
  await showView(page, 'Explore');
  const panel = page.getByTestId('pareto-panel');
  await tickOnly(page, { batchSize: ['64'], learningRate: ['0.001'], hidden: ['32'], sparsity: ['0'], precision: ['float32'], backend: ['wasm', 'cpu'], policy: ['run-now'] });
  await expect(panel.getByTestId('sweep-size')).toHaveText('2 configurations');
  await panel.getByRole('button', { name: 'Run sweep' }).click();
  await expect(panel.getByTestId('sweep-progress')).toHaveText('Done: 2 of 2 configurations.', { timeout: 120_000 });
  const rows = panel.locator('[data-testid=sweep-table] tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).locator('td').nth(1)).toHaveText('batch 64, lr 0.001, 32 units, dense, float32, on wasm, run-now');
  await expect(rows.nth(1).locator('td').nth(1)).toHaveText('batch 64, lr 0.001, 32 units, dense, float32, on cpu, run-now');
  // What the worker reports it trained on, not only what was asked for.
  await expect(rows.nth(0)).toHaveAttribute('data-ran-on', 'wasm');
  await expect(rows.nth(1)).toHaveAttribute('data-ran-on', 'cpu');
  // The cpu point opens as a config with that backend, and the lab's own setting was left as it was.
  await expect(page.locator('select[name=backend]')).toHaveValue('wasm');
  const href = (await rows.nth(1).getByTestId('sweep-open').getAttribute('href')) ?? '';
  expect(href).toContain('backend=cpu');
  await rows.nth(1).getByTestId('sweep-open').click();
  await expect(page.locator('select[name=backend]')).toHaveValue('cpu');
});
