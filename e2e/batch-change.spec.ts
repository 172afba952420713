import { expect, test } from '@playwright/test';
import { openLab, waitForEnd } from './helpers';

// The framework's sizing decision after one epoch of 720 examples (45 steps of 16) may change the
// batch size; the page shows the change with its values, and the step count follows it.
test('a batch size the framework changes mid-run shows on the page, and the step count follows it', async ({ page }) => {
  await openLab(page, 'dataset=blobs&samples=900&hidden=32&lr=0.02&batch=16&epochs=3&seed=4&framework=on&penalty=0.05&shrinkAfter=1&shrinkBelow=0.3&refIntensity=300&maxBatch=64&backend=cpu');
  await expect(page.getByTestId('batch-size')).toHaveText('—');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 120_000)).toBe('finished');

  const first = page.getByTestId('batch-changes').getByRole('listitem').first();
  await expect(first).toContainText(/^From step 45: batch 16 → \d+/);
  const items = await page.getByTestId('batch-changes').getByRole('listitem').allInnerTexts();
  const batches = items.map((t) => Number(/batch (?:\d+ → |kept at )(\d+)/.exec(t)?.[1]));
  const last = batches.at(-1) as number;
  expect(last).toBeGreaterThan(16);
  await expect(page.getByTestId('batch-size')).toHaveText(String(last));
  // Every change names the run's new step total; the last one is what the run did.
  const total = Number(/(\d+) steps in all/.exec(items.at(-1) ?? '')?.[1]);
  await expect(page.getByTestId('steps')).toHaveText(`${total} / ${total}`);
  expect(total).toBeLessThan(3 * 45);
});
