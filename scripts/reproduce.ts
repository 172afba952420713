/**
 * npm run reproduce -- [--trace FILE ...] [--seeds N] [--out FILE] [--job-hours H] [--slack-hours S] [--backend B] [--build]
 *
 * The framework's experiment, reproduced: on MNIST, with the same seed and the same epoch budget,
 * the carbon-agnostic baseline (the lab's default experiment exactly as a user gets it: fixed
 * settings, run now, no compression) and the carbon-aware framework (the same experiment with the
 * multi-objective framework on, scheduled by forecast-window), each trained twice, headless, with
 * its energy measured by the lab; then both are mapped onto each trace by one rule that uses every
 * start hour (src/core/objective/sweep-pricing.ts):
 *
 *   the baseline stands for a job of H hours (default 4) started at every hour of the trace and run
 *   at once; the carbon-aware run's job lasts H x its measured training time / the baseline's, may
 *   pause, and must finish within S hours (default 24) of slack; each job's mean emissions per kWh
 *   over all start hours times the run's measured kWh gives its gCO2e.
 *
 * With --seeds N both runs are trained with seeds 42, 43, ... (one pair per seed; both use the same
 * backend choice, "auto" unless --backend says otherwise, so the backend is no part of the saving).
 * Each pair is trained baseline, carbon-aware, carbon-aware, baseline and each side keeps the
 * lesser-energy of its two runs (see trainPair), so a passing machine load favours neither side.
 * Prints a table like the paper's and, with --out, writes JSON: per trace, `carbonReduction` and
 * `accuracyDrop` as fractions (0.6 = 60%, 0.01 = 1 point), each the mean over the seeds, their
 * `spread` (mean, min, max, sample sd), and `perSeed`: each seed's `baseline` and `carbonAware`
 * {testAccuracy, kWh, gCO2e, seconds}, its `carbonReduction` and `accuracyDrop`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { serialiseLink } from '../src/core/config/link.ts';
import { defaultConfig, type BackendChoice, type ExperimentConfig } from '../src/core/config/schema.ts';
import { policyIntensity, jobHoursFor, DEFAULT_JOB_HOURS, DEFAULT_SLACK_HOURS } from '../src/core/objective/sweep-pricing.ts';
import type { LabResult } from '../src/core/result.ts';
import { createReplay } from '../src/core/schedule/simulate.ts';
import { parseTrace } from '../src/core/trace/parse.ts';
import { seedList, spreadOf, type Spread } from '../src/core/objective/seeds.ts';
import { seconds } from '../src/core/units.ts';
import { ensureBuilt, openLab, repoRoot, runInSession, runCli } from './harness.ts';

const USAGE = 'usage: npm run reproduce -- [--trace FILE ...] [--seeds N] [--out FILE] [--job-hours H] [--slack-hours S] [--backend auto|webgpu|webgl|wasm|cpu] [--build]';

/**
 * The carbon-aware framework's settings on top of the default experiment: the framework on with
 * energy and carbon weighted as much as accuracy (alpha = beta = gamma = 1); 0.03 epochs in (the
 * first few hundred examples), its sizing decision keeps the hidden width with the lowest
 * objective on measured probes and sets the batch size from the measured gradient noise scale,
 * which it looks at again at 0.06, 0.12, 0.24 and 0.48 epochs as the noise grows; the run is
 * scheduled by forecast-window. The compute penalty is off: measured, its extra kernels cost more
 * than they saved and it kept the gradient noise low enough to hold the batch size at 64. The
 * decision may keep as little as 1/8 of the neurons (minKeep 0.125, the smallest share it measures):
 * with the default 1/4 it always took the floor (32 of 128), and measured, its objective then
 * picks 16, for about 10 points less energy at the same accuracy. Chosen on MNIST (wasm, seeds
 * 42-44, priced on four traces with PJM held out); no setting depends on a trace.
 */
export function carbonAwareConfig(base: ExperimentConfig): ExperimentConfig {
  return {
    ...base,
    objective: { ...base.objective, framework: 'on', alpha: 1, beta: 1, gamma: 1, penalty: 0, shrinkAfter: 0.03, shrinkBelow: 0, minKeep: 0.125 },
    schedule: { ...base.schedule, policy: 'forecast-window' },
  };
}

