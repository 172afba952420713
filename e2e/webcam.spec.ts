import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openLab, waitForEnd } from './helpers';
import { launchOptions } from '../scripts/browser';

// Chromium's fake camera (a moving test pattern) and no permission prompt.
const base = launchOptions();
test.use({ launchOptions: { ...base, args: [...base.args, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] }, permissions: ['camera'] });

/** Starts a webcam with `start` and waits until its video shows a picture. */
async function startWebcam(scope: Locator, start: string): Promise<void> {
  await scope.getByRole('button', { name: start }).click();
  await expect.poll(() => scope.locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
}

const pendingCount = async (page: Page, name: string): Promise<number> => {
  const item = page.getByTestId('own-pending').locator('li', { hasText: `${name}:` });
  if ((await item.count()) === 0) return 0;
  return Number(/: (\d+) image/.exec(await item.innerText())?.[1]);
};

/**
 * Holds the record button with `press` until it has taken at least `frames` frames, lets go with
 * `lift`, and waits for the frames to join class `name` (they are encoded after the release).
 * Returns the class's new count.
 */
async function record(page: Page, name: string, frames: number, press: () => Promise<void>, lift: () => Promise<void>): Promise<number> {
  const before = await pendingCount(page, name);
  const button = page.getByTestId('webcam-record');
  await press();
  await expect(button).toHaveText(new RegExp(`^Recording… (${frames}|[${frames + 1}-9]|\\d\\d+)$`));
  await lift();
  await expect(button).toHaveText('Hold to record');
  await expect.poll(() => pendingCount(page, name)).toBeGreaterThanOrEqual(before + frames);
  return pendingCount(page, name);
}

test('webcam frames recorded by holding the button train a model, and a webcam photo is classified', async ({ page }) => {
  await openLab(page, 'backend=wasm&hidden=8&epochs=1&batch=8&seed=1');
  const data = page.getByTestId('own-data');
  await data.getByText('Add images class by class').click();
  const className = page.getByTestId('own-class-name');
  await className.fill('left');
  await startWebcam(data, 'Capture from the webcam');

  // Class "left": held with the mouse.
  const button = page.getByTestId('webcam-record');
  await button.hover();
  const left = await record(page, 'left', 3, () => page.mouse.down(), () => page.mouse.up());
  await expect(page.getByTestId('webcam-last')).toHaveText(`${left} frames recorded`);

  // Class "right": held with Space, then more with Enter (a held key repeats; one recording each).
  await className.fill('right');
  await button.focus();
  const right = await record(page, 'right', 3, () => page.keyboard.down('Space'), () => page.keyboard.up('Space'));
  expect(right).toBeGreaterThanOrEqual(3);
  expect(await record(page, 'right', 2, () => page.keyboard.down('Enter'), () => page.keyboard.up('Enter'))).toBeGreaterThanOrEqual(right + 2);
  expect(await pendingCount(page, 'left')).toBe(left);

  await page.getByRole('button', { name: /^Train on these \d+ images$/ }).click();
  await expect(data).toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId('own-data-counts')).toContainText(`left${left}`);
  // Images default to the CNN; wasm trains MLPs only (TFJS-NOTES), so a tiny MLP it is.
  await page.locator('select[name=model]').selectOption('mlp');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 120_000)).toBe('finished');

  const tryPanel = page.getByTestId('try-panel');
  await expect(page.getByTestId('try-hint')).toContainText('take one with the webcam');
  await startWebcam(tryPanel, 'Use the webcam');
  await tryPanel.getByRole('button', { name: 'Take a photo and classify it' }).click();
  await expect(page.getByTestId('try-result')).toContainText('your webcam photo:');
  await expect(page.getByTestId('try-top-class')).toHaveText(/^(left|right)$/);
  const values = await page.getByTestId('try-probabilities').locator('li').evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-probability'))));
  expect(values).toHaveLength(2);
  expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
  await expect(page.getByTestId('try-preview')).toBeVisible();

  const axe = await new AxeBuilder({ page }).include('[data-testid=try-panel]').include('[data-testid=own-data]').withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
});
