import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { defaultConfig } from '../src/core/config/schema';
import { decodeResultLink, resultLinkUrl } from '../src/core/results/link';
import { summariseResult } from '../src/core/results/summary';
import { defaultRunResult } from '../src/core/results/test-helpers';
import type { LabResult } from '../src/core/result';
import { lab, longTasks, openLab, recordLongTasks, showView, waitForEnd } from './helpers';

const TINY = 'dataset=spiral&samples=300&hidden=8&epochs=1&seed=5';

/** Trains the experiment at `hash` and returns its result link from "Share result". */
async function runAndShare(page: Page, hash: string, nickname: string): Promise<string> {
  await openLab(page, hash);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  await page.getByTestId('result-nickname').fill(nickname);
  await page.getByTestId('share-result-button').click();
  return page.getByTestId('result-link').inputValue();
}

test('three runs shared as result links, pasted in a chat log with a truncated one, compared, grouped, exported and re-run', async ({ page }) => {
  const links: string[] = [];
  for (const batch of [16, 32, 64]) links.push(await runAndShare(page, `${TINY}&backend=cpu&batch=${batch}`, `b${batch}`));
  for (const link of links) expect(link.length).toBeLessThan(2000);

  // The link opens read-only, with "Run it yourself" and "Compare with mine".
  await page.goto(links[0]!);
  await page.reload();
  await expect(page.getByTestId('result-view')).toContainText('A shared result from b16');
  await expect(page.getByTestId('result-view')).toContainText('spiral');
  await page.getByTestId('run-it-yourself').click();
  await expect(page.getByTestId('result-view')).toHaveCount(0);
  await expect(page.locator('input[name=batch]')).toHaveValue('16');
  await expect(page).toHaveURL(/#v=1&dataset=spiral/);

  const chat = [
    '[09:00] Teacher: post your result links here please',
    `[09:01] b16: ${links[0]} (first try!)`,
    '[09:02] Sam: how do I copy it?',
    `[09:03] b32: "${links[1]}"`,
    `[09:04] b64: ${links[2]}.`,
    `[09:05] Kim: ${links[2]!.slice(0, 420)}`,
    `[09:06] b16: again ${links[0]}`,
  ].join('\n');
  const panel = page.getByTestId('compare-panel');
  await showView(page, 'Compare');
  await page.getByTestId('compare-paste').fill(chat);
  await page.getByTestId('compare-add').click();
  await expect(page.getByTestId('compare-status')).toHaveText('3 results added, 1 already in the set (merged); 1 bad entry skipped (below).');
  await expect(page.getByTestId('compare-problems')).toContainText('pasted text, line 6: the link is truncated');
  await expect(panel.locator('[data-testid=compare-table] tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('compare-carbon-chart')).toHaveAttribute('data-points', '3');
  await expect(page.getByTestId('compare-energy-chart')).toHaveAttribute('data-points', '3');
  await expect(panel.locator('[data-testid=compare-carbon-chart] canvas')).toHaveCount(1);

  await page.getByTestId('compare-group-by').selectOption('batch');
  await expect(page.locator('[data-testid=compare-groups] tbody tr')).toHaveCount(3);
  await expect(page.locator('[data-testid=compare-groups] tbody tr').nth(0)).toHaveAttribute('data-group', '16');
  await expect(page.locator('[data-testid=compare-groups] tbody tr').nth(2)).toHaveAttribute('data-group', '64');

  // Sorting by batch size, both ways.
  await panel.locator('button[data-sort=batch_size]').click();
  await expect(panel.locator('[data-testid=compare-table] tbody tr td:nth-child(5)')).toHaveText(['16', '32', '64']);
  await panel.locator('button[data-sort=batch_size]').click();
  await expect(panel.locator('[data-testid=compare-table] tbody tr td:nth-child(5)')).toHaveText(['64', '32', '16']);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('compare-csv').click()]);
  const csv = readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
  expect(download.suggestedFilename()).toBe('lab-compare.csv');
  expect(csv).toHaveLength(4);
  expect(csv[0]).toMatch(/^nickname,mine,dataset,hidden,batch_size,/);
  expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['b64', 'b32', 'b16']);

  // Re-run the batch-32 row in this browser: cpu is bit-exact, so backend, steps and accuracy match,
  // and energy is checked as mean power over the metered steps, which does not move with how long
  // this fresh page's steps took (verify.ts); the row says both times.
  const row = panel.locator('[data-testid=compare-table] tbody tr', { hasText: 'b32' });
  await row.getByTestId('rerun').click();
  await expect(row).toHaveAttribute('data-check', /^(verified|differs|not-rerun)$/, { timeout: 120_000 });
  await expect(row.getByTestId('row-check')).toHaveText(/^verified \(energy checked as mean power: .* W here, .* W claimed; its steps took [\d.]+ m?s here against [\d.]+ m?s claimed/);
  await expect(row).toHaveAttribute('data-check', 'verified');
  const check = 'verified';

  // My own run is highlighted.
  await page.getByTestId('compare-add-mine').click();
  await expect(panel.locator('[data-testid=compare-table] tbody tr[data-mine=true]')).toHaveCount(1);
  await expect(panel.locator('tr.mine')).toContainText('(mine)');

  // The set, with its check, survives a reload (IndexedDB), and the reload keeps the Compare view.
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Compare', exact: true })).toHaveAttribute('aria-selected', 'true');
  await expect(panel.locator('[data-testid=compare-table] tbody tr')).toHaveCount(4);
  await expect(panel.locator('[data-testid=compare-table] tbody tr', { hasText: 'b32' })).toHaveAttribute('data-check', check);
});

test('with 200 results the Compare view stays responsive', async ({ page }) => {
  const links = Array.from({ length: 200 }, (_, i) => {
    const config = defaultConfig();
    config.train.batchSize = [16, 32, 64, 128][i % 4]!;
    config.model.hidden = [[32], [64], [128]][i % 3]!;
    const result = defaultRunResult({ config, seed: i + 1, accuracy: 0.85 + (i % 17) / 200, kWh: 1e-4 * (1 + (i % 13) / 10) });
    return resultLinkUrl('http://127.0.0.1:4173/', summariseResult(result, `student ${i + 1}`));
  });
  await recordLongTasks(page);
  await openLab(page, TINY);
  await showView(page, 'Compare');
  const panel = page.getByTestId('compare-panel');
  await page.getByTestId('compare-paste').fill(links.map((l, i) => `${i},Student ${i + 1},"${l}"`).join('\n'));
  const since = await page.evaluate(() => performance.now());
  await page.getByTestId('compare-add').click();
  await expect(page.getByTestId('compare-status')).toHaveText('200 results added.');
  await expect(page.getByTestId('compare-pager')).toContainText('rows 1–50 of 200');
  await expect(panel.locator('[data-testid=compare-table] tbody tr')).toHaveCount(50);
  await expect(page.getByTestId('compare-carbon-chart')).toHaveAttribute('data-points', '200');
  await page.getByTestId('compare-group-by').selectOption('hidden');
  await expect(page.locator('[data-testid=compare-groups] tbody tr')).toHaveCount(3);
  await panel.locator('button[data-sort=gco2e]').click();
  await panel.locator('button[data-sort=test_accuracy]').click();
  await page.getByTestId('compare-pager').getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('compare-pager')).toContainText('rows 51–100 of 200');
  await page.waitForTimeout(500);
  const tasks = (await longTasks(page)).filter((t) => t.start >= since);
  expect(Math.max(0, ...tasks.map((t) => t.duration))).toBeLessThan(200);
});

