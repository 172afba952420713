import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { lab, openLab, result, waitForEnd } from './helpers';
import { zipSync } from 'fflate';
import { classFolderZip, europeanCsv, png } from '../scripts/own-data-fixtures';
import { encodeDatasetFile } from '../src/core/data/format';
import type { LabResult } from '../src/core/result';

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const file = (name: string, content: Uint8Array | string, mimeType = 'text/csv') => ({ name, mimeType, buffer: Buffer.from(content) });
const panel = (page: Page) => page.getByTestId('own-data');

async function upload(page: Page, name: string, content: Uint8Array | string, mimeType?: string): Promise<void> {
  await page.getByTestId('own-data-file').setInputFiles(file(name, content, mimeType));
}

test('a semicolon CSV with decimal commas, quotes, missing values and a categorical column trains above chance', async ({ page }) => {
  const csv = europeanCsv(300);
  await openLab(page, 'backend=wasm&hidden=16&epochs=8&lr=0.01&batch=32&seed=3');
  await upload(page, 'sizes.csv', csv);
  await expect(panel(page)).toHaveAttribute('data-phase', 'ready');
  const preview = page.getByTestId('own-data-preview');
  await expect(page.getByTestId('own-data-summary')).toContainText('300 examples');
  await expect(page.getByTestId('own-data-summary')).toContainText('3 classes');
  await expect(preview.locator('[data-column-kind]')).toHaveText([/numeric/, /numeric/, /numeric, \d+ missing/, /categorical, \d+ missing/, /ignored/, /label/]);
  await expect(page.getByTestId('own-data-head')).toContainText('note 0; free "text" here');
  const notices = page.getByTestId('own-data-notices');
  await expect(notices).toContainText('Column "weight": 18 missing value(s) were filled with the training data\'s median');
  await expect(notices).toContainText('Column "colour": 13 missing value(s) were filled with the most frequent value');
  await expect(notices).toContainText('Column "note" was left out');
  await expect(page.getByTestId('own-data-counts')).toContainText('small100');

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 120_000)).toBe('finished');
  const r = (await result(page)) as LabResult;
  // Three balanced classes: chance is 33%.
  expect(r.metrics.testAccuracy).toBeGreaterThan(0.6);
  const data = r.config.data as { dataset: string; name: string; fingerprint: string };
  expect(data).toMatchObject({ dataset: 'table', name: 'sizes.csv', fingerprint: sha256(csv) });
  // The link names the data, never holds it.
  expect(r.link).toContain(`fingerprint=${sha256(csv)}`);
  expect(r.link).not.toContain('note');
});

test('a zip of class folders with one corrupt image trains, and the corrupt file is named', async ({ page }) => {
  await openLab(page, 'backend=wasm&hidden=16&epochs=4&lr=0.01&batch=16&seed=5');
  await upload(page, 'shades.zip', classFolderZip(20, { corrupt: 'light/broken.png' }), 'application/zip');
  await expect(panel(page)).toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId('own-data-notices')).toContainText('1 file(s) could not be decoded and were skipped: light/broken.png');
  await expect(page.getByTestId('own-data-counts')).toContainText('dark20');
  await expect(page.getByTestId('own-data-counts')).toContainText('light20');
  // Images default to the CNN; wasm trains MLPs only (TFJS-NOTES), so choose the MLP.
  await expect(page.locator('select[name=model]')).toHaveValue('cnn');
  await page.locator('select[name=model]').selectOption('mlp');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 120_000)).toBe('finished');
  const r = (await result(page)) as LabResult;
  expect(r.metrics.testAccuracy).toBeGreaterThan(0.75);
  expect(r.config.data).toMatchObject({ dataset: 'images', shape: [28, 28, 1], classes: ['dark', 'light'] });
});

test('bad tables are named with where, and what was loaded before is kept', async ({ page }) => {
  await openLab(page, 'backend=wasm');
  await page.getByTestId('own-data-iris').click();
  await expect(page.getByTestId('own-data-summary')).toContainText('iris.csv: 150 examples');
  const error = page.getByTestId('own-data-error');
  const cases: [string, string, RegExp][] = [
    ['ragged.csv', 'a,b,label\n1,2,x\n3,4,y\n5,6\n7,8,x\n', /Line 4 has 2 fields, but the header has 3/],
    ['text.csv', 'a;b;label\n1,5;2;x\n3;4;y\n5;six;x\n7;8;y\n9;10;x\n', /Line 4, column "b": "six" is not a number/],
    ['one.csv', 'a,label\n1,x\n2,x\n3,x\n', /only one class \("x"\)/],
    ['thin.csv', 'a,label\n1,x\n2,x\n3,y\n', /Class "y" .* has fewer than 2 examples/],
    ['empty.csv', '', /empty/],
  ];
  for (const [name, text, message] of cases) {
    await upload(page, name, text);
    await expect(error).toHaveText(message);
    await expect(error).toContainText('The data loaded before (iris.csv) is kept.');
    await expect(page.getByTestId('own-data-summary')).toContainText('iris.csv');
  }
  // Images at the top of the zip, in no class folder.
  const dot = png(4, 4, () => [0, 0, 0]);
  await upload(page, 'flat.zip', zipSync({ 'a.png': dot, 'b.png': dot }), 'application/zip');
  await expect(error).toContainText('No class folders with images were found');
  await expect(error).toContainText('The data loaded before (iris.csv) is kept.');
});

