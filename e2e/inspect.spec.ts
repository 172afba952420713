import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { longTasks, openLab, recordLongTasks, waitForEnd } from './helpers';

// Ten epochs of 200 steps on wasm (a few seconds of training); pruning runs from epoch 2 to 8,
// so the first snapshots show the dense network and the last ones 80 % of each kernel gone.
const LIVE = 'dataset=spiral&samples=4000&hidden=16,16&batch=16&epochs=10&seed=3&backend=wasm&prune=on&sparsity=0.8&pruneFrom=2&pruneTo=8&pruneEvery=10';
const MNIST = 'epochs=1&hidden=32&backend=wasm';

interface Seen {
  phase: string;
  draws: number;
  /** A checksum of the boundary canvas's pixels. */
  pixels: number;
  nonZero: number;
  total: number;
}

/** Records, in the page, each new state of the boundary and network views with the run's phase. */
async function recordViews(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { seen: Seen[] };
    w.seen = [];
    let last = '';
    const look = () => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=boundary]');
      const net = document.querySelector('[data-testid=network]');
      const state = `${canvas?.dataset.draws}/${net?.getAttribute('data-nonzero')}`;
      if (state === last || !canvas || !net) return;
      last = state;
      const data = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) sum = (sum * 31 + (data[i] as number) + 7 * (data[i + 1] as number)) % 1_000_000_007;
      w.seen.push({
        phase: document.querySelector('[data-testid=status]')?.getAttribute('data-phase') ?? '',
        draws: Number(canvas.dataset.draws),
        pixels: sum,
        nonZero: Number(net.getAttribute('data-nonzero')),
        total: Number(net.getAttribute('data-total')),
      });
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-draws', 'data-nonzero'] });
  });
}

const seen = (page: Page): Promise<Seen[]> => page.evaluate(() => (window as unknown as { seen: Seen[] }).seen);

/** Pixels of the boundary canvas close to the points' outline colour (#1d2125). */
function outlinePixels(page: Page): Promise<number> {
  return page.getByTestId('boundary').evaluate((canvas: HTMLCanvasElement) => {
    const data = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if ((data[i] as number) < 60 && (data[i + 1] as number) < 60 && (data[i + 2] as number) < 60) dark++;
    return dark;
  });
}

/**
 * At a phone's width, the parts of the inspect panel that stick out past its right edge (the
 * matrix scrolls inside its own box). The panel is held at the width a 390 px page gives it, so
 * the other panels' widths (the workspace's own issue) do not hide its own overflow.
 */
async function overflowAtPhoneWidth(page: Page): Promise<string[]> {
  await page.setViewportSize({ width: 390, height: 844 });
  return page.getByTestId('inspect-panel').evaluate((panel: HTMLElement) => {
    panel.style.width = `${390 - 2 * 16}px`;
    const right = panel.getBoundingClientRect().right;
    const out = [...panel.querySelectorAll('*')].filter((el) => !el.closest('.matrix') && el.getBoundingClientRect().right > right + 1).map((el) => `${el.tagName} ${Math.round(el.getBoundingClientRect().right - right)}px`);
    panel.style.width = '';
    return out;
  });
}

