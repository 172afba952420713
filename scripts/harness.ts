/** Starts the built lab in headless Chromium for the runner and benchmarks. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { launchOptions } from './browser.ts';
import { serveStatic, type StaticServer } from './serve.ts';
import type { LabResult } from '../src/core/result.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface LabSession {
  readonly page: Page;
  readonly url: string;
  close(): Promise<void>;
}

/** Builds dist/ when it is missing or `rebuild` is set. */
export function ensureBuilt(rebuild: boolean): void {
  if (!rebuild && existsSync(resolve(repoRoot, 'dist/index.html'))) return;
  console.error('Building the lab (npm run build)…');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('npm run build failed');
}

/** Serves dist/, launches Chromium and opens the lab at `hash`. */
export async function openLab(hash: string, opts: { webgpu?: boolean } = {}): Promise<LabSession> {
  const server: StaticServer = await serveStatic(resolve(repoRoot, 'dist'));
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch(launchOptions(opts));
    // No service worker: a headless run needs no offline copy, and precaching would only cost time.
    const page = await browser.newPage({ serviceWorkers: 'block' });
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(`${server.url}#${hash}`);
    await page.waitForFunction(() => 'labAutomation' in window);
    const b = browser;
    return {
      page,
      url: server.url,
      close: async () => {
        await b.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}

/** What a run in the browser gave: its result file, or the error the page showed. */
export interface BrowserRun {
  readonly result: LabResult | null;
  readonly error: string | null;
}

/** Opens `hash` in an open session and runs it to the end, as pressing Start would. */
export async function runInSession(session: LabSession, hash: string, timeoutMin = 60): Promise<BrowserRun> {
  const { page } = session;
  await page.goto(`${session.url}#${hash}`);
  await page.reload();
  await page.waitForFunction(() => 'labAutomation' in window);
  return Promise.race([
    page.evaluate(async () => {
      const lab = (window as unknown as { labAutomation: { start(): Promise<unknown>; result(): unknown } }).labAutomation;
      await lab.start();
      return { result: lab.result() as LabResult | null, error: document.querySelector('[data-testid=run-error]')?.textContent ?? null };
    }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the run took longer than ${timeoutMin} minutes`)), timeoutMin * 60_000)),
  ]);
}

/**
 * Runs a command-line script: `parse` reads the arguments (an error there is a usage error, exit 2),
 * `main` does the work and returns the exit status (an error there exits 1). Only when the file is
 * run directly, not when a test imports it.
 */
export function runCli<A>(moduleUrl: string, parse: (argv: string[]) => A, main: (args: A) => Promise<number>): void {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  let args: A;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  main(args).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error((error as Error).message);
      process.exit(1);
    },
  );
}