test('a link to your own data, opened in a fresh profile, asks for the file and accepts only the same file', async ({ page, browser }) => {
  const csv = europeanCsv(120, 3);
  await openLab(page, 'backend=wasm&hidden=8&epochs=1');
  await upload(page, 'sizes.csv', csv);
  await expect(panel(page)).toHaveAttribute('data-phase', 'ready');
  await expect.poll(() => page.url()).toContain(`fingerprint=${sha256(csv)}`);
  const link = page.url();

  const fresh = await browser.newContext({ serviceWorkers: 'block' });
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(panel(other)).toHaveAttribute('data-phase', 'missing');
  await expect(other.getByTestId('own-data-asked')).toContainText(`sizes.csv (SHA-256 ${sha256(csv).slice(0, 12)}…`);
  await expect(other.getByTestId('own-data-asked')).toContainText('classes large, medium, small');
  await upload(other, 'sizes.csv', europeanCsv(120, 4));
  await expect(other.getByTestId('own-data-error')).toContainText(`sizes.csv is not the file this link was made with: its SHA-256 starts ${sha256(europeanCsv(120, 4)).slice(0, 12)}`);
  await expect(panel(other)).toHaveAttribute('data-phase', 'missing');
  await upload(other, 'renamed.csv', csv);
  await expect(panel(other)).toHaveAttribute('data-phase', 'ready');
  await other.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(other, 120_000)).toBe('finished');
  expect(((await result(other)) as LabResult).config.data).toMatchObject({ fingerprint: sha256(csv) });
  await fresh.close();
});

test('choosing another label column and leaving a feature out reads the table again, and the link follows', async ({ page }) => {
  await openLab(page, 'backend=wasm');
  await upload(page, 'sizes.csv', europeanCsv(120));
  await expect(page.getByTestId('own-data-summary')).toContainText('3 classes');
  await page.getByTestId('own-label').selectOption('colour');
  await expect(page.getByTestId('own-data-counts')).toContainText('blau');
  await expect(page.getByTestId('own-data-notices')).toContainText('row(s) without a label (column "colour") were left out');
  await expect.poll(() => page.url()).toContain('label=colour');
  await expect.poll(() => page.url()).toMatch(/classes=blau,gr(%C3%BC|ü)n,rot/);
  await page.getByRole('checkbox', { name: 'Use weight as a feature' }).uncheck();
  await expect.poll(() => page.url()).toContain('features=id,length,note,size');
  // id, length and the three sizes one-hot (note is free text, left out).
  await expect(page.getByTestId('own-data-summary')).toContainText('examples of shape 5');
});

test('images added class by class, and a file in the lab binary format, load with their per-class counts', async ({ page }) => {
  await openLab(page, 'backend=wasm');
  await page.getByText('Add images class by class').click();
  const shade = (v: number) => png(8, 8, () => [v, v, v]);
  for (const [cls, v] of [['night', 10], ['day', 240]] as const) {
    await page.getByTestId('own-class-name').fill(cls);
    await page.getByTestId('own-class-files').setInputFiles([0, 1, 2].map((i) => file(`${cls}${i}.png`, shade(v + i), 'image/png')));
  }
  await expect(page.getByTestId('own-pending')).toHaveText(['night: 3 images', 'day: 3 images'].join(''));
  await page.getByRole('button', { name: 'Train on these 6 images' }).click();
  await expect(page.getByTestId('own-data-counts')).toContainText('day3');
  await expect(page.getByTestId('own-data-counts')).toContainText('night3');
  await expect(page.getByTestId('own-data-summary')).toContainText('night-day images: 6 examples');

  // The lab's binary format: 40 4x4 one-channel images of two classes.
  const labels = Uint8Array.from({ length: 40 }, (_, i) => i % 2);
  const pixels = Uint8Array.from({ length: 40 * 16 }, (_, k) => ((labels[Math.floor(k / 16)] as number) ? 230 : 20));
  await upload(page, 'tiny.bin', encodeDatasetFile({ rows: 4, cols: 4, channels: 1, numClasses: 2, pixels, labels }), 'application/octet-stream');
  await expect(page.getByTestId('own-data-summary')).toContainText('tiny.bin: 40 examples');
  await expect(page.getByTestId('own-data-summary')).toContainText('shape 4×4×1');
});

