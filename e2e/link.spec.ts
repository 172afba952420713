import { expect, test } from '@playwright/test';
import { openLab, result, waitForEnd } from './helpers';

test('a copied link reproduces the settings and the loss curve exactly (cpu)', async ({ page, context }) => {
  await openLab(page);
  // Set up an experiment through the form, as a person would.
  await page.locator('select[name=dataset]').selectOption('circles');
  await page.locator('input[name=samples]').fill('600');
  await page.locator('input[name=hidden]').fill('12,8');
  await page.locator('select[name=activation]').selectOption('tanh');
  await page.locator('select[name=optimizer]').selectOption('momentum');
  await page.locator('input[name=lr]').fill('0.05');
  await page.locator('input[name=epochs]').fill('3');
  await page.locator('input[name=seed]').fill('1234');
  await page.locator('select[name=backend]').selectOption('cpu');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  const first = await result(page);
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toBe(first?.link);
  expect(page.url()).toBe(link);

  const other = await context.newPage();
  await other.goto(link);
  await other.waitForFunction(() => 'labAutomation' in window);
  await expect(other.getByTestId('link-issues')).toHaveCount(0);
  for (const [name, value] of [['samples', '600'], ['hidden', '12,8'], ['lr', '0.05'], ['epochs', '3'], ['seed', '1234']]) {
    await expect(other.locator(`input[name=${name}]`)).toHaveValue(value as string);
  }
  await expect(other.locator('select[name=optimizer]')).toHaveValue('momentum');
  await other.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(other)).toBe('finished');
  const second = await result(other);
  expect(second?.config).toEqual(first?.config);
  expect(second?.lossCurve).toEqual(first?.lossCurve);
});

test('the same link on WebGPU gives the same curve within float tolerance', async ({ page }) => {
  const hash = 'dataset=blobs&samples=800&hidden=16&lr=0.02&batch=32&epochs=2&seed=9&backend=webgpu';
  const curves: number[][] = [];
  for (let i = 0; i < 2; i++) {
    await openLab(page, hash);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    expect(await waitForEnd(page)).toBe('finished');
    const r = await result(page);
    expect(r?.backend).toBe('webgpu');
    curves.push(r?.lossCurve ?? []);
  }
  const [a, b] = curves as [number[], number[]];
  expect(a.length).toBe(2 * 20);
  expect(b.length).toBe(a.length);
  a.forEach((x, i) => expect(Math.abs(x - (b[i] as number))).toBeLessThan(1e-3 * Math.max(1, Math.abs(x))));
});

test('a bad link names each bad field, keeps the good ones and renders nothing as HTML', async ({ page }) => {
  const hostile = encodeURIComponent('<img src=x onerror="window.pwned=1">');
  await openLab(page, `lr=abc&epochs=1000&batch=32&${hostile}=1&activation=${hostile}&hidden=64,x`);
  const issues = page.getByTestId('link-issues');
  await expect(issues).toBeVisible();
  const fields = await issues.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-field')));
  expect(fields).toEqual(['lr', 'epochs', '<img src=x onerror="window.pwned=1">', 'activation', 'hidden']);
  await expect(issues).toContainText('lr: got "abc", expected a number from 0.00001 to 1; using the default "0.001".');
  await expect(issues).toContainText('unknown field, ignored');
  // The good field is kept, the bad ones took their defaults.
  await expect(page.locator('input[name=batch]')).toHaveValue('32');
  await expect(page.locator('input[name=lr]')).toHaveValue('0.001');
  await expect(page.locator('input[name=epochs]')).toHaveValue('2');
  // The hostile text is shown as text, never parsed as markup.
  expect(await page.locator('img').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  await expect(issues).toContainText('<img src=x onerror=');
  // The address bar is rewritten to the config actually in use.
  await expect(page).toHaveURL(/lr=0\.001/);
});

test('choosing a CNN and then 2-D data names the conflict in the form and trains the MLP', async ({ page }) => {
  await openLab(page, 'backend=cpu&epochs=1&samples=400');
  await page.locator('select[name=model]').selectOption('cnn');
  await expect(page.locator('input[name=filters]')).toBeVisible();
  await page.locator('select[name=dataset]').selectOption('spiral');
  const notices = page.getByTestId('form-notices');
  await expect(notices.locator('li[data-field=model]')).toHaveText('Model: a CNN needs image data, but dataset is "spiral"; using the MLP instead.');
  await expect(page.locator('input[name=filters]')).toHaveCount(0);
  await expect(page).toHaveURL(/model=mlp/);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  await expect(page.getByTestId('run-error')).toHaveCount(0);
  const r = await result(page);
  expect(r?.config).toMatchObject({ model: { kind: 'mlp' }, data: { dataset: 'spiral' } });
});

test('a batch too large for the training set is refused in the form with the reason', async ({ page }) => {
  await openLab(page, 'dataset=xor&samples=100');
  await page.locator('input[name=batch]').fill('90');
  await expect(page.locator('label', { has: page.locator('input[name=batch]') }).getByRole('alert')).toHaveText(
    'Batch size: 90 is more than the 80 training examples of this dataset (samples 100, test fraction 0.2); not applied.',
  );
  await expect(page).toHaveURL(/batch=64/);
});

test('a link with a thousand problems lists the first 20 and counts the rest', async ({ page }) => {
  await openLab(page, Array.from({ length: 1000 }, (_, i) => `junk${i}=1`).join('&'));
  const items = page.getByTestId('link-issues').locator('li');
  await expect(items).toHaveCount(21);
  await expect(items.first()).toHaveText('"junk0": unknown field, ignored.');
  await expect(items.last()).toHaveText('and 980 more problems in this link, not listed; each was ignored.');
});
