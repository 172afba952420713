import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openLab, waitForEnd } from './helpers';
import { europeanCsv } from '../scripts/own-data-fixtures';

/** Draws one stroke through `points` (canvas pixels, 280 x 280) with the mouse. */
async function stroke(page: Page, points: readonly (readonly [number, number])[]): Promise<void> {
  const canvas = page.getByTestId('try-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the drawing canvas is not on screen');
  const at = ([x, y]: readonly [number, number]) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
  const [first, ...rest] = points.map(at);
  if (!first) return;
  await page.mouse.move(first[0], first[1]);
  await page.mouse.down();
  for (const [x, y] of rest) await page.mouse.move(x, y, { steps: 2 });
  await page.mouse.up();
}

/** An ellipse around the canvas centre, closed, as a person draws a 0. */
const loop = Array.from({ length: 25 }, (_, i) => {
  const a = (i / 24) * 2 * Math.PI;
  return [140 + 55 * Math.sin(a), 140 - 85 * Math.cos(a)] as const;
});

/** A PNG photo-like image of a "1": a dark, slightly slanted bar on grey paper, made by the page's own canvas. */
async function photoOfOne(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(120, 160);
    const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    ctx.fillStyle = '#d8d4cc';
    ctx.fillRect(0, 0, 120, 160);
    Object.assign(ctx, { strokeStyle: '#222', lineWidth: 12, lineCap: 'round' });
    ctx.beginPath();
    ctx.moveTo(64, 25);
    ctx.lineTo(58, 135);
    ctx.stroke();
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    return btoa(String.fromCharCode(...bytes));
  });
  return Buffer.from(base64, 'base64');
}

/** The probabilities shown (the text of each bar), their sum, and the top class shown. */
async function shown(page: Page): Promise<{ top: string | null; sum: number; bars: number }> {
  const values = await page.getByTestId('try-probabilities').locator('li').evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-probability'))));
  return { top: await page.getByTestId('try-top-class').getAttribute('data-class'), sum: values.reduce((a, b) => a + b, 0), bars: values.length };
}

test('a digit drawn on the canvas is classified, by the trained model and by its uint8 export', async ({ page }) => {
  await openLab(page, 'epochs=1&backend=wasm');
  await expect(page.getByTestId('try-hint')).toContainText('Train a model first');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  await expect(page.getByTestId('try-hint')).toContainText('Draw a digit');

  // A "1": one vertical stroke.
  await stroke(page, [[142, 40], [140, 140], [138, 240]]);
  await expect(page.getByTestId('try-top-class')).toHaveAttribute('data-class', '1');
  let s = await shown(page);
  expect(s.bars).toBe(10);
  expect(s.sum).toBeCloseTo(1, 3);
  await expect(page.getByTestId('try-time')).toHaveText(/^[\d.]+ (ms|s) on wasm$/);
  await expect(page.getByTestId('try-energy')).toHaveText(/[µmn]?Wh/);
  // Each bar also says its value in words, for screen readers.
  await expect(page.getByTestId('try-probabilities').locator('li[data-class="1"]')).toContainText(/1\s*\d+\.\d%/);

  // Clear, then a "0": one closed loop.
  await page.getByTestId('try-panel').getByRole('button', { name: 'Clear the drawing' }).click();
  await stroke(page, loop);
  await expect(page.getByTestId('try-top-class')).toHaveAttribute('data-class', '0');
  s = await shown(page);
  expect(s.sum).toBeCloseTo(1, 3);

  // An uploaded photo of a "1" is read as a digit; a file that is no image is named.
  const upload = page.getByTestId('try-upload');
  await upload.setInputFiles({ name: 'one.png', mimeType: 'image/png', buffer: await photoOfOne(page) });
  await expect(page.getByTestId('try-result')).toContainText('one.png:');
  await expect(page.getByTestId('try-top-class')).toHaveAttribute('data-class', '1');
  await upload.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('not a png') });
  await expect(page.getByTestId('try-error')).toHaveText('photo.png could not be decoded as a PNG, JPEG or WebP image; nothing was classified.');
  await expect(page.getByTestId('try-top-class')).toHaveAttribute('data-class', '1');

  // The exported file (uint8 by default) classifies the same input the same way.
  await expect(page.getByTestId('try-panel').getByRole('radio', { name: /exported file/ })).toBeDisabled();
  // Built through the page's automation handle (the Compression panel's export), so this spec does
  // not depend on where that panel sits in the workspace.
  await page.evaluate(() => (window as unknown as { labAutomation: { exportZip(): Promise<string | null> } }).labAutomation.exportZip());
  await page.getByTestId('try-panel').getByRole('radio', { name: /exported file \(trained model, uint8\)/ }).check();
  await expect(page.getByTestId('try-result')).toHaveAttribute('data-model', 'export');
  await expect(page.getByTestId('try-top-class')).toHaveAttribute('data-class', '1');
  expect((await shown(page)).sum).toBeCloseTo(1, 3);

  // The keyboard's way: a test digit, with its true class shown.
  await page.getByTestId('try-panel').getByRole('button', { name: 'Use a test digit' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('try-result')).toContainText('test example 1 of');
  await expect(page.getByTestId('try-true-class')).toHaveText(/^\d$/);
  const axe = await new AxeBuilder({ page }).include('[data-testid=try-panel]').withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
});

