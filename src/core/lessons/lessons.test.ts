import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseLesson, type Lesson } from './parse';
import { checkHolds, fillTemplate, parseCheck, parseTemplate, readPath, type LessonState } from './expr';
import { inlineText, parseInline, parseMarkdown } from './markdown';
import { MAX_ANSWER_CHARS, markDone, newRecord, nextOpenStep, stepView, withAnswer } from './record';

const DIR = join(import.meta.dirname, '../../lessons');
const builtIn = readdirSync(DIR).filter((f) => f.endsWith('.md')).map((f) => ({ file: f, text: readFileSync(join(DIR, f), 'utf8') }));

const state = (over: Partial<LessonState> = {}): LessonState => ({ phase: 'idle', view: 'train', config: {}, result: null, runs: [], sweep: { runs: [], active: false, picked: null }, ...over });

const minimal = (steps = '## Step: One\ndo: Press Start.\ncheck: phase == finished\n') => `---\nid: demo\ntitle: Demo\nminutes: 10\nsummary: A demo.\n---\nIntro.\n\n${steps}`;

describe('built-in lessons', () => {
  it('ships at least six lessons', () => expect(builtIn.length).toBeGreaterThanOrEqual(6));

  it.each(builtIn)('$file parses, lasts 10 to 20 minutes and has teacher notes with goals, timing and answers', ({ file, text }) => {
    const parsed = parseLesson(text);
    expect(parsed.problems).toEqual([]);
    const lesson = parsed.lesson as Lesson;
    expect(`${lesson.id}.md`).toBe(file);
    expect(lesson.minutes).toBeGreaterThanOrEqual(10);
    expect(lesson.minutes).toBeLessThanOrEqual(20);
    expect(lesson.steps.length).toBeGreaterThanOrEqual(3);
    const notes = lesson.teacherNotes.map((b) => ('inlines' in b ? inlineText(b.inlines) : b.items.map(inlineText).join(' '))).join(' ');
    expect(notes).toMatch(/goals/i);
    expect(notes).toMatch(/timing/i);
    expect(notes).toMatch(/answers to expect/i);
    for (const step of lesson.steps) expect(step.check.all.length).toBeGreaterThan(0);
  });

  it('has lesson ids that are unique', () => {
    const ids = builtIn.map(({ text }) => parseLesson(text).lesson?.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('parseLesson', () => {
  it('reads front matter, steps, fields and body text', () => {
    const parsed = parseLesson(minimal('## Step: Go\npreset: dataset=spiral&epochs=3\nview: train\ndo: Press **Start**.\ncheck: phase == finished\nquestion: You reached {result.metrics.testAccuracy|pct}.\n\nSome *body* text.\n'));
    const step = parsed.lesson?.steps[0];
    expect(parsed.problems).toEqual([]);
    expect(step?.preset).toBe('dataset=spiral&epochs=3');
    expect(step?.view).toBe('train');
    expect(step?.body).toEqual([{ kind: 'p', inlines: [{ kind: 'text', text: 'Some ' }, { kind: 'em', text: 'body' }, { kind: 'text', text: ' text.' }] }]);
    expect(step?.line).toBe(9);
  });

  it('names each problem with its line number', () => {
    const text = '---\nid: Bad Id\ntitle: T\nminutes: 500\nsummary: S\ncolour: red\n---\n## Step: A\npreset: batch=0&nonsense=1\nview: kitchen\ndo: x\ncheck: runs.count >= lots\nquestion: {nowhere.at.all}\n\n## Something else\n';
    const { problems, lesson } = parseLesson(text);
    expect(lesson).toBeNull();
    const byLine = problems.map((p) => [p.line, p.message]);
    expect(byLine).toEqual(expect.arrayContaining([
      [2, expect.stringContaining('Bad Id')],
      [4, expect.stringContaining('1 to 120')],
      [6, expect.stringContaining('"colour" is not a known key')],
      [9, expect.stringContaining('nonsense')],
      [9, expect.stringContaining('batch')],
      [10, expect.stringContaining('kitchen')],
      [12, expect.stringContaining('lots')],
      [13, expect.stringContaining('nowhere')],
      [15, expect.stringContaining('neither')],
    ]));
  });

  it('refuses a file without front matter, without steps, or far too large', () => {
    expect(parseLesson('# Just a heading').problems[0]).toMatchObject({ line: 1, message: expect.stringContaining('front matter') });
    expect(parseLesson('---\nid: a\ntitle: b\nminutes: 5\nsummary: c\n---\nNo steps.').problems).toEqual([expect.objectContaining({ message: expect.stringContaining('no "## Step') })]);
    expect(parseLesson('x'.repeat(300_000)).problems[0]?.message).toContain('at most 200,000');
  });

  it('requires "do" and "check" on every step', () => {
    const { problems } = parseLesson(minimal('## Step: Empty\n\nJust text.\n'));
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('"do:"'), expect.stringContaining('"check:"')]);
  });
});

describe('checks', () => {
  it('pass when every comparison holds on the lab state', () => {
    const check = parseCheck('phase == finished and runs.count >= 2 and result.compression.sparsity >= 0.5');
    const result = { compression: { sparsity: 0.8 } };
    expect(checkHolds(check, state({ phase: 'finished', runs: [{}, {}], result }))).toBe(true);
    expect(checkHolds(check, state({ phase: 'finished', runs: [{}], result }))).toBe(false);
    expect(checkHolds(check, state({ phase: 'training', runs: [{}, {}], result }))).toBe(false);
  });

  it('never pass a numeric test on a value that is missing', () => {
    expect(checkHolds(parseCheck('result.schedule.pausedSeconds > 0'), state({ result: null }))).toBe(false);
    expect(checkHolds(parseCheck('sweep.picked != null'), state())).toBe(false);
    expect(checkHolds(parseCheck('sweep.picked == null'), state())).toBe(true);
  });

  it('refuse what is not a comparison of a known path', () => {
    expect(() => parseCheck('alert(1)')).toThrow(/not a comparison/);
    expect(() => parseCheck('window.x == 1')).toThrow(/starts with "window"/);
    expect(() => parseCheck('phase > finished')).toThrow(/compares numbers/);
  });

  it('name a path that the lab state cannot have', () => {
    expect(() => parseCheck('result.energy.kwh > 0')).toThrow(/"kwh" is not in the result; here there is kWh/);
    expect(() => parseCheck('runs.latest.metrics.testAccuracy > 0')).toThrow(/count, first, last or a number/);
    expect(() => parseCheck('config.train.batch == 3')).toThrow(/not a config field/);
    expect(() => parseCheck('sweep.picked.colour == red')).toThrow(/a sweep run has/);
    expect(parseCheck('runs.2.schedule.savingVsRunNow > 0 and config.train.batchSize >= 8 and sweep.runs.count >= 1').all).toHaveLength(3);
  });

  it('read runs by count, first, last and index', () => {
    const s = state({ runs: [{ a: 1 }, { a: 2 }, { a: 3 }] });
    expect([readPath(s, 'runs.count'), readPath(s, 'runs.first.a'), readPath(s, 'runs.last.a'), readPath(s, 'runs.1.a'), readPath(s, 'runs.9.a')]).toEqual([3, 1, 3, 2, undefined]);
    expect(readPath(state({ result: {} }), 'result.toString')).toBeUndefined();
  });
});

describe('questions', () => {
  it('fill figures from the measured state in the asked format', () => {
    const t = parseTemplate('Used {result.energy.kWh|Wh}; {less(runs.0.energy.kWh, runs.1.energy.kWh)|pct} less; on {result.carbon.regionName}.');
    const runs = [{ energy: { kWh: 0.0002 } }, { energy: { kWh: 0.00005 } }];
    const filled = fillTemplate(t, state({ runs, result: { energy: { kWh: 0.00005 }, carbon: { regionName: 'France' } } }));
    expect(filled).toEqual({ text: 'Used 0.05 Wh; 75% less; on France.', complete: true });
  });

  it('say what is not measured yet', () => {
    expect(fillTemplate(parseTemplate('Saved {result.schedule.savingVsRunNow|pct}.'), state())).toEqual({ text: 'Saved (not measured yet).', complete: false });
  });

  it('refuse unknown functions, formats and unbalanced braces', () => {
    expect(() => parseTemplate('{eval(result.metrics.steps, result.metrics.epochs)}')).toThrow(/not a function/);
    expect(() => parseTemplate('{result.metrics.steps|furlongs}')).toThrow(/not a format/);
    expect(() => parseTemplate('a } b')).toThrow(/no partner/);
  });
});

describe('lesson Markdown', () => {
  it('keeps HTML as text and follows only https links', () => {
    expect(parseInline('<img src=x onerror=alert(1)> [ok](https://example.org) [bad](javascript:alert(1))')).toEqual([
      { kind: 'text', text: '<img src=x onerror=alert(1)> ' },
      { kind: 'link', text: 'ok', href: 'https://example.org' },
      { kind: 'text', text: ' [bad](javascript:alert(1))' },
    ]);
  });

  it('reads paragraphs, headings and both kinds of list', () => {
    const blocks = parseMarkdown('### Goals\n- one\n- two\n\n1. first\n2. second\n\nA paragraph\nover two lines.');
    expect(blocks.map((b) => b.kind)).toEqual(['h', 'ul', 'ol', 'p']);
    expect(blocks[3]).toEqual({ kind: 'p', inlines: [{ kind: 'text', text: 'A paragraph over two lines.' }] });
  });
});

describe('a student record', () => {
  const lesson = parseLesson(minimal('## Step: Train\ndo: Press Start.\ncheck: phase == finished\nquestion: You reached {result.metrics.testAccuracy|pct}.\n\n## Step: Again\ndo: Press Start again.\ncheck: runs.count >= 2\n')).lesson as Lesson;

  it('shows a step done when its check holds, with the question filled from the student figures', () => {
    const s = state({ phase: 'finished', result: { metrics: { testAccuracy: 0.912 } }, runs: [{}] });
    expect(stepView(lesson, 0, s)).toEqual({ done: true, question: 'You reached 91.2%.', questionComplete: true });
    expect(stepView(lesson, 1, s)).toEqual({ done: false, question: null, questionComplete: false });
  });

  it('keeps each answer with the question as it read, and steps stay done', () => {
    let record = newRecord(lesson);
    expect(nextOpenStep(record)).toBe(0);
    record = markDone(record, 0);
    record = withAnswer(record, 0, 'You reached 91.2%.', 'x'.repeat(5000));
    expect(record.steps[0]).toEqual({ title: 'Train', done: true, question: 'You reached 91.2%.', answer: 'x'.repeat(MAX_ANSWER_CHARS) });
    expect(nextOpenStep(record)).toBe(1);
    record = markDone(record, 1);
    expect(nextOpenStep(record)).toBe(1);
    expect(markDone(record, 1)).toBe(record);
  });
});