async function startInView(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  // The views poll only while they are on screen: bring them into sight once the run's charts
  // have taken their place above them.
  await expect(page.getByTestId('steps')).toHaveText(/^[1-9]\d* \//, { timeout: 120_000 });
  await page.getByTestId('inspect-panel').scrollIntoViewIfNeeded();
}

test('on the spiral the boundary is drawn live over the points, and pruning removes connections from the network', async ({ page }) => {
  await openLab(page, LIVE);
  await recordViews(page);
  await startInView(page);
  expect(await waitForEnd(page)).toBe('finished');
  const views = await seen(page);
  const training = views.filter((v) => v.phase === 'training');
  console.log(`spiral: ${views.length} view states seen, ${training.length} while training`);
  // The boundary was drawn while the model trained, and it changed on screen.
  expect(training.length).toBeGreaterThanOrEqual(1);
  expect(new Set(views.map((v) => v.pixels)).size).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('boundary')).toHaveAttribute('data-points', '4000');
  expect(await outlinePixels(page)).toBeGreaterThan(4000);
  // Dense before the schedule began, about a fifth of each kernel left after it.
  const first = views[0] as Seen;
  expect(first.nonZero).toBe(first.total);
  const network = page.getByTestId('network');
  const total = Number(await network.getAttribute('data-total'));
  expect(total).toBe(2 * 16 + 16 * 16 + 16 * 2);
  const nonZero = Number(await network.getAttribute('data-nonzero'));
  expect(nonZero).toBeLessThan(0.3 * total);
  expect(Number(await network.getAttribute('data-edges'))).toBe(nonZero);
  // Pruned connections never come back: each snapshot shows at most as many as the one before.
  expect(views.every((v, i) => i === 0 || v.nonZero <= (views[i - 1] as Seen).nonZero)).toBe(true);
  await expect(page.getByTestId('inspect-panel')).toContainText(`${nonZero} of ${total} drawn connections are non-zero`);
  expect(await overflowAtPhoneWidth(page)).toEqual([]);
});

test('on MNIST, choosing a cell of the confusion matrix shows its digits, by mouse and by keyboard', async ({ page }) => {
  await openLab(page, MNIST);
  await startInView(page);
  expect(await waitForEnd(page)).toBe('finished');
  const digits = page.getByTestId('confusion-digits');
  await expect(digits).toHaveAttribute('data-cell', 'misclassified');
  expect(Number(await digits.getAttribute('data-count'))).toBeGreaterThan(0);

  // The largest mistake: an off-diagonal cell.
  const cells = page.getByTestId('confusion').getByRole('button');
  const labels = await cells.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? ''));
  const parsed = labels.map((l, i) => {
    const [, count, actual, predicted] = /^(\d+) with true class (\d) predicted as (\d)$/.exec(l) ?? [];
    return { i, count: Number(count), actual, predicted };
  });
  const worst = parsed.filter((c) => c.actual !== c.predicted).sort((a, b) => b.count - a.count)[0];
  expect(worst?.count).toBeGreaterThan(0);
  await cells.nth(worst!.i).click();
  await expect(digits).toHaveAttribute('data-cell', String(worst!.i));
  // The caption counts the cell in the matrix shown now (the run's final snapshot may have
  // replaced the one read above): it agrees with the cell's own label.
  const cell = cells.nth(worst!.i);
  await expect
    .poll(async () => {
      const count = /^(\d+) with/.exec((await cell.getAttribute('aria-label')) ?? '')?.[1];
      const caption = await page.getByTestId('confusion-digits-caption').innerText();
      const drawn = await digits.getAttribute('data-count');
      return caption.includes(`true ${worst!.actual}, predicted ${worst!.predicted}: ${count} digit`) && drawn === String(Math.min(10, Number(count)));
    })
    .toBe(true);
  // Ink on the grid: the cell's digits are drawn.
  const ink = await digits.evaluate((canvas: HTMLCanvasElement) => {
    const data = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if ((data[i] as number) < 128) dark++;
    return dark;
  });
  expect(ink).toBeGreaterThan(100);

  // The keyboard chooses a cell too: the diagonal cell of class 3, with Enter.
  const right = parsed.find((c) => c.actual === '3' && c.predicted === '3') as { i: number; count: number };
  await cells.nth(right.i).focus();
  await page.keyboard.press('Enter');
  await expect(digits).toHaveAttribute('data-cell', String(right.i));
  await expect(digits).toHaveAttribute('data-count', String(Math.min(10, right.count)));
  expect(await overflowAtPhoneWidth(page)).toEqual([]);
});

/**
 * A main-thread task of the page from a Chrome trace, in ms on the trace's clock: start, wall
 * time, CPU (thread) time, and the time it spent blocked on the GPU process (sync IPC).
 */
interface TracedTask {
  start: number;
  wall: number;
  cpu: number;
  gpuWait: number;
}

type TraceEvent = { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string; data?: { startTime?: number } } };

