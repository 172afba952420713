/** Drives a lesson as a student would: each step's action, its check turning done, an answer, Next. */
import { expect, type Page } from '@playwright/test';
import type { LessonView } from '../src/core/lessons/parse';
import { openLab, PHASE, waitForEnd } from './helpers';

/** One step as the student does it. */
export interface StepPlan {
  /** What the step says to do. */
  readonly act: (page: Page) => Promise<void>;
  /** What the question must read once its figures are measured. */
  readonly question: RegExp;
  /** The student's answer, written from the question as it reads (with their own figures). */
  readonly answer: (question: string) => string;
}

/**
 * Makes a view's panel visible. Until the workspace has tabs every panel is on the page and this
 * scrolls to it; with tabs it clicks the view's tab.
 */
export async function showPanel(page: Page, view: LessonView): Promise<void> {
  const tab = page.locator(`[role=tab][data-view=${view}]`);
  if (await tab.isVisible()) await tab.click();
  else await page.locator(`[data-view-panel=${view}]`).scrollIntoViewIfNeeded();
}

/** Presses Start and waits for the run to finish. */
export async function trainOnce(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  // A scheduled run keeps the last run's "finished" on screen while its trace loads, and a short
  // run may be over before any check here sees it start: so this only waits for an end on screen,
  // and the lesson's own check (it counts the runs finished) is what the walk waits on after it.
  await waitForEnd(page, 120_000);
  await expect(page.locator(PHASE)).not.toHaveAttribute('data-phase', 'failed');
}

/** The first figure of a kind in a question, e.g. `figure(q, /[\d.]+ Wh/)`. */
export function figure(question: string, pattern: RegExp): string {
  const m = pattern.exec(question);
  if (!m) throw new Error(`no ${pattern} in "${question}"`);
  return m[0];
}

/** Opens `#lesson=<id>` and walks it from step 1 to the end; returns each question as answered. */
export async function driveLesson(page: Page, id: string, title: string, steps: readonly StepPlan[]): Promise<string[]> {
  await openLab(page, `lesson=${id}`);
  const lesson = page.getByTestId('lessons');
  await expect(lesson.getByRole('heading', { name: title })).toBeVisible();
  const asked: string[] = [];
  for (const [i, step] of steps.entries()) {
    await expect(lesson.getByTestId('lesson-step')).toContainText(`Step ${i + 1} of ${steps.length}:`);
    await step.act(page);
    await expect(lesson.getByTestId('lesson-status')).toContainText('Done', { timeout: 120_000 });
    const question = lesson.locator('label[for=lesson-answer]');
    await expect(question).toHaveText(step.question);
    const text = await question.innerText();
    expect(text).not.toContain('not measured yet');
    asked.push(text);
    await lesson.locator('#lesson-answer').fill(step.answer(text));
    if (i < steps.length - 1) await lesson.getByRole('button', { name: 'Next step' }).click();
  }
  await expect(lesson.getByTestId('lesson-complete')).toContainText(`Lesson complete: all ${steps.length} steps done`);
  return asked;
}
