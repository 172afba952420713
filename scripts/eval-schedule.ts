/**
 * Benchmark of the scheduling policies on recorded traces.
 *
 *   npx tsx scripts/eval-schedule.ts [--trace FILE ...] [--job-hours H ...] [--slack-hours S]
 *                                    [--contiguous] [--out FILE]
 *
 * For each trace, replays a job submitted at every start hour whose deadline still fits the trace,
 * under every policy, and sums the emissions over all those jobs. A policy's saving is
 * 1 - its total / run-now's total; its share of the oracle is its saving / the oracle's saving.
 * Policies other than the oracle see only the past: the forecast is the blend forecaster's
 * (the adaptive forecaster, src/core/schedule/forecaster.ts). Holes in a trace are carried forward (causal, never zero).
 * Defaults: every CSV in ../shared/traces relative to the repository root, jobs of 1, 4 and 8 h,
 * 24 h of slack, interruptible jobs (training checkpoints, so it may pause).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTrace } from '../src/core/trace/parse';
import { createForecastWindowPolicy } from '../src/core/schedule/forecast-window';
import { adaptiveForecaster, sameHourYesterday, TUNED_ON } from '../src/core/schedule/forecaster';
import type { Policy, PolicyId } from '../src/core/schedule/policy';
import { POLICIES } from '../src/core/schedule/registry';
import { createReplay, simulateJob, type Replay } from '../src/core/schedule/simulate';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Args {
  traces: string[];
  jobHours: number[];
  slackHours: number;
  contiguous: boolean;
  out: string | null;
}

function usage(message: string): never {
  console.error(
    `${message}\nusage: eval-schedule [--trace FILE ...] [--job-hours H ...] [--slack-hours S] [--contiguous] [--out FILE]`,
  );
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { traces: [], jobHours: [], slackHours: 24, contiguous: false, out: null };
  // Values may follow a flag one per word ("--trace a.csv b.csv") or repeat the flag.
  let flag: string | null = null;
  for (const word of argv) {
    if (word.startsWith('--')) {
      flag = word;
      if (flag === '--contiguous') {
        args.contiguous = true;
        flag = null;
      } else if (!['--trace', '--job-hours', '--slack-hours', '--out'].includes(flag)) usage(`unknown option ${flag}`);
      continue;
    }
    if (flag === '--trace') args.traces.push(path.resolve(word));
    else if (flag === '--job-hours') {
      for (const part of word.split(',')) {
        const h = Number(part);
        if (!(h > 0)) usage(`--job-hours needs positive numbers, got "${part}"`);
        args.jobHours.push(h);
      }
    } else if (flag === '--slack-hours') {
      args.slackHours = Number(word);
      if (!(args.slackHours >= 0)) usage(`--slack-hours needs a number >= 0, got "${word}"`);
      flag = null;
    } else if (flag === '--out') {
      args.out = path.resolve(word);
      flag = null;
    } else usage(`unexpected argument "${word}"`);
  }
  if (args.traces.length === 0) {
    const dir = path.resolve(repoRoot, '../shared/traces');
    args.traces = readdirSync(dir)
      .filter((f) => f.toLowerCase().endsWith('.csv'))
      .sort()
      .map((f) => path.join(dir, f));
    if (args.traces.length === 0) usage(`no CSV traces in ${dir}`);
  }
  if (args.jobHours.length === 0) args.jobHours = [1, 4, 8];
  return args;
}

/** A policy column of the table: a policy and the replay (forecaster) it decides on. */
interface Column {
  readonly key: string;
  readonly label: string;
  readonly policy: Policy;
  readonly reference: boolean;
}

interface Cell {
  readonly emissionsVsRunNow: number;
  readonly savingVsRunNow: number;
  readonly shareOfOracle: number;
}

