/**
 * npm run bench:data [-- --csv-mb 10] [--images 5000] [--build]
 *
 * Issue 15's data benchmark, in headless Chromium on the built lab, through the Data panel as a
 * person would load a file: generates a numeric CSV of `--csv-mb` MB and a zip of `--images`
 * 28x28 PNGs in two class folders, then prints for each
 *   - rows (images) per second parsing (decoding) in the worker, and the SHA-256 time,
 *   - the time from handing the file over to the preview (read, parse, hash, keep in IndexedDB),
 *   - the time from Start to the first training step (wasm, MLP 32), and the total from the file,
 *   - the longest main-thread task while the data loaded, against issue 15's 50 ms target (ratio <= 1
 *     passes): a `longtask` entry's duration, or with none (every task under 50 ms) the longest wait
 *     of a 0 ms timer, which bounds it; and the long animation frame that blocked longest, with its scripts.
 * Exits 1 when a main-thread task passed 50 ms, or when the observer missed a 120 ms busy loop.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ensureBuilt, openLab } from './harness.ts';
import { classFolderZip, numericCsv } from './own-data-fixtures.ts';

// Issue 15, "Performance": while data loads, no main-thread task over 50 ms.
const MAX_MAIN_THREAD_TASK_MS = 50;

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const csvMb = option('--csv-mb', 10);
const imageCount = option('--images', 5000);

interface Measured {
  readonly examples: number;
  readonly parseMs: number;
  readonly hashMs: number;
  readonly loadMs: number;
  readonly firstStepMs: number;
  /** The longest task the longtask observer reported (0: none over 50 ms). */
  readonly longestTaskMs: number;
  /** The longest the page's 0 ms timer waited while loading (a task, a frame's rendering, or the CPU taken by others). */
  readonly longestGapMs: number;
  /** The long animation frame that blocked longest while loading, and the scripts that ran in it. */
  readonly longestFrame: string;
}

/** What the page records while the data loads (see watchLongTasks). */
interface Watched {
  readonly tasks: number[];
  readonly frames: { ms: number; what: string }[];
  /** The longest wait between two runs of a 0 ms interval timer: how long the page could not answer. */
  gapMs: number;
  lastTick: number;
  timer: number;
}

/**
 * Records each long task's duration (PerformanceObserver `longtask`), and for each long
 * animation frame (Chromium's `long-animation-frame` entries, which name the scripts that ran)
 * its blocking time and its longest scripts, so a FAIL says what ran long. Frames that began
 * before watching (the page's own start) are left out.
 */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const since = performance.now();
    const watched: Watched = { tasks: [], frames: [], gapMs: 0, lastTick: since, timer: 0 };
    (window as unknown as { benchWatched: Watched }).benchWatched = watched;
    // Long tasks are reported only over 50 ms; the timer's gaps give a figure below that too.
    watched.timer = window.setInterval(() => {
      const now = performance.now();
      watched.gapMs = Math.max(watched.gapMs, now - watched.lastTick);
      watched.lastTick = now;
    }, 0);
    new PerformanceObserver((list) => list.getEntries().forEach((e) => watched.tasks.push(e.duration))).observe({ type: 'longtask' });
    interface Script {
      readonly duration: number;
      readonly invokerType: string;
      readonly invoker: string;
      readonly sourceFunctionName: string;
    }
    interface Frame {
      readonly startTime: number;
      readonly blockingDuration: number;
      readonly scripts: readonly Script[];
    }
    try {
      new PerformanceObserver((list) =>
        (list.getEntries() as unknown as Frame[])
          .filter((f) => f.startTime >= since && f.blockingDuration > 0)
          .forEach((f) => {
            // Inline, not a named helper: tsx's __name wrapper does not exist in the page.
            const top = [...f.scripts].sort((a, b) => b.duration - a.duration).slice(0, 3);
            const what = top.map((x) => `${x.invokerType} ${x.invoker} ${x.sourceFunctionName || '(anonymous)'} ${x.duration.toFixed(0)} ms`).join('; ');
            watched.frames.push({ ms: f.blockingDuration, what: what || 'no script (style, layout, paint or GC)' });
          }),
      ).observe({ type: 'long-animation-frame' });
    } catch {
      // An engine without long-animation-frame entries: durations only.
    }
  });
}

/** Checks that the observer sees a long task at all (a 120 ms busy loop in the page must be recorded), then forgets it. */
async function checkWatching(page: Page): Promise<void> {
  // In a timer task of the page's own: a task run from page.evaluate (DevTools) is not reported.
  await page.evaluate(() => {
    setTimeout(() => {
      const end = performance.now() + 120;
      while (performance.now() < end);
    }, 0);
  });
  const seen = await page.waitForFunction(() => Math.max(0, ...(window as unknown as { benchWatched: Watched }).benchWatched.tasks) >= 100, undefined, { timeout: 5000 }).then(
    () => true,
    () => false,
  );
  if (!seen) throw new Error('the longtask observer did not record a 120 ms busy loop: the main-thread figure would mean nothing');
  await page.evaluate(() => {
    const watched = (window as unknown as { benchWatched: Watched }).benchWatched;
    watched.tasks.length = 0;
    watched.frames.length = 0;
    watched.gapMs = 0;
  });
}