/** A folder `shades/` on disk with one sub-folder per class of 8x8 PNGs, as a person keeps them. */
function classFolders(perClass: number): string {
  const root = join(mkdtempSync(join(tmpdir(), 'lab-folder-')), 'shades');
  for (const [cls, v] of [['dark', 20], ['light', 230]] as const) {
    mkdirSync(join(root, cls), { recursive: true });
    for (let i = 0; i < perClass; i++) writeFileSync(join(root, cls, `${i}.png`), png(8, 8, (x) => (x < 4 ? [v, v, v] : [v + 5 * i, v, v])));
  }
  return root;
}

/**
 * Drops `dir` on the drop zone as the operating system does: Chromium's DevTools drag events
 * with the folder's path, so the page reads it through DataTransferItem.webkitGetAsEntry.
 */
async function dropFolder(page: Page, dir: string): Promise<void> {
  const box = await page.getByRole('region', { name: 'Drop a file or folder here' }).boundingBox();
  if (!box) throw new Error('the drop zone is not shown');
  const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const cdp = await page.context().newCDPSession(page);
  const data = { items: [], files: [dir], dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
  await cdp.detach();
}

test('a dropped folder of class folders trains and shows its per-class counts; the folder picker reads the same data', async ({ page }) => {
  const dir = classFolders(4);
  await openLab(page, 'backend=wasm&hidden=8&epochs=1&batch=4&seed=2');
  await dropFolder(page, dir);
  await expect(panel(page)).toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId('own-data-summary')).toContainText('shades/: 8 examples');
  await expect(page.getByTestId('own-data-counts').locator('tbody tr')).toHaveText(['dark4', 'light4']);
  const fingerprint = await page.getByTestId('own-data-summary').locator('code').getAttribute('title');
  expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);

  // Images default to the CNN; wasm trains MLPs only (TFJS-NOTES), so choose the MLP.
  await page.locator('select[name=model]').selectOption('mlp');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 120_000)).toBe('finished');
  const r = (await result(page)) as LabResult;
  expect(r.config.data).toMatchObject({ dataset: 'images', name: 'shades/', fingerprint, classes: ['dark', 'light'] });

  // The same folder through "Choose a folder" (webkitdirectory), after other data, is the same data: one fingerprint.
  await page.getByTestId('own-data-iris').click();
  await expect(page.getByTestId('own-data-summary')).toContainText('iris.csv: 150 examples');
  await page.getByTestId('own-data-folder').setInputFiles(dir);
  await expect(panel(page)).toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId('own-data-summary').locator('code')).toHaveAttribute('title', fingerprint as string);
  await expect(page.getByTestId('own-data-counts').locator('tbody tr')).toHaveText(['dark4', 'light4']);
});

test('the runner trains on a table with the defaults, and on a zip of class folders with a link', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'own-'));
  const csvPath = join(dir, 'sizes.csv');
  writeFileSync(csvPath, europeanCsv(300));
  const out = join(dir, 'result.json');
  // Every default but the backend ("auto" would time each backend first; `'{}'` works the same, slower).
  const r = await lab(['run', '{"backend": "wasm"}', '--data', csvPath, '--out', out]);
  expect(r.stderr).not.toContain('problem');
  expect(r.code).toBe(0);
  const saved = JSON.parse(readFileSync(out, 'utf8')) as LabResult;
  expect(saved.config.data).toMatchObject({ dataset: 'table', name: 'sizes.csv', fingerprint: sha256(readFileSync(csvPath)) });
  expect(r.stdout).toContain(`data sizes.csv (table, SHA-256 ${sha256(readFileSync(csvPath)).slice(0, 12)}`);
  expect(r.stdout).toContain('model mlp');

  const zipPath = join(dir, 'shades.zip');
  writeFileSync(zipPath, classFolderZip(10));
  const z = await lab(['run', '#backend=wasm&model=mlp&hidden=8&epochs=1', '--data', zipPath]);
  expect(z.code).toBe(0);
  // The link's model=mlp holds; without it the images would choose the CNN.
  expect(z.stdout).toContain('data shades.zip (images, SHA-256');
  expect(z.stdout).toContain('2 classes: dark, light), model mlp');
});
