/**
 * `npm run lab -- compare <links, result files or text files ...> [--csv out.csv] [--group SETTING]`:
 * finds every result in the inputs, prints the compare table (and the groups, with mean and range),
 * writes the CSV. Exits 2, naming each bad entry, when none is usable.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { extractFromText, mergeEntries, type EntryProblem, type Extraction } from '../src/core/results/extract.ts';
import { COLUMNS, cellText, toCsv } from '../src/core/results/columns.ts';
import { GROUP_SETTINGS, groupRows, groupSetting, hardwareNotes, paretoKeys, rowFromEntry, type CompareRow, type Spread } from '../src/core/results/table.ts';

export const COMPARE_USAGE = 'usage: npm run lab -- compare <links, result files or text files ...> [--csv out.csv] [--group SETTING]';

export interface CompareArgs {
  readonly inputs: readonly string[];
  readonly csv: string | null;
  readonly group: string | null;
}

export function parseCompareArgs(argv: readonly string[]): CompareArgs {
  const inputs: string[] = [];
  let csv: string | null = null;
  let group: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--csv') csv = argv[++i] ?? '';
    else if (arg === '--group') group = argv[++i] ?? '';
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}\n${COMPARE_USAGE}`);
    else inputs.push(arg);
  }
  if (csv === '') throw new Error(`--csv needs a file name\n${COMPARE_USAGE}`);
  if (group !== null && !groupSetting(group)) throw new Error(`--group: unknown setting ${JSON.stringify(group)}; one of ${GROUP_SETTINGS.map((g) => g.id).join(', ')}\n${COMPARE_USAGE}`);
  if (inputs.length === 0) throw new Error(COMPARE_USAGE);
  return { inputs, csv, group };
}

/** Reads each argument: a file's text (links inside, or a result JSON), or the argument itself as a link. */
export function readInputs(inputs: readonly string[]): Extraction {
  const texts: { name: string; text: string }[] = [];
  const problems: EntryProblem[] = [];
  inputs.forEach((input, i) => {
    if (input.includes('#')) texts.push({ name: `argument ${i + 1}`, text: input });
    else if (existsSync(input)) texts.push({ name: input, text: readFileSync(input, 'utf8') });
    else problems.push({ source: input, problem: 'not-a-result', message: `${input}: no such file, and not a link (a result link has "#r=").` });
  });
  const parts = texts.map((t) => ({ name: t.name, found: extractFromText(t.text, t.name) }));
  for (const { name, found } of parts) {
    problems.push(...found.problems);
    if (found.entries.length === 0 && found.problems.length === 0) problems.push({ source: name, problem: 'not-a-result', message: `${name}: no result link or result file found in it.` });
  }
  return { entries: mergeEntries(parts.map((p) => p.found.entries)), problems };
}

const CELL_MAX = 40;
const clip = (text: string) => (text.length > CELL_MAX ? `${text.slice(0, CELL_MAX - 1)}…` : text);

/** A plain-text table: columns padded to their widest cell, cells clipped at 40 characters (the CSV has them whole). */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const body = rows.map((r) => r.map(clip));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

const range = (s: Spread | null, scale = 1) => (s ? `${cellText(s.mean * scale)} (${cellText(s.min * scale)}-${cellText(s.max * scale)})` : '');

/** The table as the terminal shows it: the shown columns, and a mark on the Pareto front of accuracy against gCO2e. */
export function compareText(rows: readonly CompareRow[], group: string | null): string {
  const shown = COLUMNS.filter((c) => c.shown);
  const front = paretoKeys(rows, 'gCO2e');
  const parts = [textTable(['front', ...shown.map((c) => c.label)], rows.map((r) => [front.has(r.key) ? '*' : '', ...shown.map((c) => cellText(c.value(r)))]))];
  parts.push('* on the Pareto front of test accuracy against gCO2e');
  const setting = group ? groupSetting(group)! : null;
  if (setting) {
    const groups = groupRows(rows, setting);
    parts.push('', `grouped by ${setting.label}: mean (range)`);
    parts.push(textTable([setting.label, 'runs', 'accuracy %', 'Wh', 'gCO2e', 'Wh/1k samples', 'hardware'], groups.map((g) => [g.value, String(g.rows.length), range(g.accuracy, 100), range(g.wh), range(g.gCO2e), range(g.whPer1000), g.hardware.join(', ')])));
  }
  const notes = hardwareNotes(rows, setting);
  if (notes.length > 0) parts.push('', ...notes.map((n) => `note: ${n}`));
  return parts.join('\n');
}

export function runCompare(args: CompareArgs): number {
  const { entries, problems } = readInputs(args.inputs);
  for (const p of problems) console.error(`skipped ${p.message}`);
  if (entries.length === 0) {
    console.error(`No usable result among the inputs (${problems.length} bad entr${problems.length === 1 ? 'y' : 'ies'}); nothing to compare.`);
    return 2;
  }
  const rows = entries.map((e) => rowFromEntry(e));
  console.log(compareText(rows, args.group));
  const merged = entries.reduce((n, e) => n + e.sources.length - 1, 0);
  console.log(`\n${rows.length} result${rows.length === 1 ? '' : 's'}${merged > 0 ? ` (${merged} duplicate${merged === 1 ? '' : 's'} merged)` : ''}, ${problems.length} bad entr${problems.length === 1 ? 'y' : 'ies'}.`);
  if (args.csv) {
    writeFileSync(args.csv, toCsv(rows));
    console.log(`wrote ${args.csv}`);
  }
  return 0;
}
