/** Hostile files, uploaded as a person would: each gets a message, and nothing already loaded is lost. */
import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { expect, test, type Page } from '@playwright/test';
import { openLab, result, showView, waitForEnd } from './helpers';

const RUN = 'dataset=blobs&samples=1000&hidden=16&epochs=2&seed=7&backend=wasm';

/** Hourly CSV rows from 2022-06-14 00:00 UTC. */
const hourly = (hours: number, value: (h: number) => string): string[] =>
  Array.from({ length: hours }, (_, h) => `${new Date(Date.UTC(2022, 5, 14, h)).toISOString()},${value(h)}`);

async function uploadTrace(page: Page, name: string, lines: string[]): Promise<void> {
  await showView(page, 'Schedule');
  await page.getByTestId('schedule-panel').locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
}

test('a zip bomb imported in the Compression panel gets a message; the run and the model imported before are kept', async ({ page }) => {
  await openLab(page, RUN);
  await showView(page, 'Compress');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  const before = await result(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download model (zip)' }).click()]);
  const good = readFileSync(await download.path());
  const importer = page.getByTestId('import-model');
  await importer.setInputFiles({ name: 'model.zip', mimeType: 'application/zip', buffer: good });
  await expect(page.getByTestId('import-result')).toContainText('parameters');

  // 200 MiB of zeros deflates to about 200 KiB: unpacked, it would take the worker's memory.
  const bomb = zipSync({ 'model.json': new Uint8Array(200 * 1024 * 1024) }, { level: 9 });
  expect(bomb.length).toBeLessThan(1024 * 1024);
  await importer.setInputFiles({ name: 'bomb.zip', mimeType: 'application/zip', buffer: Buffer.from(bomb) });
  await expect(page.getByTestId('import-error')).toContainText('zip entry "model.json" unpacks to 200 MiB, more than the 128 MiB an entry may have: it looks like a zip bomb');
  await expect(page.getByTestId('import-result')).toContainText('parameters');
  expect((await result(page))?.lossCurve).toEqual(before?.lossCurve);

  // The worker is alive: the good file loads again at once.
  await importer.setInputFiles({ name: 'model.zip', mimeType: 'application/zip', buffer: good });
  await expect(page.getByTestId('import-error')).toHaveCount(0);
  await expect(page.getByTestId('import-result')).toContainText('parameters');
});

test('a trace in kg is converted, a gap bomb is refused naming its line, and the kg trace stays the one replayed', async ({ page }) => {
  await openLab(page, `${RUN}&schedule=simulated&policy=run-now&start=2022-06-15T00:00&rate=0.5`);
  const panel = page.getByTestId('schedule-panel');
  await uploadTrace(page, 'grid-kg.csv', ['datetime,kgCO2/kWh', ...hourly(96, (h) => (0.2 + (h % 24) / 100).toFixed(2))]);
  await expect(panel.getByTestId('schedule-status')).toContainText('Uploaded grid-kg.csv: recognised as two-column CSV ("datetime", "kgCO2/kWh" in kgCO2/kWh)');
  await expect(panel.getByTestId('schedule-status')).toContainText('intensities converted from kgCO2/kWh to gCO2/kWh (x 1000)');

  await uploadTrace(page, 'gap-bomb.csv', ['timestamp,gCO2/kWh', '2022-06-14T00:00Z,300', '2022-06-14T01:00Z,310', '2522-06-14T00:00Z,320']);
  const error = panel.getByTestId('schedule-error');
  await expect(error).toContainText('gap-bomb.csv, line 4: this row is 500 years after the previous one (line 3');
  await expect(error).toContainText('more than the 2,000,000 a trace may have. Nothing was loaded');
  await expect(error).toContainText('The trace chosen before is kept.');

  // Start replays the kg trace uploaded before, converted to g.
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(panel.getByTestId('schedule-status')).toContainText(/converted from kgCO2\/kWh .* Replay(ing|ed) from 2022-06-15T00:00 UTC/, { timeout: 60_000 });
  await expect(panel.getByTestId('schedule-error')).toHaveCount(0);
  expect(await waitForEnd(page)).toBe('finished');
  expect((await result(page))?.schedule?.policy).toBe('run-now');
});