interface Args {
  traces: string[];
  seeds: number;
  out: string | null;
  jobHours: number;
  slackHours: number;
  backend: BackendChoice | null;
  build: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { traces: [], seeds: 1, out: null, jobHours: DEFAULT_JOB_HOURS, slackHours: DEFAULT_SLACK_HOURS, backend: null, build: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--trace') {
      args.traces.push(resolve(value()));
      while (argv[i + 1] && !argv[i + 1]?.startsWith('--')) args.traces.push(resolve(argv[++i] as string));
    } else if (flag === '--out') args.out = value();
    else if (flag === '--seeds') args.seeds = Number(value());
    else if (flag === '--job-hours') args.jobHours = Number(value());
    else if (flag === '--slack-hours') args.slackHours = Number(value());
    else if (flag === '--backend') args.backend = value() as BackendChoice;
    else if (flag === '--build') args.build = true;
    else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  if (!Number.isInteger(args.seeds) || args.seeds < 1 || args.seeds > 20) throw new Error(`--seeds must be a whole number from 1 to 20\n${USAGE}`);
  if (!(args.jobHours > 0) || !(args.slackHours >= 0)) throw new Error(`--job-hours must be positive and --slack-hours at least 0\n${USAGE}`);
  if (args.backend && !['auto', 'webgpu', 'webgl', 'wasm', 'cpu'].includes(args.backend)) throw new Error(`unknown backend ${args.backend}\n${USAGE}`);
  if (args.traces.length === 0) {
    const dir = resolve(repoRoot, '../shared/traces');
    args.traces = readdirSync(dir)
      .filter((f) => f.endsWith('.csv'))
      .sort()
      .map((f) => resolve(dir, f));
  }
  return args;
}

interface Measured {
  testAccuracy: number;
  kWh: number;
  seconds: number;
}