/** The mark whose trace time and page time tie the Long Tasks API's clock to the trace's. */
const CLOCK_MARK = 'lab-trace-clock';
/** Synchronous waits of the main thread on the GPU process (leaf events: they do not nest). */
const GPU_WAITS = new Set(['GpuChannel::WaitForTokenInRange', 'GpuChannel::WaitForGetOffsetInRange']);
const TRACE_CATEGORIES = ['toplevel', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'mojom'];

/**
 * From a Chrome trace: the renderer's pid, its main-thread tasks (RunTask events on
 * CrRendererMain), the start times of the `inspect-update` measures, the clock mark's time and
 * the page clock's offset (trace ms = page ms + offset).
 */
function tracedTasks(trace: Buffer): { pid: number; tasks: TracedTask[]; updates: number[]; clockAt: number; offset: number } {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain') as TraceEvent;
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const waits = onMain.filter((e) => GPU_WAITS.has(e.name));
  const tasks = onMain
    .filter((e) => e.name === 'RunTask')
    .map((e) => {
      const end = e.ts + (e.dur ?? 0);
      const gpuWait = waits.filter((w) => w.ts >= e.ts && w.ts < end).reduce((sum, w) => sum + (w.dur ?? 0), 0);
      return { start: e.ts / 1000, wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? e.dur ?? 0) / 1000, gpuWait: gpuWait / 1000 };
    });
  const updates = events.filter((e) => e.name === 'inspect-update' && (e.ph === 'b' || e.ph === 'X')).map((e) => e.ts / 1000);
  const mark = events.find((e) => e.name === CLOCK_MARK && e.args?.data?.startTime !== undefined) as TraceEvent;
  return { pid: main.pid, tasks, updates, clockAt: mark.ts / 1000, offset: mark.ts / 1000 - (mark.args?.data?.startTime as number) };
}

/** A reading of a thread's run-queue wait: when (ms, CLOCK_MONOTONIC) and ms waited so far. */
interface QueueReading {
  at: number;
  waited: number;
}

/**
 * Reads, every `everyMs`, how long each process's main thread has waited for a core, until the
 * returned function is called. /proc/PID/schedstat is the leader thread's "time spent on the cpu,
 * time spent waiting on a runqueue" in ns and its timeslices (the kernel's
 * Documentation/scheduler/sched-stats.rst); a renderer's leader thread is CrRendererMain. On
 * Linux, Chrome's trace clock is CLOCK_MONOTONIC, as Node's hrtime is (checked here: a mark's
 * trace time fell between the hrtime readings taken around it).
 */
function sampleRunQueues(pids: readonly number[], everyMs = 5): () => Map<number, QueueReading[]> {
  const readings = new Map(pids.map((pid) => [pid, [] as QueueReading[]]));
  const read = () => {
    const at = Number(process.hrtime.bigint()) / 1e6;
    for (const [pid, list] of readings) list.push({ at, waited: Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6 });
  };
  read();
  const timer = setInterval(read, everyMs);
  return () => {
    clearInterval(timer);
    read();
    return readings;
  };
}

/**
 * At most how long the thread waited for a core between `from` and `to` (ms): the wait between the
 * last reading before and the first after, capped at the span. 0 without a reading on each side.
 */
function queuedDuring(readings: readonly QueueReading[], from: number, to: number): number {
  const before = readings.findLast((r) => r.at <= from);
  const after = readings.find((r) => r.at >= to);
  return before && after ? Math.min(after.waited - before.waited, to - from) : 0;
}

/** The page's renderer processes (the page's own and any spare one), by Chrome's process list. */
async function rendererPids(browser: Browser): Promise<number[]> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  return processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
}

/** A traced task with the time its thread waited for a core during it, and what is left: its own time. */
type Accounted = TracedTask & { queued: number; own: number };

const longest = (tasks: readonly Accounted[], by: 'cpu' | 'wall' | 'own'): Accounted | undefined => tasks.reduce<Accounted | undefined>((w, t) => (!w || t[by] > w[by] ? t : w), undefined);
const ms = (t: Accounted | undefined) => (t ? `${t.wall.toFixed(1)} ms wall = ${t.queued.toFixed(1)} queued for a core + ${t.own.toFixed(1)} own (${t.cpu.toFixed(1)} CPU, ${t.gpuWait.toFixed(1)} waiting on the GPU)` : 'none');