test('a typed 2-D point is classified, and a bad one is named without losing the result', async ({ page }) => {
  await openLab(page, 'dataset=blobs&samples=600&hidden=16&epochs=5&lr=0.03&batch=32&seed=3&backend=wasm');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  await expect(page.getByTestId('try-hint')).toContainText('Type a point (x, y)');

  // The blobs sit on a circle of radius 0.6: class 0 at angle 0, class 1 at 120°, class 2 at 240°.
  for (const [x, y, cls, read] of [['0.6', '0', '0', '0.6, 0'], ['-0,3', '0.52', '1', '-0.3, 0.52'], ['-0.3', '-0.52', '2', '-0.3, -0.52']] as const) {
    await page.getByLabel('x', { exact: true }).fill(x);
    await page.getByLabel('y', { exact: true }).fill(y);
    await page.getByTestId('try-panel').getByRole('button', { name: 'Classify' }).click();
    await expect(page.getByTestId('try-top-class')).toHaveAttribute('data-class', cls);
    await expect(page.getByTestId('try-result')).toContainText(`the point (${read})`);
    const s = await shown(page);
    expect(s.bars).toBe(3);
    expect(s.sum).toBeCloseTo(1, 3);
  }

  // The panel with a result passes axe's WCAG A/AA rules.
  const axe = await new AxeBuilder({ page }).include('[data-testid=try-panel]').withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);

  await page.getByLabel('y', { exact: true }).fill('north');
  await page.getByTestId('try-panel').getByRole('button', { name: 'Classify' }).click();
  await expect(page.getByTestId('try-error')).toHaveText('y is "north", not a number; nothing was classified.');
  await expect(page.getByTestId('try-top-class')).toHaveAttribute('data-class', '2');
});

