/** Shared steps for the end-to-end specs: drive the lab as a person would and read what it shows. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, type Page } from '@playwright/test';
import type { LabResult } from '../src/core/result';

export const PHASE = '[data-testid=status]';

/** Opens the lab at a hash (share link). */
export async function openLab(page: Page, hash = ''): Promise<void> {
  await page.goto(`/#${hash}`);
  await page.waitForFunction(() => 'labAutomation' in window);
}

export async function phase(page: Page): Promise<string> {
  return (await page.locator(PHASE).getAttribute('data-phase')) ?? '';
}

/** Waits until the run ends and returns the phase it ended in. */
export async function waitForEnd(page: Page, timeout = 200_000): Promise<string> {
  await expect(page.locator(PHASE)).toHaveAttribute('data-phase', /^(finished|stopped|failed)$/, { timeout });
  return phase(page);
}

/** Steps done so far, read from the progress display ("12 / 250"). */
export async function stepsDone(page: Page): Promise<number> {
  const text = await page.getByTestId('steps').innerText();
  return Number(text.split('/')[0]?.trim()) || 0;
}

/** The result file of the last run, as the Download button would give it. */
export function result(page: Page): Promise<LabResult | null> {
  return page.evaluate(() => (window as unknown as { labAutomation: { result(): LabResult | null } }).labAutomation.result());
}

/** Starts recording main-thread long tasks (call before navigation). */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

export function longTasks(page: Page): Promise<{ start: number; duration: number }[]> {
  return page.evaluate(() => (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks);
}

export const pageNow = (page: Page): Promise<number> => page.evaluate(() => performance.now());

const run = promisify(execFile);

/** Runs `npm run lab -- ARGS` (the headless runner) and returns its exit code and output. */
export async function lab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/lab.ts', ...args], { timeout: 200_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}


/** Shows a view of the workspace as a person would: by clicking its tab ('Train', 'Schedule', ...). */
export async function showView(page: Page, label: string): Promise<void> {
  const tab = page.getByRole('tab', { name: label, exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}
