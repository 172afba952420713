/**
 * The lesson file format (documented in README.md beside this file): Markdown with a small front
 * matter, one `## Step: Title` section per step and an optional `## Teacher notes` section.
 * `parseLesson` never throws: every problem is named with its line number.
 */
import { parseLink } from '../config/link';
import { parseMarkdown, type Block } from './markdown';
import { parseCheck, parseTemplate, type Check, type Template } from './expr';

/** The lab's views a step may open. */
export const LESSON_VIEWS = ['train', 'footprint', 'schedule', 'compress', 'deploy', 'explore', 'compare', 'lessons'] as const;
export type LessonView = (typeof LESSON_VIEWS)[number];

export interface LessonStep {
  readonly title: string;
  /** Link fragment applied over the default experiment when the step opens (`''`: the defaults). */
  readonly preset: string;
  readonly view: LessonView | null;
  /** What to do, one line of Markdown. */
  readonly todo: readonly Block[];
  readonly check: Check;
  /** A question with figures from the student's own runs, or null. */
  readonly question: Template | null;
  readonly body: readonly Block[];
  /** Line of the step's heading in the file. */
  readonly line: number;
}

export interface Lesson {
  readonly id: string;
  readonly title: string;
  readonly minutes: number;
  readonly summary: string;
  readonly intro: readonly Block[];
  readonly steps: readonly LessonStep[];
  /** Learning goals, timing and the range of answers to expect; empty when the file has none. */
  readonly teacherNotes: readonly Block[];
}

export interface LessonProblem {
  readonly line: number;
  readonly message: string;
}

export type LessonParse = { readonly lesson: Lesson; readonly problems: readonly [] } | { readonly lesson: null; readonly problems: readonly LessonProblem[] };

/** A lesson file may not be larger than this (a lesson is text, not data). */
export const MAX_LESSON_BYTES = 200_000;
const MAX_STEPS = 40;
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const STEP_KEYS = ['preset', 'view', 'do', 'check', 'question'] as const;

interface Line {
  readonly n: number;
  readonly text: string;
}

interface Section {
  readonly heading: Line | null;
  readonly lines: Line[];
}