function evaluate(
  main: Replay,
  reference: Replay,
  columns: readonly Column[],
  jobHours: number,
  slackHours: number,
  interruptible: boolean,
): { cells: Map<string, Cell>; jobs: number } {
  const stepsPerHour = 3_600_000 / main.stepMs;
  const span = Math.ceil(jobHours * stepsPerHour) + Math.floor(slackHours * stepsPerHour);
  const starts = main.values.length - span + 1;
  const totals = new Map<string, number>();
  for (const column of columns) {
    const replay = column.reference ? reference : main;
    let total = 0;
    for (let s = 0; s < starts; s++) {
      const r = simulateJob(replay, column.policy, { startIndex: s, jobHours, slackHours, interruptible, record: false });
      if (!r.metDeadline) throw new Error(`${column.key} missed the deadline of the job starting at step ${s}`);
      total += r.emissions;
    }
    totals.set(column.key, total);
  }
  const base = totals.get('run-now') ?? Number.NaN;
  const oracleSaving = 1 - (totals.get('oracle') ?? Number.NaN) / base;
  const cells = new Map<string, Cell>();
  for (const [key, total] of totals) {
    const saving = 1 - total / base;
    cells.set(key, {
      emissionsVsRunNow: total / base,
      savingVsRunNow: saving,
      shareOfOracle: oracleSaving > 0 ? saving / oracleSaving : Number.NaN,
    });
  }
  return { cells, jobs: Math.max(0, starts) };
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

type Results = Record<string, Record<string, Record<string, Cell>>>;

/** The policies compared, and forecast-window driven by "the same hour yesterday" as a reference. */
function columnsToCompare(): Column[] {
  const ids = Object.keys(POLICIES) as PolicyId[];
  return [
    ...ids.map((id) => ({ key: id, label: id, policy: POLICIES[id], reference: false })),
    { key: 'forecast-window/same-hour-yesterday', label: 'fw@yesterday', policy: createForecastWindowPolicy(), reference: true },
  ];
}

/** Replays every trace for every job shape; results by region, shape and column. */
function evaluateTraces(args: Args, columns: readonly Column[]): { results: Results; notes: Record<string, string> } {
  const horizon = Math.max(...args.jobHours.map((h) => Math.ceil(h))) + Math.floor(args.slackHours);
  const results: Results = {};
  const notes: Record<string, string> = {};
  for (const file of args.traces) {
    const parsed = parseTrace(readFileSync(file, 'utf8'), path.basename(file));
    // Two files with the same name in different folders stay apart.
    const region = parsed.trace.name in results ? path.relative(process.cwd(), file) : parsed.trace.name;
    notes[region] = parsed.note;
    console.log(`${region}: ${parsed.note}`);
    const steps = Math.ceil(horizon * (3_600_000 / parsed.trace.stepMs));
    const main = createReplay(parsed.trace, { horizon: steps });
    const reference = createReplay(parsed.trace, { horizon: steps, forecaster: sameHourYesterday });
    results[region] = {};
    for (const h of args.jobHours) {
      const { cells } = evaluate(main, reference, columns, h, args.slackHours, !args.contiguous);
      (results[region] as Record<string, Record<string, Cell>>)[`${h}h`] = Object.fromEntries(cells);
    }
  }
  return { results, notes };
}

const cellOf = (results: Results, region: string, shape: string, key: string): Cell | undefined => results[region]?.[shape]?.[key];

/** Prints one table per job shape; returns forecast-window's share of the oracle per region and shape. */
function printShapes(args: Args, columns: readonly Column[], results: Results): number[] {
  const regions = Object.keys(results);
  const shareRows: number[] = [];
  for (const h of args.jobHours) {
    const shape = `${h}h`;
    const header = ['region', ...columns.map((c) => `${c.label} emis/share`)];
    const rows = regions.map((region) => [
      TUNED_ON.includes(region) ? `${region} (tuned)` : region,
      ...columns.map((c) => {
        const cell = cellOf(results, region, shape, c.key);
        return cell ? `${pct(cell.emissionsVsRunNow)} / ${pct(cell.shareOfOracle)}` : '';
      }),
    ]);
    rows.push([
      'average',
      ...columns.map((c) => {
        const cs = regions.map((r) => cellOf(results, r, shape, c.key)).filter((x): x is Cell => x !== undefined);
        return `${pct(mean(cs.map((x) => x.emissionsVsRunNow)))} / ${pct(mean(cs.map((x) => x.shareOfOracle)))}`;
      }),
    ]);
    printTable(
      `${h} h job, ${args.slackHours} h slack, ${args.contiguous ? 'contiguous' : 'interruptible'}: ` +
        'emissions relative to run-now / share of the oracle saving',
      header,
      rows,
    );
    for (const r of regions) shareRows.push(cellOf(results, r, shape, 'forecast-window')?.shareOfOracle ?? Number.NaN);
  }
  return shareRows;
}

function writeJson(args: Args, columns: readonly Column[], results: Results, notes: Record<string, string>, overall: number): void {
  const regions = Object.keys(results);
  const tableJson = (cols: readonly Column[]): unknown =>
    Object.fromEntries(regions.map((r) => [r, Object.fromEntries(args.jobHours.map((h) => [`${h}h`, Object.fromEntries(cols.map((c) => {
      const cell = cellOf(results, r, `${h}h`, c.key);
      return [c.key, { savingVsRunNow: cell?.savingVsRunNow ?? null, shareOfOracle: cell?.shareOfOracle ?? null }];
    }))]))]));
  const json = {
    slackHours: args.slackHours,
    interruptible: !args.contiguous,
    forecaster: adaptiveForecaster.description,
    traces: notes,
    results: tableJson(columns.filter((c) => !c.reference)),
    // forecast-window driven by "the same hour yesterday" instead of the adaptive forecaster.
    references: tableJson(columns.filter((c) => c.reference)),
    forecastWindowShareOfOracle: overall,
  };
  writeFileSync(args.out as string, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`wrote ${args.out}`);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const columns = columnsToCompare();
  const { results, notes } = evaluateTraces(args, columns);
  const shareRows = printShapes(args, columns, results);
  const regions = Object.keys(results);
  const perRegion = regions.map(
    (r) => `${r} ${pct(mean(args.jobHours.map((h) => cellOf(results, r, `${h}h`, 'forecast-window')?.shareOfOracle ?? NaN)))}`,
  );
  const overall = mean(shareRows);
  console.log(`\nforecast-window share of the oracle saving, by region: ${perRegion.join(', ')}`);
  console.log(`(forecaster and policy settings were tuned on ${TUNED_ON.join(' and ')} only; other regions are held out)`);
  console.log(
    `forecast-window share of the oracle saving, averaged over regions and job shapes: ${pct(overall)} ` +
      `(target 85%: ${overall >= 0.85 ? 'met' : 'NOT met'})`,
  );
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
  if (args.out !== null) writeJson(args, columns, results, notes, overall);
}

main();
