import { expect, test } from '@playwright/test';
import { openLab, result, showView, waitForEnd } from './helpers';
import { validateResult } from '../src/core/result';

// A small MLP on synthetic data, trained for one epoch on wasm (which trains MLPs).
const HASH = 'dataset=blobs&samples=600&hidden=16&epochs=1&seed=11&backend=wasm';

test('the deployment benchmark times the backends headless Chromium has, and its recommendation respects the target', async ({ page }) => {
  await openLab(page, HASH);
  await showView(page, 'Deploy');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 120_000)).toBe('finished');

  const started = Date.now();
  await page.getByTestId('deploy-run').click();
  const recommendation = page.getByTestId('deploy-recommendation');
  await expect(recommendation).toBeVisible({ timeout: 90_000 });
  const seconds = (Date.now() - started) / 1000;
  expect(seconds).toBeLessThan(60);

  // Every backend that runs here is in the table; wasm and cpu always do.
  const rows = page.locator('[data-testid=deploy-table] tbody tr');
  const cells = await rows.evaluateAll((trs) => trs.map((tr) => ({ backend: tr.getAttribute('data-backend'), precision: tr.getAttribute('data-precision'), batch: Number(tr.getAttribute('data-batch')), p95: Number(tr.getAttribute('data-p95')) })));
  const backends = new Set(cells.map((c) => c.backend));
  expect(backends).toContain('wasm');
  expect(backends).toContain('cpu');
  expect(new Set(cells.map((c) => c.precision))).toEqual(new Set(['float32', 'float16', 'uint8', 'pruned']));

  // A target between the fastest and slowest cell: the pick meets it and is the least energy that does.
  const sorted = cells.map((c) => c.p95).sort((a, b) => a - b);
  const target = sorted[Math.floor(sorted.length / 2)]!;
  await page.getByTestId('deploy-target').fill(String(target));
  await expect(recommendation).toHaveAttribute('data-meets-target', 'true');
  const r = await result(page);
  expect(validateResult(r)).toEqual([]);
  const d = r!.deployment!;
  expect(d.latencyTargetMs).toBe(target);
  const picked = d.table.find((row) => row.backend === d.recommended?.backend && row.precision === d.recommended?.precision && row.batchSize === d.recommended?.batchSize)!;
  expect(picked.p95Ms).toBeLessThanOrEqual(target);
  const best = Math.min(...d.table.filter((row) => row.p95Ms <= target && (row.accuracy === null || row.accuracy >= Math.max(...d.table.map((x) => x.accuracy ?? 0)) - 0.01)).map((row) => row.whPer1000));
  expect(picked.whPer1000).toBe(best);
  console.log(`deployment: ${cells.length} cells on ${[...backends].join(', ')} in ${seconds.toFixed(1)} s; target ${target.toFixed(3)} ms -> ${d.recommended?.backend}, ${d.recommended?.precision}, batch ${d.recommended?.batchSize}`);
  console.log(d.table.map((row) => `${row.backend} ${row.precision} b${row.batchSize}: p50 ${row.p50Ms.toFixed(3)} p95 ${row.p95Ms.toFixed(3)} ms, ${Math.round(row.throughputPerSecond)}/s, ${(row.whPer1000 * 1000).toPrecision(3)} mWh/1000`).join('\n'));

  // A target nothing meets: the page says so and offers the fastest configuration, marked as missing.
  await page.getByTestId('deploy-target').fill('0.0001');
  await expect(recommendation).toHaveAttribute('data-meets-target', 'false');
  await expect(recommendation).toContainText('No configuration meets the target');
  await expect(page.getByTestId('deploy-pick')).toContainText('misses the target');

  // Charts and the break-even are drawn; training's backend is back for the next run.
  await expect(page.getByTestId('deploy-batching-chart')).toBeVisible();
  await expect(page.getByTestId('deploy-transfer-chart')).toBeVisible();
  await expect(page.getByTestId('deploy-break-even')).toContainText('requests of');
  const again = await result(page);
  expect(again?.deployment?.meetsTarget).toBe(false);
  expect(again?.backend).toBe('wasm');
});

type Automation = { labAutomation: { deploy(request: object): Promise<string | null>; exportZip(): Promise<string | null> } };

test('a model trained on WebGPU survives the benchmark: the worker is back on its device and the model still evaluates', async ({ page }) => {
  await openLab(page, 'dataset=blobs&samples=600&hidden=16&epochs=1&seed=11&backend=webgpu');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 120_000)).toBe('finished');
  const error = await page.evaluate(() => (window as unknown as Automation).labAutomation.deploy({ batchSizes: [1, 8], cellMs: 30 }));
  expect(error).toBeNull();
  expect((await result(page))?.deployment?.table.some((row) => row.backend === 'webgpu')).toBe(true);
  // The export reads the trained model's weights on the training backend and evaluates the file.
  const zip = await page.evaluate(() => (window as unknown as Automation).labAutomation.exportZip());
  expect(zip?.length ?? 0).toBeGreaterThan(100);
  const r = await result(page);
  expect(Math.abs((r?.compression?.accuracyAfter ?? -1) - (r?.metrics.testAccuracy ?? 0))).toBeLessThan(0.05);
});
