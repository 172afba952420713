import { expect, test, type Page } from '@playwright/test';
import { openLab, showView, waitForEnd } from './helpers';
import { VIEW_TABS } from '../src/core/workspace/link';

// The workspace: a header always in sight, views as tabs whose choice is part of the link, and no
// sideways scrolling from a phone to a wide projector.

const SMALL = 'dataset=blobs&samples=400&hidden=8&epochs=2&seed=3&backend=wasm';

const selectedTab = (page: Page) => page.locator('[role=tab][aria-selected=true]');

test('the tabs work by keyboard: arrows, Home and End move and show the view, and the link follows', async ({ page }) => {
  await openLab(page, SMALL);
  await expect(selectedTab(page)).toHaveText('Train');
  await expect(page.locator('#view-train')).toBeVisible();
  await page.getByRole('tab', { name: 'Train', exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(selectedTab(page)).toHaveText('Footprint');
  await expect(page.getByRole('tab', { name: 'Footprint', exact: true })).toBeFocused();
  await expect(page.getByRole('tabpanel', { name: 'Footprint' })).toBeVisible();
  await expect(page.locator('#view-train')).toBeHidden();
  await expect(page).toHaveURL(/#view=footprint&/);
  await page.keyboard.press('End');
  await expect(selectedTab(page)).toHaveText('Lessons');
  await page.keyboard.press('ArrowRight');
  await expect(selectedTab(page)).toHaveText('Train');
  await page.keyboard.press('ArrowLeft');
  await expect(selectedTab(page)).toHaveText('Lessons');
  await page.keyboard.press('Home');
  await expect(selectedTab(page)).toHaveText('Train');
  // Train is the default view, so its link has no view= at all.
  await expect(page).not.toHaveURL(/view=/);
  // Only the chosen tab is in the tab order; Tab leaves the tab list.
  await expect(page.locator('[role=tab][tabindex="0"]')).toHaveCount(1);
});

test('a pasted link opens its view, reload keeps it, Back and Forward return to the views before', async ({ page }) => {
  await openLab(page, `view=schedule&${SMALL}`);
  await expect(selectedTab(page)).toHaveText('Schedule');
  await expect(page.getByTestId('schedule-panel')).toBeVisible();
  await expect(page.locator('#view-train')).toBeHidden();
  // The experiment from the same link is in place.
  await expect(page.locator('select[name=dataset]')).toHaveValue('blobs');
  await page.reload();
  await expect(selectedTab(page)).toHaveText('Schedule');

  await showView(page, 'Compress');
  await expect(page).toHaveURL(/#view=compress&/);
  await page.goBack();
  await expect(selectedTab(page)).toHaveText('Schedule');
  await expect(page.getByTestId('schedule-panel')).toBeVisible();
  await page.goForward();
  await expect(selectedTab(page)).toHaveText('Compress');
});

test('an unknown view in a link is named, and the lab opens on Train with the rest of the link', async ({ page }) => {
  await openLab(page, `view=kitchen&${SMALL}`);
  await expect(page.getByTestId('link-issues')).toContainText('view: "kitchen" is not a view');
  await expect(selectedTab(page)).toHaveText('Train');
  await expect(page.locator('input[name=samples]')).toHaveValue('400');
});

test('a run keeps going across views: the header shows its progress and footprint, and the curves survive', async ({ page }) => {
  await openLab(page, SMALL);
  await showView(page, 'Deploy');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  await expect(page.getByTestId('steps')).toBeVisible();
  await expect(page.getByTestId('steps')).toHaveText(/^(\d+) \/ \1$/);
  await expect(page.getByTestId('header-wh')).toHaveText(/^[\d.e-]+ Wh$/);
  await expect(page.getByTestId('header-gco2e')).toHaveText(/gCO2e$/);
  await expect(page.getByTestId('header-intensity')).toHaveText(/g\/kWh$/);
  // The status line is a polite live region, so the finish is announced without moving focus.
  await expect(page.getByTestId('status')).toHaveAttribute('aria-live', 'polite');
  await showView(page, 'Train');
  await expect(page.getByTestId('loss-chart').locator('canvas')).toBeVisible();
  const width = await page.getByTestId('loss-chart').evaluate((el) => (el.querySelector('canvas') as HTMLCanvasElement).getBoundingClientRect().width);
  expect(width).toBeGreaterThan(100);
});

test('an open lesson keeps its step card beside every view, and a step switches the tab', async ({ page }) => {
  await openLab(page, 'lesson=cost-of-a-run&step=2');
  // Step 2 of this lesson works in the Footprint view.
  await expect(selectedTab(page)).toHaveText('Footprint');
  await expect(page.getByTestId('lesson-step')).toContainText('Step 2 of 4');
  await showView(page, 'Schedule');
  await expect(page.getByTestId('lesson-step')).toBeVisible();
  await expect(page.getByTestId('schedule-panel')).toBeVisible();
  await page.getByRole('button', { name: 'Previous step' }).click();
  await expect(selectedTab(page)).toHaveText('Train');
  await expect(page).toHaveURL(/lesson=cost-of-a-run&step=1/);
});

/** Elements that stick out past the right edge of the viewport, outside any scrolling box. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (el: Element | null): boolean => {
      for (let e = el; e && e !== document.body; e = e.parentElement) if (/(auto|scroll|hidden)/.test(getComputedStyle(e).overflowX)) return true;
      return false;
    };
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) out.push(`page is ${document.documentElement.scrollWidth} px wide in ${width} px`);
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 1 || scrolls(el.parentElement)) continue;
      out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} ends at ${Math.round(r.right)} px`);
    }
    return out.slice(0, 10);
  });
}

// 640 px wide is a 1280 px screen at 200% zoom.
const SIZES = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
  { width: 640, height: 400 },
  { width: 1024, height: 768 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

test('no view overflows sideways from 360 px to 1920 px wide, or at 200% zoom, after a run', async ({ page }) => {
  await openLab(page, SMALL);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  const found: string[] = [];
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const { label } of VIEW_TABS) {
      await showView(page, label);
      // Charts refit on the next frame after a resize.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      for (const problem of await overflowing(page)) found.push(`${size.width}x${size.height} ${label}: ${problem}`);
    }
  }
  expect(found).toEqual([]);
});
