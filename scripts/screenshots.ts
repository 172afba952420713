/**
 * Takes a screenshot of each view of the workspace after a small run, for the README.
 *
 *   npm run screenshots                                  # 1280x720 into docs/screenshots/
 *   npm run screenshots -- --size 390x844 --out /tmp/s   # a phone, somewhere else
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { launchOptions } from './browser.ts';
import { ensureBuilt, repoRoot } from './harness.ts';
import { serveStatic } from './serve.ts';
import { VIEW_TABS } from '../src/core/workspace/link.ts';

/** A small, quick experiment, so every view has a finished run to show. */
const RUN = 'dataset=blobs&samples=600&hidden=16&epochs=4&seed=7&backend=wasm';

function size(text: string): { width: number; height: number } {
  const m = /^(\d{3,4})x(\d{3,4})$/.exec(text);
  if (!m) throw new Error(`--size "${text}" is not WIDTHxHEIGHT, e.g. 1280x720`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '1280x720' }, out: { type: 'string', default: 'docs/screenshots' }, rebuild: { type: 'boolean', default: false } } });
  const viewport = size(values.size);
  const out = resolve(repoRoot, values.out);
  mkdirSync(out, { recursive: true });
  ensureBuilt(values.rebuild);
  const server = await serveStatic(resolve(repoRoot, 'dist'));
  const browser = await chromium.launch(launchOptions({ webgpu: false }));
  try {
    // Service workers allowed, as in a real visit: the page then shows no "offline copy" problem.
    const page = await browser.newPage({ viewport });
    await page.goto(`${server.url}#${RUN}`);
    await page.waitForFunction(() => 'labAutomation' in window);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.locator('[data-testid=status][data-phase=finished]').waitFor({ timeout: 180_000 });
    for (const { id, label } of VIEW_TABS) {
      await page.getByRole('tab', { name: label, exact: true }).click();
      await page.locator(`#view-${id}`).waitFor({ state: 'visible' });
      await page.evaluate(() => window.scrollTo(0, 0));
      const file = resolve(out, `${id}.png`);
      await page.screenshot({ path: file });
      console.log(file);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
