import { expect, test } from '@playwright/test';
import { figure, trainOnce } from './lessons-helpers';
import { openLab } from './helpers';

test('a student\'s record prints alone and travels in a result link that the Compare view shows with its answers', async ({ page }) => {
  await openLab(page, 'lesson=cost-of-a-run');
  const lesson = page.getByTestId('lessons');
  await trainOnce(page);
  await expect(lesson.getByTestId('lesson-status')).toContainText('Done');
  const question = await lesson.locator('label[for=lesson-answer]').innerText();
  const wh = figure(question, /typically [\d.]+ Wh/);
  await lesson.locator('#lesson-answer').fill(`It was ${wh}; the range is the device's uncertainty.`);

  // Printing ("Save as PDF") shows the record with the answer and its figures, and none of the workspace.
  await page.emulateMedia({ media: 'print' });
  const record = page.getByTestId('lesson-record');
  await expect(record).toBeVisible();
  await expect(record).toContainText('My record: What does one training run cost?');
  await expect(record).toContainText(question);
  await expect(record).toContainText(`It was ${wh}`);
  await expect(record).toContainText('The same run on a coal-heavy grid (not done)');
  for (const chrome of [page.locator('header h1'), page.locator('select[name=dataset]'), page.getByRole('button', { name: 'Start', exact: true }), lesson.getByTestId('lesson-step'), page.getByTestId('share-result')]) {
    await expect(chrome).toBeHidden();
  }
  const pdf = await page.pdf({ format: 'A4' });
  // One page: the record alone (Chromium writes one "/Type /Page" object per page).
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g)?.length).toBe(1);
  await page.emulateMedia({ media: 'screen' });
  await expect(record).toBeHidden();

  // Shared as a result link: it opens read-only with the record, and Compare shows the answers.
  await lesson.getByTestId('lesson-nickname').fill('Ada');
  await lesson.getByTestId('lesson-share').click();
  const link = await lesson.getByTestId('lesson-result-link').inputValue();
  expect(link).toMatch(/#r=1\.\d+\.[0-9a-f]{8}\./);
  await page.goto(link);
  await page.reload();
  const view = page.getByTestId('result-view');
  await expect(view).toContainText('A shared result from Ada');
  await expect(view.getByTestId('result-lesson')).toContainText('Lesson record: What does one training run cost? (1 of 4 steps done)');
  await expect(view.getByTestId('result-lesson')).toContainText(question);
  await page.getByTestId('compare-with-mine').click();
  const table = page.getByTestId('compare-table');
  await expect(table.getByRole('button', { name: 'lesson answers' })).toBeVisible();
  await expect(table.locator('tbody tr').first()).toContainText(`cost-of-a-run (1/4 done): 1. It was ${wh}; the range is the device's uncertainty.`);
});
