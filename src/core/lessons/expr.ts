/**
 * The two small languages a lesson step uses against the lab's state:
 * - a completion check, `runs.count >= 2 and result.compression.sparsity >= 0.5`;
 * - a figure in a question, `{less(runs.first.energy.kWh, runs.last.energy.kWh)|pct}`.
 * Both read a plain state tree (see `LessonState`) and never run code from the lesson.
 */
import { statePathProblem } from './paths';

/** What a lesson can read: the page builds this plain tree; see README.md for every path. */
export interface LessonState {
  /** The run's phase: idle, loading, training, paused, evaluating, finished, stopped, failed. */
  readonly phase: string;
  /** The view on screen (train, footprint, schedule, ...). */
  readonly view: string;
  /** The experiment config now (nested form). */
  readonly config: unknown;
  /** The last run's result file, or null before the first run of the lesson ends. */
  readonly result: unknown;
  /** Every run finished since the lesson opened, oldest first (each a result file). */
  readonly runs: readonly unknown[];
  /** The Pareto explorer: `{runs: [{accuracy, kWh, gCO2e}], active, picked}` (picked: a run or null). */
  readonly sweep: unknown;
}

/** The roots a path may start with; anything else is a lesson error. */
export const STATE_ROOTS = ['phase', 'view', 'config', 'result', 'runs', 'sweep'] as const;

const OPERATORS = ['>=', '<=', '==', '!=', '>', '<'] as const;
type Operator = (typeof OPERATORS)[number];

export type Value = number | string | boolean | null;

/** A parsed comparison `path op literal`. */
export interface Comparison {
  readonly path: string;
  readonly op: Operator;
  readonly value: Value;
}

/** A parsed check: every comparison must hold. */
export interface Check {
  readonly all: readonly Comparison[];
  readonly source: string;
}

const PATH = /^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+)*$/;

/** Checks a path's shape, root and parts; returns the problem, or null. */
export function pathProblem(path: string): string | null {
  if (!PATH.test(path)) return `"${path}" is not a path (letters and digits joined by dots)`;
  const root = path.split('.')[0] as string;
  if (!(STATE_ROOTS as readonly string[]).includes(root)) return `"${path}" starts with "${root}"; a path starts with one of ${STATE_ROOTS.join(', ')}`;
  return statePathProblem(path);
}

function literal(text: string): Value | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(text)) return Number(text);
  if (/^[a-z][a-z0-9-]*$/i.test(text)) return text;
  const quoted = /^"([^"]*)"$/.exec(text);
  return quoted ? (quoted[1] as string) : undefined;
}

/** Parses a check; throws an Error whose message names what is wrong. */
export function parseCheck(source: string): Check {
  const parts = source.trim().split(/\s+and\s+/);
  const all = parts.map((part): Comparison => {
    const m = /^(\S+)\s*(>=|<=|==|!=|>|<)\s*(.+)$/.exec(part.trim());
    if (!m) throw new Error(`"${part}" is not a comparison such as "runs.count >= 2"`);
    const [, path, op, rhs] = m as unknown as [string, string, Operator, string];
    const problem = pathProblem(path);
    if (problem) throw new Error(problem);
    const value = literal(rhs.trim());
    if (value === undefined) throw new Error(`"${rhs.trim()}" is not a number, word, true, false, null or "quoted text"`);
    if (typeof value !== 'number' && (op === '>' || op === '<' || op === '>=' || op === '<=')) throw new Error(`"${op}" compares numbers, not "${rhs.trim()}"`);
    return { path, op, value };
  });
  return { all, source: source.trim() };
}

/** Reads a dotted path from the state. `runs.count`, `runs.first`, `runs.last` and `runs.N` index the run list. */
export function readPath(state: LessonState, path: string): unknown {
  let at: unknown = state;
  for (const key of path.split('.')) {
    if (Array.isArray(at)) at = indexOf(at, key);
    else if (at !== null && typeof at === 'object' && Object.hasOwn(at, key)) at = (at as Record<string, unknown>)[key];
    else return undefined;
  }
  return at;
}

function indexOf(list: readonly unknown[], key: string): unknown {
  if (key === 'count' || key === 'length') return list.length;
  if (key === 'first') return list[0];
  if (key === 'last') return list[list.length - 1];
  return /^\d+$/.test(key) ? list[Number(key)] : undefined;
}

function holds(actual: unknown, c: Comparison): boolean {
  if (c.op === '==') return actual === c.value || (actual === undefined && c.value === null);
  if (c.op === '!=') return !(actual === c.value || (actual === undefined && c.value === null));
  if (typeof actual !== 'number' || typeof c.value !== 'number' || !Number.isFinite(actual)) return false;
  switch (c.op) {
    case '>': return actual > c.value;
    case '<': return actual < c.value;
    case '>=': return actual >= c.value;
    default: return actual <= c.value;
  }
}

