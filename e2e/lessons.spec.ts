import { expect, test } from '@playwright/test';
import { openLab, showView, waitForEnd } from './helpers';

test('a lesson link opens its step, sets the lab up, checks the run and asks about the student\'s own figures', async ({ page }) => {
  await openLab(page, 'lesson=cost-of-a-run&step=1');
  const lesson = page.getByTestId('lessons');
  await expect(lesson.getByRole('heading', { name: 'What does one training run cost?' })).toBeVisible();
  await expect(lesson.getByTestId('lesson-step')).toContainText('Step 1 of 4');
  // The step's preset is applied over the defaults.
  await expect(page.locator('select[name=dataset]')).toHaveValue('mnist');
  await expect(page.locator('input[name=epochs]')).toHaveValue('1');
  await expect(lesson.getByTestId('lesson-status')).toHaveText('Not done yet.');

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page, 180_000)).toBe('finished');
  await expect(lesson.getByTestId('lesson-status')).toContainText('Done');
  const question = lesson.locator('label[for=lesson-answer]');
  await expect(question).toContainText(/Your run used between [\d.,]+ Wh and [\d.,]+ Wh/);
  await lesson.locator('#lesson-answer').fill('The power of this laptop is only known roughly.');
  await lesson.getByRole('button', { name: 'Next step' }).click();
  await expect(lesson.getByTestId('lesson-step')).toContainText('Step 2 of 4');
  // The lesson and step are in the address, so the teacher can send the class here.
  expect(page.url()).toContain('lesson=cost-of-a-run&step=2');
  await lesson.getByRole('button', { name: /^1\. Train the digit recogniser once \(done\)$/ }).click();
  await expect(lesson.locator('#lesson-answer')).toHaveValue('The power of this laptop is only known roughly.');
});

test('a teacher\'s lesson with mistakes is refused with each problem and its line, and the lab is unchanged', async ({ page }) => {
  await page.route('https://school.example/bad.md', (route) => route.fulfill({ body: '---\nid: bad\ntitle: Bad\nminutes: 10\nsummary: S\n---\n## Step: One\ndo: go\ncheck: result.energy.kwh > 0\n<script>alert(1)</script>\n', contentType: 'text/markdown', headers: { 'access-control-allow-origin': '*' } }));
  await openLab(page, 'epochs=3');
  await showView(page, 'Lessons');
  const lesson = page.getByTestId('lessons');
  await lesson.getByLabel('Open a lesson file from an https address').fill('https://school.example/bad.md');
  await lesson.getByRole('button', { name: 'Open', exact: true }).click();
  const alert = lesson.getByRole('alert');
  await expect(alert).toContainText('2 problems and was not opened');
  await expect(alert.getByRole('listitem').nth(0)).toContainText('line 9: "result.energy.kwh": "kwh" is not in the result');
  // Markup in a lesson is shown as the text it is, never run.
  await expect(alert.getByRole('listitem').nth(1)).toHaveText('line 10: "<script>alert(1)</script>" is not "key: value"');
  await expect(page.locator('input[name=epochs]')).toHaveValue('3');
});