/** Stops the timer; the longest long task, the longest timer gap, and the blocking time and scripts of the frame that blocked longest. */
async function longest(page: Page): Promise<{ taskMs: number; gapMs: number; frame: string }> {
  return page.evaluate(() => {
    const { tasks, frames, gapMs, timer } = (window as unknown as { benchWatched: Watched }).benchWatched;
    clearInterval(timer);
    const top = [...frames].sort((a, b) => b.ms - a.ms)[0];
    return { taskMs: Math.max(0, ...tasks), gapMs, frame: top ? `blocked ${top.ms.toFixed(0)} ms over 50 ms: ${top.what}` : 'none blocked' };
  });
}

/** Loads `file` through the Data panel, then trains until the first step. */
async function measure(file: string, hash: string): Promise<Measured> {
  const session = await openLab(hash);
  const { page } = session;
  try {
    await watchLongTasks(page);
    await checkWatching(page);
    const t0 = Date.now();
    await page.getByTestId('own-data-file').setInputFiles(file);
    const preview = page.locator('[data-testid=own-data-preview]');
    await page.waitForFunction(() => document.querySelector('[data-testid=own-data-error]') !== null || document.querySelector('[data-testid=own-data]')?.getAttribute('data-phase') === 'ready', undefined, { timeout: 600_000 });
    const error = await page.locator('[data-testid=own-data-error]').count();
    if (error) throw new Error(`${file}: ${await page.locator('[data-testid=own-data-error]').textContent()}`);
    const loadMs = Date.now() - t0;
    // The redraw after the config names the data, and the link's update, come after the preview: wait them out.
    await page.waitForTimeout(1000);
    const { taskMs: longestTaskMs, gapMs: longestGapMs, frame } = await longest(page);
    const attr = async (name: string) => Number(await preview.getAttribute(name));
    // Images default to the CNN, which wasm cannot train (TFJS-NOTES): time the MLP on both.
    await page.locator('select[name=model]').selectOption('mlp').catch(() => undefined);
    const t1 = Date.now();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=steps]')?.textContent?.split('/')[0]) > 0, undefined, { timeout: 600_000, polling: 20 });
    const firstStepMs = Date.now() - t1;
    return { examples: await attr('data-examples'), parseMs: await attr('data-parse-ms'), hashMs: await attr('data-hash-ms'), loadMs, firstStepMs, longestTaskMs, longestGapMs, longestFrame: frame };
  } finally {
    await session.close();
  }
}

function report(what: string, unit: string, bytes: number, m: Measured): boolean {
  const ok = m.longestTaskMs <= MAX_MAIN_THREAD_TASK_MS;
  console.log(`${what} (${(bytes / 1e6).toFixed(1)} MB, ${m.examples.toLocaleString('en')} ${unit}):`);
  console.log(`  ${Math.round(m.examples / (m.parseMs / 1000)).toLocaleString('en')} ${unit}/s ${unit === 'rows' ? 'parsing' : 'decoding'} in the worker (${(m.parseMs / 1000).toFixed(2)} s), SHA-256 ${(m.hashMs / 1000).toFixed(3)} s`);
  console.log(`  file to preview ${(m.loadMs / 1000).toFixed(2)} s; Start to first training step ${(m.firstStepMs / 1000).toFixed(2)} s; file to first step ${((m.loadMs + m.firstStepMs) / 1000).toFixed(2)} s`);
  // With no long task reported, the longest task was under 50 ms and no longer than the timer's longest wait.
  const bound = m.longestTaskMs > 0 ? m.longestTaskMs : Math.min(m.longestGapMs, MAX_MAIN_THREAD_TASK_MS);
  const task = m.longestTaskMs > 0 ? `${m.longestTaskMs.toFixed(0)} ms` : `at most ${bound.toFixed(0)} ms (no long task reported)`;
  console.log(`  longest main-thread task while loading: ${task}; longest wait of a 0 ms timer ${m.longestGapMs.toFixed(0)} ms`);
  console.log(`  ratio ${(bound / MAX_MAIN_THREAD_TASK_MS).toFixed(2)} of the ${MAX_MAIN_THREAD_TASK_MS} ms target: ${ok ? 'PASS' : 'FAIL'}`);
  console.log(`  longest-blocking animation frame while loading: ${m.longestFrame}`);
  return ok;
}

async function main(): Promise<number> {
  ensureBuilt(argv.includes('--build'));
  const dir = mkdtempSync(join(tmpdir(), 'bench-data-'));
  const csv = numericCsv(csvMb * 1e6);
  const csvPath = join(dir, 'table.csv');
  writeFileSync(csvPath, csv);
  const zip = classFolderZip(Math.ceil(imageCount / 2), { size: 28 });
  const zipPath = join(dir, 'images.zip');
  writeFileSync(zipPath, zip);
  const hash = 'backend=wasm&hidden=32&epochs=1&batch=64';
  const table = report('CSV table', 'rows', csv.length, await measure(csvPath, hash));
  const images = report('Images (zip of class folders, 28x28 PNG)', 'images', zip.length, await measure(zipPath, hash));
  return table && images ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  },
);