/** Whether every comparison of the check holds on the state (a missing value never passes a numeric test). */
export function checkHolds(check: Check, state: LessonState): boolean {
  return check.all.every((c) => holds(readPath(state, c.path), c));
}

// ---- Figures in questions -------------------------------------------------------------------

/** Functions a figure may use; each takes two numbers. */
const FUNCTIONS: Record<string, (a: number, b: number) => number> = {
  /** b as a multiple of a. */
  ratio: (a, b) => b / a,
  /** How much less b is than a, as a fraction of a (0.3: 30% less). */
  less: (a, b) => 1 - b / a,
  /** How much b changed from a, as a fraction of a (+0.2: 20% more). */
  change: (a, b) => b / a - 1,
  times: (a, b) => a * b,
  minus: (a, b) => a - b,
};

/** Formats a figure may end with, `{result.energy.kWh|Wh}`. */
const FORMATS: Record<string, (x: number) => string> = {
  n: (x) => significant(x),
  pct: (x) => `${significant(x * 100)}%`,
  pt: (x) => `${significant(x * 100)} points`,
  Wh: (x) => `${significant(x * 1000)} Wh`,
  mWh: (x) => `${significant(x * 1e6)} mWh`,
  g: (x) => `${significant(x)} g`,
  mg: (x) => `${significant(x * 1000)} mg`,
  s: (x) => `${significant(x)} s`,
  kB: (x) => `${significant(x / 1000)} kB`,
};

function significant(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return abs !== 0 && abs < 0.001 ? x.toPrecision(2) : x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A parsed figure: a path, or a function of two paths, with an optional format. */
export interface Figure {
  readonly fn: string | null;
  readonly paths: readonly string[];
  readonly format: string;
}

/** Parses the inside of `{...}`; throws an Error naming the problem. */
export function parseFigure(text: string): Figure {
  const [body = '', format = 'n', ...rest] = text.split('|').map((s) => s.trim());
  if (rest.length > 0) throw new Error(`"{${text}}" has more than one "|"`);
  if (!Object.hasOwn(FORMATS, format)) throw new Error(`"${format}" is not a format; use one of ${Object.keys(FORMATS).join(', ')}`);
  const call = /^([a-z]+)\(\s*([^,\s]+)\s*,\s*([^,\s)]+)\s*\)$/.exec(body);
  const fn = call ? (call[1] as string) : null;
  if (fn !== null && !Object.hasOwn(FUNCTIONS, fn)) throw new Error(`"${fn}" is not a function; use one of ${Object.keys(FUNCTIONS).join(', ')}`);
  const paths = call ? [call[2] as string, call[3] as string] : [body];
  for (const p of paths) {
    const problem = pathProblem(p);
    if (problem) throw new Error(problem);
  }
  return { fn, paths, format };
}

/** The figure's text on this state, or null when a value it needs is not there yet. */
export function figureText(figure: Figure, state: LessonState): string | null {
  const values = figure.paths.map((p) => readPath(state, p));
  if (!values.every((x): x is number => typeof x === 'number' && Number.isFinite(x))) {
    return figure.fn === null && typeof values[0] === 'string' ? values[0] : null;
  }
  const x = figure.fn === null ? values[0] as number : (FUNCTIONS[figure.fn] as (a: number, b: number) => number)(values[0] as number, values[1] as number);
  return Number.isFinite(x) ? (FORMATS[figure.format] as (x: number) => string)(x) : null;
}

/** A question split into text and figures, ready to fill. */
export type Template = readonly (string | Figure)[];

/** Parses `text {figure} text`; throws an Error naming the first bad figure. */
export function parseTemplate(text: string): Template {
  const out: (string | Figure)[] = [];
  let at = 0;
  for (const m of text.matchAll(/\{([^{}]*)\}/g)) {
    if (m.index > at) out.push(text.slice(at, m.index));
    out.push(parseFigure(m[1] as string));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  if (out.some((p) => typeof p === 'string' && /[{}]/.test(p))) throw new Error('a "{" or "}" has no partner');
  return out;
}

/** Fills a template; a figure not measured yet reads "(not measured yet)". `complete` says whether all were. */
export function fillTemplate(template: Template, state: LessonState): { text: string; complete: boolean } {
  let complete = true;
  const text = template.map((part) => {
    if (typeof part === 'string') return part;
    const figure = figureText(part, state);
    if (figure === null) complete = false;
    return figure ?? '(not measured yet)';
  }).join('');
  return { text, complete };
}

export { OPERATORS };
