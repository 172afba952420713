/**
 * The headless runner: reproduces a shared experiment from a terminal.
 *
 *   npm run lab -- run <link | hash | config.json | '{json}'> [--data FILE] [--out result.json] [--export model.zip] [--deploy [--latency-ms N]] [--build] [--timeout-min N]
 *
 * Serves the built app, drives Chromium headless through Playwright, runs the experiment to the
 * end and writes the result file (schemaVersion 1, see the README); `--export` also writes the model
 * export zip (and fills the result's `compression`). A bad link or config exits 2
 * with the same named-field messages the app shows; a failed run exits 1. The result file holds
 * `resultLink`, the result link of the run. `--data FILE` trains on your own data (issue 15): a CSV/TSV
 * table, a zip of class folders or a file in the lab's binary format, loaded through the page's
 * Data panel as a person would; its type decides the dataset kind and, unless the experiment names
 * one, the model (a table: the MLP; images: the CNN). A link that names a fingerprint accepts only that file.
 *
 *   npm run lab -- compare <links, files or text files ...> [--csv out.csv] [--group SETTING]   (scripts/compare.ts)
 *   npm run lab -- verify <links or result files ...> [--out report.json]                      (scripts/verify.ts)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseConfigJson, parseLink, serialiseLink } from '../src/core/config/link.ts';
import type { ExperimentConfig, ModelKind, ParsedConfig } from '../src/core/config/schema.ts';
import type { Page } from '@playwright/test';
import { validateResult, type LabResult } from '../src/core/result.ts';
import { ensureBuilt, openLab, runCli } from './harness.ts';
import { COMPARE_USAGE, parseCompareArgs, runCompare, type CompareArgs } from './compare.ts';
import { VERIFY_USAGE, parseVerifyArgs, runVerify, type VerifyArgs } from './verify.ts';

const RUN_USAGE = "usage: npm run lab -- run <link | #hash | config.json | '{json}'> [--data FILE] [--out result.json] [--export model.zip] [--deploy [--latency-ms N]] [--build] [--timeout-min N]";
const USAGE = [RUN_USAGE, COMPARE_USAGE, VERIFY_USAGE].join('\n');

interface Args {
  input: string;
  out: string | null;
  exportZip: string | null;
  build: boolean;
  timeoutMin: number;
  /** Run the deployment benchmark after training (issue 7); off by default to keep runs fast. */
  deploy: boolean;
  latencyMs: number;
  /** Own data to train on: a CSV/TSV, a zip of class folders or a file in the lab's binary format. */
  data: string | null;
}

function parseArgs(argv: string[]): Args {
  const [command, input, ...rest] = argv;
  if (command !== 'run' || !input) throw new Error(USAGE);
  const args: Args = { input, out: null, exportZip: null, build: false, timeoutMin: 60, deploy: false, latencyMs: 20, data: null };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === '--out') args.out = rest[++i] ?? null;
    else if (flag === '--export') args.exportZip = rest[++i] ?? null;
    else if (flag === '--data') args.data = rest[++i] ?? null;
    else if (flag === '--build') args.build = true;
    else if (flag === '--deploy') args.deploy = true;
    else if (flag === '--latency-ms') args.latencyMs = Number(rest[++i]);
    else if (flag === '--timeout-min') args.timeoutMin = Number(rest[++i]);
    else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  if (args.out === null && rest.includes('--out')) throw new Error(`--out needs a file name\n${USAGE}`);
  if (args.exportZip === null && rest.includes('--export')) throw new Error(`--export needs a file name\n${USAGE}`);
  if (args.data === null && rest.includes('--data')) throw new Error(`--data needs a file name\n${USAGE}`);
  if (args.data !== null && !existsSync(args.data)) throw new Error(`--data ${args.data}: no such file`);
  if (!(args.latencyMs > 0)) throw new Error(`--latency-ms needs a positive number of milliseconds\n${USAGE}`);
  if (!(args.timeoutMin > 0)) throw new Error(`--timeout-min needs a positive number\n${USAGE}`);
  return args;
}

/** Reads a link, a bare hash, or a JSON config file. */
export function readExperiment(input: string): ParsedConfig & { source: string } {
  if (input.trim().startsWith('{')) return { ...parseConfigJson(input), source: 'JSON' };
  if (input.endsWith('.json') || (existsSync(input) && !input.includes('#'))) {
    if (!existsSync(input)) return { ...parseConfigJson('null'), issues: [{ field: '(config)', message: `${input}: no such file.` }], source: input };
    return { ...parseConfigJson(readFileSync(input, 'utf8')), source: input };
  }
  return { ...parseLink(input), source: 'link' };
}

