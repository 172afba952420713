import { expect, test } from '@playwright/test';
import { openLab, result, showView, waitForEnd } from './helpers';

// Small and on wasm; the grid is California's 2022 trace, whose solar midday is far cleaner than its evening.
const RUN = 'dataset=spiral&samples=4000&hidden=32,32&activation=tanh&lr=0.01&batch=16&epochs=4&seed=5&backend=wasm';

test('a simulated replay pauses training in dirty hours, resumes it in clean ones, and accounts for it', async ({ page }) => {
  await openLab(page, RUN);
  await showView(page, 'Schedule');
  const panel = page.getByTestId('schedule-panel');
  await panel.locator('select[name=schedule-mode]').selectOption('simulated');
  await panel.locator('select[name=schedule-policy]').selectOption('forecast-window');
  await panel.locator('select[name=schedule-trace]').selectOption('us-ciso-2022');
  // 00:00 UTC is evening in California: the policy should wait for the next day's solar hours.
  await panel.locator('input[name=schedule-start]').fill('2022-06-15T00:00');
  await panel.locator('input[name=schedule-rate]').fill('6');
  await panel.locator('input[name=schedule-slack]').fill('24');
  await expect(page).toHaveURL(/schedule=simulated&policy=forecast-window&trace=us-ciso-2022&start=2022-06-15T00%3A00&rate=6&slack=24/);
  await page.getByRole('button', { name: 'Start', exact: true }).click();

  await expect(page.getByTestId('schedule-decision')).toHaveAttribute('data-duty', '0', { timeout: 20_000 });
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'paused', { timeout: 20_000 });
  await expect(page.getByTestId('schedule-decision')).toContainText('Paused');
  // Later the policy runs the job in cleaner hours and the run finishes.
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', /training|evaluating/, { timeout: 60_000 });
  expect(await waitForEnd(page, 120_000)).toBe('finished');
  await expect(page.getByTestId('schedule-status')).toContainText('The run finished');
  const account = page.getByTestId('schedule-account');
  await expect(account).toContainText(/paused in [1-9]/);
  await expect(account).toContainText('less than run-now');
  await expect(account).toContainText('oracle');
  await expect(page.getByTestId('schedule-timeline')).toBeVisible();
  const r = await result(page);
  expect(r?.schedule?.policy).toBe('forecast-window');
  expect(r?.schedule?.simulated).toBe(true);
  expect(r?.schedule?.pausedSeconds).toBeGreaterThanOrEqual(3600);
  expect(r?.schedule?.savingVsRunNow).toBeGreaterThan(0);
  // The energy panel prices the same run on the same trace and simulated clock.
  expect(r?.carbon?.provider).toBe('replay');
  expect(r?.carbon?.region).toBe('us-ciso-2022');
});

test('a start outside the trace gets a clear message and nothing runs', async ({ page }) => {
  await openLab(page, `${RUN}&schedule=simulated&start=2030-01-01T00:00`);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('schedule-error')).toContainText('outside the trace');
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'idle');
});

test('Reset during a scheduled run stops the schedule too, and the next run is unscheduled and finishes', async ({ page }) => {
  await openLab(page, `${RUN}&schedule=simulated&start=2022-06-15T00:00&rate=6`);
  await showView(page, 'Schedule');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'paused', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'idle');
  await expect(page.getByTestId('schedule-decision')).toHaveCount(0);
  // The old driver must not pause the next, unscheduled run.
  await page.getByTestId('schedule-panel').locator('select[name=schedule-mode]').selectOption('off');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  expect((await result(page))?.schedule ?? null).toBeNull();
});