test('the runner writes resultLink; lab -- compare reads it and lab -- verify re-runs it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-compare-'));
  const out = join(dir, 'result.json');
  expect((await lab(['run', `#${TINY}&backend=wasm`, '--out', out])).code).toBe(0);
  const result = JSON.parse(readFileSync(out, 'utf8')) as LabResult;
  const decoded = decodeResultLink(result.resultLink ?? '');
  expect(decoded.ok && decoded.summary.metrics.acc).toBe(result.metrics.testAccuracy);
  expect(result.resultLink!.length).toBeLessThan(2000);

  const csv = join(dir, 'out.csv');
  const compared = await lab(['compare', out, result.resultLink!, '--csv', csv, '--group', 'batch']);
  expect(compared.code).toBe(0);
  expect(compared.stdout).toContain('1 result (1 duplicate merged), 0 bad entries.');
  expect(readFileSync(csv, 'utf8').split('\r\n')[1]).toMatch(/^,,spiral,8,64,1,/);
  const none = await lab(['compare', result.resultLink!.slice(0, 200)]);
  expect(none.code).toBe(2);
  expect(none.stderr).toContain('argument 1, line 1: the link is truncated');

  // A claim of 10 points more accuracy than the run reached is caught; wasm is bit-exact and energy
  // is checked as mean power, so the honest file is verified.
  const claim = decodeResultLink(result.resultLink!);
  if (!claim.ok) throw new Error('the result link does not decode');
  const inflated = resultLinkUrl('http://127.0.0.1:4173/', { ...claim.summary, nick: 'inflated', metrics: { ...claim.summary.metrics, acc: (claim.summary.metrics.acc ?? 0) + 0.1 } });
  const report = join(dir, 'report.json');
  const verified = await lab(['verify', out, inflated, '--out', report]);
  expect(verified.code).toBe(1);
  const entries = (JSON.parse(readFileSync(report, 'utf8')) as { entries: { nickname: string; verification: { status: string; differences?: { field: string }[] } }[] }).entries;
  expect(entries).toHaveLength(2);
  const honest = entries[0]!.verification;
  expect(honest).toMatchObject({ status: 'verified', notes: [expect.stringMatching(/^energy checked as mean power: /)] });
  expect(entries[1]!.nickname).toBe('inflated');
  expect(entries[1]!.verification.status).toBe('differs');
  expect(entries[1]!.verification.differences!.map((d) => d.field)).toContain('testAccuracy');
  expect(verified.stdout).toMatch(/inflated: differs: .*testAccuracy \d+\.\d+% -> \d+\.\d+% \(-10\.00 points/);
});