/** What one run in the page gave: the result, the page's error, the export and the deployment's error. */
interface RunOutcome {
  result: unknown;
  error: string | null;
  zip: string | null;
  deployError: string | null;
}

/** Starts the run in the page and waits for it (and the export and deployment asked for), up to the time limit. */
function runInPage(page: Page, args: Args): Promise<RunOutcome> {
  return Promise.race([
    page.evaluate(async ({ wantExport, deploy, latencyMs }) => {
      const lab = (window as unknown as {
        labAutomation: { start(): Promise<unknown>; result(): unknown; exportZip(): Promise<string | null>; deploy(request: object, latencyTargetMs: number): Promise<string | null> };
      }).labAutomation;
      await lab.start();
      const error = document.querySelector('[data-testid=run-error]')?.textContent ?? null;
      const zip = wantExport && !error ? await lab.exportZip() : null;
      const deployError = deploy && !error ? await lab.deploy({}, latencyMs) : null;
      return { result: lab.result(), error, zip, deployError };
    }, { wantExport: args.exportZip !== null, deploy: args.deploy, latencyMs: args.latencyMs }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the run took longer than ${args.timeoutMin} minutes`)), args.timeoutMin * 60_000)),
  ]);
}

/** Prints the run's figures: metrics, energy and carbon, compression. */
function printFigures(result: LabResult): void {
  const m = result.metrics;
  console.log(`backend ${result.backend} (${result.backendExplanation})`);
  console.log(
    `test accuracy ${((m.testAccuracy ?? Number.NaN) * 100).toFixed(2)}%, train loss ${m.trainLoss?.toFixed(4)}, ${m.epochs} epochs, ${m.steps} steps, ` +
      `${Math.round(m.samplesPerSecond)} samples/s, ${m.wallSeconds.toFixed(1)} s`,
  );
  if (result.energy && result.carbon) {
    const e = result.energy;
    const c = result.carbon;
    console.log(
      `energy ${(e.kWh * 1000).toPrecision(3)} Wh (${(e.low * 1000).toPrecision(3)}-${(e.high * 1000).toPrecision(3)} Wh, ${e.method}, PUE ${e.pue}; ${e.deviceProfile}), ` +
        `carbon ${c.gCO2e.toPrecision(3)} gCO2e at ${c.meanIntensity.toPrecision(3)} g/kWh (${c.regionName}, ${c.provider})`,
    );
    if (c.fallbackNotice) console.error(c.fallbackNotice);
  }
  if (result.compression) {
    const c = result.compression;
    const pct = (x: number | null) => (x === null ? '?' : `${(x * 100).toFixed(2)}%`);
    console.log(
      `compression ${c.precision}, sparsity ${pct(c.sparsity)}: ${c.denseFloat32Bytes} B dense float32 -> ${c.exportBytes} B exported, ${c.gzipBytes} B gzipped; ` +
        `accuracy ${pct(c.accuracyBefore)} -> ${pct(c.accuracyAfter)} (the file's own weights)`,
    );
  }
}

/** Prints the deployment pick; false when the benchmark failed. */
function printDeployment(result: LabResult, deployError: string | null): boolean {
  const d = result.deployment;
  if (!d) {
    console.error(`The deployment benchmark failed: ${deployError ?? 'no deployment section'}`);
    return false;
  }
  const r = d.recommended;
  console.log(
    `deployment: ${d.table.length} configurations timed in ${d.benchmarkSeconds.toFixed(1)} s` +
      `${d.skipped.length > 0 ? ` (${d.skipped.length} skipped: ${[...new Set(d.skipped.map((s) => s.backend))].join(', ')})` : ''}; ` +
      `${r ? `${d.meetsTarget ? 'recommended' : 'fastest, missing the target'}: ${r.backend}, ${r.precision}, batch ${r.batchSize}` : 'nothing to recommend'}`,
  );
  console.log(`  ${d.reason}`);
  return true;
}

/** Reports a finished run and writes the files asked for; the exit code. */
function report(outcome: RunOutcome, args: Args): number {
  if (!outcome.result) {
    console.error(`The run failed: ${outcome.error ?? 'no result'}`);
    return 1;
  }
  const result = outcome.result as LabResult;
  const problems = validateResult(result);
  if (problems.length > 0) {
    console.error(`The result does not match its schema: ${problems.join('; ')}`);
    return 1;
  }
  printFigures(result);
  if (args.deploy && !printDeployment(result, outcome.deployError)) return 1;
  if (args.exportZip) {
    if (!outcome.zip) {
      console.error('The export failed: no model to export.');
      return 1;
    }
    writeFileSync(args.exportZip, Buffer.from(outcome.zip, 'base64'));
    console.log(`wrote ${args.exportZip}`);
  }
  if (result.resultLink) console.log(`result link (${result.resultLink.length} characters): ${result.resultLink}`);
  if (args.out) {
    writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${args.out}`);
  }
  return 0;
}

async function main(args: Args): Promise<number> {
  const { config, issues, source } = readExperiment(args.input);
  if (issues.length > 0) {
    console.error(`The ${source === 'link' ? 'link' : `config ${source}`} has ${issues.length} problem${issues.length > 1 ? 's' : ''}; nothing was run:`);
    for (const issue of issues) console.error(`  - ${issue.message}`);
    return 2;
  }
  ensureBuilt(args.build);
  const session = await openLab(serialiseLink(config));
  const { page } = session;
  if (args.data) {
    const problem = await loadOwnData(page, args.data, explicitModel(args.input, config));
    if (problem) {
      console.error(`The data file was not loaded: ${problem}`);
      await session.close();
      return 2;
    }
  }
  const ticker = setInterval(() => {
    void page
      .locator('[data-testid=status]')
      .innerText()
      .then((text) => console.error(`… ${text}`))
      .catch(() => undefined);
  }, 10_000);
  try {
    return report(await runInPage(page, args), args);
  } finally {
    clearInterval(ticker);
    await session.close();
  }
}

/** The model the experiment names itself (a link's `model=` or a config's model.kind), or null when the data's type may choose. */
function explicitModel(input: string, config: ExperimentConfig): ModelKind | null {
  const trimmed = input.trim();
  if (trimmed.startsWith('{') || input.endsWith('.json')) {
    const text = trimmed.startsWith('{') ? trimmed : readFileSync(input, 'utf8');
    const model = (JSON.parse(text) as { model?: { kind?: unknown } }).model;
    return model?.kind === undefined ? null : config.model.kind;
  }
  const hash = input.slice(input.indexOf('#') + 1);
  return hash.split('&').some((pair) => pair.startsWith('model=')) ? config.model.kind : null;
}

/**
 * Loads own data through the page's Data panel (the worker parses it, as for a person); the
 * experiment's own model choice is put back if the data's type changed it. Returns the panel's
 * error, or null when the data is ready.
 */
async function loadOwnData(page: Page, file: string, model: ModelKind | null): Promise<string | null> {
  await page.getByTestId('own-data-file').setInputFiles(file);
  await page.waitForFunction(() => document.querySelector('[data-testid=own-data-error]') !== null || (document.querySelector('[data-testid=own-data]')?.getAttribute('data-phase') === 'ready' && /fingerprint=[0-9a-f]{64}/.test(location.hash)), undefined, { timeout: 600_000 });
  const error = await page.locator('[data-testid=own-data-error]').textContent({ timeout: 100 }).catch(() => null);
  if (error) return error;
  if (model) await page.locator('select[name=model]').selectOption(model);
  const { config } = parseLink(await page.evaluate(() => location.hash));
  const d = config.data;
  console.log(`data ${d.name} (${d.dataset}, SHA-256 ${d.fingerprint.slice(0, 12)}…, examples of shape ${d.shape.join('x')}, ${d.classes.length} classes: ${d.classes.slice(0, 10).join(', ')}${d.classes.length > 10 ? ', …' : ''}), model ${config.model.kind}`);
  return null;
}

type Command = { kind: 'run'; args: Args } | { kind: 'compare'; args: CompareArgs } | { kind: 'verify'; args: VerifyArgs };

function parseCommand(argv: string[]): Command {
  if (argv[0] === 'compare') return { kind: 'compare', args: parseCompareArgs(argv.slice(1)) };
  if (argv[0] === 'verify') return { kind: 'verify', args: parseVerifyArgs(argv.slice(1)) };
  return { kind: 'run', args: parseArgs(argv) };
}

function dispatch(command: Command): Promise<number> {
  if (command.kind === 'compare') return Promise.resolve(runCompare(command.args));
  if (command.kind === 'verify') return runVerify(command.args);
  return main(command.args);
}

runCli(import.meta.url, parseCommand, dispatch);