test('while the boundary and network are live, the main thread has no task over 50 ms', async ({ page, browser }) => {
  await recordLongTasks(page);
  // Longer than LIVE: on an idle machine LIVE ends in a few seconds, before enough snapshots to measure.
  await openLab(page, LIVE.replace('epochs=10', 'epochs=30'));
  const stopSampling = sampleRunQueues(await rendererPids(browser));
  const load = loadavg()[0] as number;
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  await page.evaluate((name) => void performance.mark(name), CLOCK_MARK);
  await startInView(page);
  expect(await waitForEnd(page)).toBe('finished');
  const traced = tracedTasks(await browser.stopTracing());
  const queue = stopSampling().get(traced.pid) as QueueReading[];
  const tasks: Accounted[] = traced.tasks.map((t) => {
    const queued = queuedDuring(queue, t.start, t.start + t.wall);
    // Its work and its traced waits are its own, whatever the queue reading's slack.
    return { ...t, queued, own: Math.max(t.wall - queued, t.cpu + t.gpuWait) };
  });
  const traceEnd = Math.max(...tasks.map((t) => t.start + t.wall));
  const long = (await longTasks(page)).filter((e) => e.start + traced.offset >= traced.clockAt && e.start + e.duration + traced.offset <= traceEnd);
  // Each entry of the Long Tasks API is a task of the trace (the longest overlapping it: tasks
  // nest, and the two clocks may differ by a few ms), so the trace sees what a user feels. The entry's own time is its wall time less the
  // queue for a core, and at least the traced task's work and waits.
  const felt = long.map((e) => {
    const start = e.start + traced.offset;
    const end = start + e.duration;
    const task = longest(tasks.filter((t) => t.start < end && t.start + t.wall > start), 'wall');
    const queued = queuedDuring(queue, start, end);
    return task && { ...task, wall: e.duration, queued, own: Math.max(e.duration - queued, task.cpu + task.gpuWait) };
  });
  const feltTasks = felt.filter((t) => t !== undefined);
  const handling = tasks.filter((t) => traced.updates.some((u) => u >= t.start && u <= t.start + t.wall));
  const draws = Number(await page.getByTestId('boundary').getAttribute('data-draws'));
  console.log(
    `inspect views (load average ${load.toFixed(1)}): ${traced.updates.length} snapshots, ${draws} boundaries drawn; ${tasks.length} main-thread tasks; ` +
      `Long Tasks API: ${long.length} over 50 ms wall, the longest ${ms(longest(feltTasks, 'wall'))}, the longest own ${ms(longest(feltTasks, 'own'))}; ` +
      `all tasks: longest own time ${ms(longest(tasks, 'own'))}; longest CPU: ${ms(longest(tasks, 'cpu'))}; longest handling a snapshot: ${ms(longest(handling, 'own'))}; ` +
      `main thread queued for a core ${(queue.at(-1)!.waited - queue[0]!.waited).toFixed(0)} ms in all`,
  );
  expect(handling.length).toBeGreaterThanOrEqual(5);
  expect(draws).toBeGreaterThanOrEqual(5);
  // What a user feels: no Long Task of 50 ms of the page's own. A task's own time is its wall
  // time less the time the kernel kept the main thread waiting for a core during it: on a loaded
  // machine a task doing 5 ms of work waits 200 ms and more for one (see README). Where the page
  // has a core, the queue is near zero and this bounds the Long Tasks' wall time itself.
  expect(longest(feltTasks, 'own')?.own ?? 0).toBeLessThan(50);
  expect(long.filter((_, i) => felt[i] === undefined)).toEqual([]);
  // Every task's CPU time, those the Long Tasks API leaves out included, and the end-of-run
  // handling (it yields between the energy report, the summary, the compression and the final phase).
  expect(longest(tasks, 'cpu')?.cpu ?? 0).toBeLessThan(50);
});
