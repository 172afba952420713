import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openLab, showView, waitForEnd } from './helpers';
import { VIEW_TABS } from '../src/core/workspace/link';

// axe-core on every view of the workspace, before and after a run (a finished run fills the
// reports, tables and charts). Each violation is listed with its rule and the nodes it found.

const SMALL = 'dataset=blobs&samples=400&hidden=8&epochs=2&seed=3&backend=wasm';

async function violationsIn(page: Page, label: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.map((v) => `${label}: ${v.id} (${v.impact}) on ${v.nodes.length} node(s): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('axe finds no violations on any view, before and after a run', async ({ page }) => {
  await openLab(page, SMALL);
  const found: string[] = [];
  for (const { label } of VIEW_TABS) {
    await showView(page, label);
    found.push(...(await violationsIn(page, `${label}, before a run`)));
  }
  await showView(page, 'Train');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  for (const { label } of VIEW_TABS) {
    await showView(page, label);
    found.push(...(await violationsIn(page, `${label}, after a run`)));
  }
  expect(found).toEqual([]);
});

test('axe finds no violations with a lesson open beside a view, in projector type', async ({ page }) => {
  await openLab(page, 'lesson=cost-of-a-run&step=1');
  await page.getByLabel('Projector (large type)').check();
  await expect(page.locator('html')).toHaveClass(/projector/);
  await expect(page.getByTestId('lesson-step')).toBeVisible();
  expect(await violationsIn(page, 'lesson open, projector')).toEqual([]);
});