test('a table row typed by column name is encoded as training encoded it and classified', async ({ page }) => {
  await openLab(page, 'backend=wasm&hidden=16&epochs=20&lr=0.03&batch=16&seed=3');
  await page.getByTestId('own-data-iris').click();
  await expect(page.getByTestId('own-data-summary')).toContainText('iris.csv: 150 examples');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 120_000)).toBe('finished');
  const tryPanel = page.getByTestId('try-panel');
  await expect(page.getByTestId('try-hint')).toContainText('Type a row by column name');

  // One number input per feature column, by its name, prefilled with the training medians.
  const columns = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
  for (const name of columns) {
    const field = tryPanel.getByRole('spinbutton', { name, exact: true });
    await expect(field).toHaveAttribute('type', 'number');
    await expect(field).toHaveValue(/^\d+(\.\d+)?$/);
  }
  // A setosa-like flower, typed with the keyboard only: Tab between fields, Enter classifies.
  await tryPanel.getByRole('spinbutton', { name: 'sepal_length', exact: true }).focus();
  for (const value of ['5.0', '3.4', '1.4', '0.2']) {
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(value);
    await page.keyboard.press('Tab');
  }
  await tryPanel.getByRole('spinbutton', { name: 'petal_width', exact: true }).press('Enter');
  await expect(page.getByTestId('try-top-class')).toHaveText('setosa');
  await expect(page.getByTestId('try-result')).toContainText('the row (sepal_length 5, sepal_width 3.4, petal_length 1.4, petal_width 0.2)');
  const s = await shown(page);
  expect(s.bars).toBe(3);
  expect(s.sum).toBeCloseTo(1, 3);
  await expect(page.getByTestId('try-probabilities').locator('li .name')).toHaveText(['setosa', 'versicolor', 'virginica']);
  const setosa = Number(await page.getByTestId('try-probabilities').locator('li[data-class="0"]').getAttribute('data-probability'));
  expect(setosa).toBeGreaterThan(0.5);

  // A long-petalled flower is not setosa; an empty field is filled in with the median, and said so.
  await tryPanel.getByRole('spinbutton', { name: 'petal_length', exact: true }).fill('6.0');
  await tryPanel.getByRole('spinbutton', { name: 'petal_width', exact: true }).fill('');
  await tryPanel.getByRole('button', { name: 'Classify' }).click();
  await expect(page.getByTestId('try-result')).toContainText(/petal_length 6, petal_width [\d.]+ \(median\)/);
  await expect(page.getByTestId('try-top-class')).not.toHaveText('setosa');

  const axe = await new AxeBuilder({ page }).include('[data-testid=try-panel]').withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
});

test('a categorical column of a typed row is a list of the categories training saw, missing filled with the most frequent', async ({ page }) => {
  await openLab(page, 'backend=wasm&hidden=16&epochs=10&lr=0.03&batch=16&seed=3');
  await page.getByTestId('own-data-file').setInputFiles({ name: 'sizes.csv', mimeType: 'text/csv', buffer: Buffer.from(europeanCsv(150)) });
  await expect(page.getByTestId('own-data')).toHaveAttribute('data-phase', 'ready');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 120_000)).toBe('finished');
  const row = page.getByTestId('try-table-row');
  // The free-text "note" column was left out in training, so it has no field here.
  await expect(row.locator('label > span')).toHaveText(['id', 'length', 'weight', 'colour']);
  const colour = row.getByRole('combobox', { name: 'colour' });
  const categories = await colour.locator('option').allTextContents();
  expect(categories.slice(0, 3).sort()).toEqual(['blau', 'grün', 'rot']);
  expect(categories[3]).toMatch(/^missing \(use (blau|grün|rot)\)$/);
  // Large items are 6-7.5 long (the fixture), and mostly blau.
  await row.getByRole('spinbutton', { name: 'length' }).fill('6.8');
  await colour.selectOption('blau');
  await row.getByRole('button', { name: 'Classify' }).click();
  await expect(page.getByTestId('try-top-class')).toHaveText('large');
  await expect(page.getByTestId('try-result')).toContainText(/length 6\.8, weight [\d.]+, colour blau\)/);
  await colour.selectOption('');
  await row.getByRole('button', { name: 'Classify' }).click();
  await expect(page.getByTestId('try-result')).toContainText(/colour (blau|grün|rot) \(most frequent\)\)/);

  // Leaving a feature out for the next run reads the table again; the model shown still takes its
  // own run's columns, encoded with that run's statistics.
  await page.getByRole('checkbox', { name: 'Use weight as a feature' }).uncheck();
  await expect(page.getByTestId('own-data-summary')).toContainText('examples of shape 5');
  await expect(row.locator('label > span')).toHaveText(['id', 'length', 'weight', 'colour']);
  await colour.selectOption('rot');
  await row.getByRole('button', { name: 'Classify' }).click();
  await expect(page.getByTestId('try-result')).toContainText(/weight [\d.]+, colour rot\)/);
  await expect(page.getByTestId('try-error')).toHaveCount(0);
});