function measured(result: LabResult | null, error: string | null, what: string): Measured {
  if (!result) throw new Error(`The ${what} run failed: ${error ?? 'no result'}`);
  const acc = result.metrics.testAccuracy;
  const kWh = result.energy?.kWh;
  if (acc === null || kWh === undefined || !(kWh > 0)) throw new Error(`The ${what} run has no accuracy or energy figure.`);
  return { testAccuracy: acc, kWh, seconds: result.metrics.wallSeconds };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
/** A change as a signed percentage: -30.0% for a 30% reduction. */
const change = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;
/** A spread as the paper-style "mean (min to max)". */
const range = (s: Spread, f: (x: number) => string) => `${f(s.mean)} (${f(s.min)} to ${f(s.max)})`;

/** One seed's pair of runs, trained in one browser session one after the other. */
interface SeedRuns {
  seed: number;
  baseline: Measured;
  carbonAware: Measured;
}

/**
 * Of two runs of the same experiment, the one that used less energy (with its own accuracy and
 * time). The lab's energy on a CPU follows wall time, and other work on the machine only ever adds
 * wall time, so the lesser of the two is the nearer to the run's own cost (the usual minimum of
 * repeated timings); the choice never looks at accuracy.
 */
function lesserOf(a: Measured, b: Measured): Measured {
  return b.kWh < a.kWh ? b : a;
}

/**
 * One seed's pair, trained in the order baseline, carbon-aware, carbon-aware, baseline, each side
 * kept as the lesser-energy of its two runs (lesserOf): a load that comes and goes during the four
 * runs then has two chances to miss each side, and a steady drift falls on both sides alike.
 */
async function trainPair(session: Awaited<ReturnType<typeof openLab>>, seeded: ExperimentConfig, backend: BackendChoice | null): Promise<SeedRuns> {
  const seed = seeded.train.seed;
  const links = { baseline: serialiseLink(seeded), carbonAware: serialiseLink(carbonAwareConfig(seeded)) };
  const runs: Measured[] = [];
  for (const [i, side] of (['baseline', 'carbonAware', 'carbonAware', 'baseline'] as const).entries()) {
    console.error(`Seed ${seed}: training the ${side === 'baseline' ? `baseline (the default experiment${backend ? `, backend ${backend}` : ''})` : 'carbon-aware run'}, ${i < 2 ? 'first' : 'second'} time…`);
    const r = await runInSession(session, links[side]);
    runs.push(measured(r.result, r.error, `seed ${seed} ${side === 'baseline' ? 'baseline' : 'carbon-aware'}`));
  }
  const [b1, a1, a2, b2] = runs as [Measured, Measured, Measured, Measured];
  return { seed, baseline: lesserOf(b1, b2), carbonAware: lesserOf(a1, a2) };
}

async function trainSeeds(base: ExperimentConfig, seeds: readonly number[], backend: BackendChoice | null): Promise<SeedRuns[]> {
  const session = await openLab('');
  const runs: SeedRuns[] = [];
  try {
    for (const seed of seeds) {
      const pair = await trainPair(session, { ...base, train: { ...base.train, seed } }, backend);
      const { baseline, carbonAware } = pair;
      console.log(
        `seed ${seed} (lesser-energy of two runs each): baseline ${pct(baseline.testAccuracy)}, ${(baseline.kWh * 1000).toPrecision(3)} Wh, ${baseline.seconds.toFixed(1)} s; carbon-aware ${pct(carbonAware.testAccuracy)}, ${(carbonAware.kWh * 1000).toPrecision(3)} Wh, ${carbonAware.seconds.toFixed(1)} s`,
      );
      runs.push(pair);
    }
  } finally {
    await session.close();
  }
  return runs;
}

interface Rule {
  baseJobHours: number;
  slackHours: number;
  interruptible: boolean;
}

/** One seed's pair priced on one trace by the rule in the module comment. */
function priceSeed(replay: ReturnType<typeof createReplay>, run: SeedRuns, rule: Rule) {
  const caJobHours = jobHoursFor(seconds(run.carbonAware.seconds), seconds(run.baseline.seconds), rule.baseJobHours);
  const bI = policyIntensity(replay, 'run-now', rule.baseJobHours, rule);
  const aI = policyIntensity(replay, 'forecast-window', caJobHours, rule);
  const bG = run.baseline.kWh * bI.intensity;
  const aG = run.carbonAware.kWh * aI.intensity;
  return {
    seed: run.seed,
    baseline: { ...run.baseline, gCO2e: bG },
    carbonAware: { ...run.carbonAware, gCO2e: aG },
    carbonReduction: 1 - aG / bG,
    accuracyDrop: run.baseline.testAccuracy - run.carbonAware.testAccuracy,
    startHours: { baseline: bI.starts, carbonAware: aI.starts },
    jobHours: { baseline: rule.baseJobHours, carbonAware: caJobHours },
  };
}

/** Every seed priced on one trace, with the means and spreads over the seeds. */
function priceTrace(file: string, runs: readonly SeedRuns[], rule: Rule) {
  const parsed = parseTrace(readFileSync(file, 'utf8'), basename(file));
  const replay = createReplay(parsed.trace, { horizon: 48 });
  const perSeed = runs.map((run) => priceSeed(replay, run, rule));
  const reduction = spreadOf(perSeed.map((p) => p.carbonReduction));
  const drop = spreadOf(perSeed.map((p) => p.accuracyDrop));
  const kWhRatio = spreadOf(perSeed.map((p) => p.carbonAware.kWh / p.baseline.kWh));
  return { name: parsed.trace.name, carbonReduction: reduction.mean, accuracyDrop: drop.mean, spread: { carbonReduction: reduction, accuracyDrop: drop, kWhRatio }, perSeed };
}

async function main(args: Args): Promise<number> {
  const base = defaultConfig();
  if (args.backend) base.backend = args.backend;
  ensureBuilt(args.build);
  const runs = await trainSeeds(base, seedList(base.train.seed, args.seeds), args.backend);
  const rule: Rule = { baseJobHours: args.jobHours, slackHours: args.slackHours, interruptible: true };
  console.log('');
  console.log(`over ${runs.length} seed(s): mean (min to max)`);
  console.log('trace                  carbon change                accuracy change (points)   kWh change');
  const out: Record<string, unknown> = {};
  const rows = args.traces.map((file) => priceTrace(file, runs, rule));
  for (const row of rows) {
    const { name, spread } = row;
    console.log(
      `${name.padEnd(22)} ${range(spread.carbonReduction, (r) => change(1 - r)).padEnd(28)} ${range(spread.accuracyDrop, (d) => (-d * 100).toFixed(2)).padEnd(26)} ${range(spread.kWhRatio, change)}`,
    );
    out[name] = { carbonReduction: row.carbonReduction, accuracyDrop: row.accuracyDrop, spread, perSeed: row.perSeed };
  }
  const worst = Math.min(...rows.map((r) => r.carbonReduction));
  const drop = rows[0]?.accuracyDrop ?? Number.NaN;
  console.log('');
  console.log(`smallest mean carbon reduction over the traces ${pct(worst)} (paper: 30-35%; target here >= 60% on every trace: ${worst >= 0.6 ? 'met' : 'NOT met'})`);
  console.log(`mean accuracy drop ${(drop * 100).toFixed(2)} points (paper: < 2; target here <= 1: ${drop <= 0.01 ? 'met' : 'NOT met'})`);
  if (args.out) {
    const seeds = runs.map((r) => r.seed);
    writeFileSync(args.out, `${JSON.stringify({ rule: { ...rule, note: 'see scripts/reproduce.ts' }, seeds, backend: base.backend, traces: out }, null, 2)}\n`);
    console.log(`wrote ${args.out}`);
  }
  return 0;
}

runCli(import.meta.url, parseArgs, main);