/** Parses a lesson file. */
export function parseLesson(text: string): LessonParse {
  const problems: LessonProblem[] = [];
  const report = (line: number, message: string) => void problems.push({ line, message });
  if (text.length > MAX_LESSON_BYTES) return { lesson: null, problems: [{ line: 1, message: `the file is ${text.length.toLocaleString('en')} characters; a lesson may have at most ${MAX_LESSON_BYTES.toLocaleString('en')}` }] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((t, i) => ({ n: i + 1, text: t }));
  const { meta, rest } = frontMatter(lines, report);
  const sections = splitSections(rest);
  const steps: LessonStep[] = [];
  let teacherNotes: Block[] = [];
  for (const s of sections.slice(1)) {
    const title = (s.heading as Line).text.replace(/^##\s+/, '');
    if (/^teacher notes$/i.test(title)) teacherNotes = parseMarkdown(joined(s.lines));
    else if (/^step:\s*\S/i.test(title)) steps.push(parseStep(title.replace(/^step:\s*/i, ''), s, report));
    else report((s.heading as Line).n, `"## ${title}" is neither "## Step: <title>" nor "## Teacher notes"`);
  }
  if (steps.length === 0) report(lines.length, 'the lesson has no "## Step: <title>" section');
  if (steps.length > MAX_STEPS) report(lines.length, `the lesson has ${steps.length} steps; at most ${MAX_STEPS}`);
  if (problems.length > 0 || !meta) return { lesson: null, problems: problems.sort((a, b) => a.line - b.line) };
  return { lesson: { ...meta, intro: parseMarkdown(joined(sections[0]?.lines ?? [])), steps, teacherNotes }, problems: [] };
}

type Meta = Pick<Lesson, 'id' | 'title' | 'minutes' | 'summary'>;

function frontMatter(lines: Line[], report: (line: number, message: string) => void): { meta: Meta | null; rest: Line[] } {
  if (lines[0]?.text.trim() !== '---') {
    report(1, 'a lesson starts with a front matter: a line "---", then id, title, minutes and summary, then "---"');
    return { meta: null, rest: lines };
  }
  const end = lines.findIndex((l, i) => i > 0 && l.text.trim() === '---');
  if (end < 0) {
    report(1, 'the front matter that starts on line 1 has no closing "---"');
    return { meta: null, rest: [] };
  }
  const fields = keyValues(lines.slice(1, end), ['id', 'title', 'minutes', 'summary'], report);
  const at = lines[end] as Line;
  const need = (key: string) => fields.get(key) ?? (report(at.n, `the front matter has no "${key}:"`), null);
  const id = need('id'), title = need('title'), minutes = need('minutes'), summary = need('summary');
  if (id && !ID.test(id.value)) report(id.line, `the id "${id.value}" may hold only lower-case letters, digits and "-"`);
  const m = minutes ? Number(minutes.value) : NaN;
  if (minutes && !(Number.isInteger(m) && m >= 1 && m <= 120)) report(minutes.line, `minutes "${minutes.value}" must be a whole number from 1 to 120`);
  const meta = id && title && minutes && summary ? { id: id.value, title: title.value, minutes: m, summary: summary.value } : null;
  return { meta, rest: lines.slice(end + 1) };
}

function keyValues(lines: Line[], allowed: readonly string[], report: (line: number, message: string) => void): Map<string, { value: string; line: number }> {
  const out = new Map<string, { value: string; line: number }>();
  for (const l of lines) {
    if (l.text.trim() === '') continue;
    const m = /^([a-z]+):\s*(.*)$/i.exec(l.text.trim());
    if (!m) report(l.n, `"${clip(l.text)}" is not "key: value"`);
    else if (!allowed.includes((m[1] as string).toLowerCase())) report(l.n, `"${m[1]}" is not a known key; use ${allowed.join(', ')}`);
    else if (out.has((m[1] as string).toLowerCase())) report(l.n, `"${m[1]}" is given twice`);
    else out.set((m[1] as string).toLowerCase(), { value: (m[2] as string).trim(), line: l.n });
  }
  return out;
}

function splitSections(lines: Line[]): Section[] {
  const sections: Section[] = [{ heading: null, lines: [] }];
  for (const l of lines) {
    if (/^##\s/.test(l.text)) sections.push({ heading: l, lines: [] });
    else (sections[sections.length - 1] as Section).lines.push(l);
  }
  return sections;
}

/** A step's first block of lines (up to a blank line) holds its `key: value` fields; the rest is its text. */
function parseStep(title: string, s: Section, report: (line: number, message: string) => void): LessonStep {
  const start = s.lines.findIndex((l) => l.text.trim() !== '');
  const blank = start < 0 ? -1 : s.lines.findIndex((l, i) => i > start && l.text.trim() === '');
  const hasFields = start >= 0 && /^[a-z]+:(\s|$)/i.test((s.lines[start] as Line).text.trim());
  const firstText = !hasFields ? 0 : blank < 0 ? s.lines.length : blank;
  const head = s.lines.slice(0, firstText);
  const fields = keyValues(head, STEP_KEYS, report);
  const line = (s.heading as Line).n;
  const field = (key: string) => fields.get(key);
  const todo = field('do');
  const check = attempt(field('check'), parseCheck, report) ?? null;
  if (!todo) report(line, `step "${title}" has no "do:" line saying what to do`);
  if (!field('check')) report(line, `step "${title}" has no "check:" line saying when it is done`);
  const view = field('view');
  if (view && !(LESSON_VIEWS as readonly string[]).includes(view.value)) report(view.line, `view "${view.value}" is not one of ${LESSON_VIEWS.join(', ')}`);
  const preset = field('preset');
  if (preset) presetProblems(preset.value).forEach((m) => report(preset.line, m));
  return {
    title,
    preset: preset?.value.replace(/^#/, '') ?? '',
    view: view && (LESSON_VIEWS as readonly string[]).includes(view.value) ? (view.value as LessonView) : null,
    todo: parseMarkdown(todo?.value ?? ''),
    check: check ?? { all: [], source: '' },
    question: attempt(field('question'), parseTemplate, report) ?? null,
    body: parseMarkdown(joined(s.lines.slice(firstText))),
    line,
  };
}

function attempt<T>(field: { value: string; line: number } | undefined, parse: (text: string) => T, report: (line: number, message: string) => void): T | undefined {
  if (!field) return undefined;
  try {
    return parse(field.value);
  } catch (e) {
    report(field.line, (e as Error).message);
    return undefined;
  }
}

/** Problems with a preset, as the share link parser names them. */
function presetProblems(preset: string): string[] {
  return parseLink(preset.replace(/^#/, '')).issues.map((i) => `preset: ${i.message}`);
}

function joined(lines: readonly Line[]): string {
  return lines.map((l) => l.text).join('\n');
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
