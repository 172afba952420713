import { describe, expect, it } from 'vitest';
import type { LessonRecord } from '../lessons/record';
import { decodeResultLink, resultLinkUrl } from './link';
import { summariseResult } from './summary';
import { extractFromText, mergeEntries, runKey } from './extract';
import { rowFromEntry } from './table';
import { column, shownColumns } from './columns';
import { LESSON_PART_MAX_CHARS, lessonAnswersText, lessonPart } from './lesson';
import { defaultRunResult } from './test-helpers';

const PAGE = 'https://lab.example.org/';

const record = (answer = 'About 0.011 Wh; the lab knows my kind of device, not its power.'): LessonRecord => ({
  lessonId: 'cost-of-a-run',
  title: 'What does one training run cost?',
  steps: [
    { title: 'Train the digit recogniser once', done: true, question: 'Your run used between 0.011 Wh and 0.024 Wh (typically 0.011 Wh). Why is it a range?', answer },
    { title: 'Energy times intensity is carbon', done: true, question: 'The grid in France averaged 44.2 gCO2 per kWh.', answer: '' },
    { title: 'The same run on a coal-heavy grid', done: false, question: null, answer: '' },
  ],
});

describe('a lesson record in a result link', () => {
  it('round-trips the answers with their figures, and a link without one still reads', () => {
    const summary = { ...summariseResult(defaultRunResult(), 'Ada'), lesson: lessonPart(record()) };
    const decoded = decodeResultLink(resultLinkUrl(PAGE, summary));
    expect(decoded.ok && decoded.summary.lesson).toEqual({
      id: 'cost-of-a-run',
      title: 'What does one training run cost?',
      steps: [
        { title: 'Train the digit recogniser once', done: true, q: 'Your run used between 0.011 Wh and 0.024 Wh (typically 0.011 Wh). Why is it a range?', a: 'About 0.011 Wh; the lab knows my kind of device, not its power.' },
        { title: 'Energy times intensity is carbon', done: true, q: 'The grid in France averaged 44.2 gCO2 per kWh.', a: '' },
        { title: 'The same run on a coal-heavy grid', done: false, q: null, a: '' },
      ],
    });
    const plain = decodeResultLink(resultLinkUrl(PAGE, summariseResult(defaultRunResult())));
    expect(plain.ok && plain.summary.lesson).toBeUndefined();
  });

  it('shortens long answers so the lesson part stays within its cap, marking each cut', () => {
    const long: LessonRecord = { ...record(), steps: Array.from({ length: 12 }, (_, i) => ({ title: `Step ${i}`, done: true, question: `Question ${i} with figure ${i * 1.5} Wh.`, answer: 'x'.repeat(2000) })) };
    const part = lessonPart(long);
    expect(JSON.stringify(part).length).toBeLessThanOrEqual(LESSON_PART_MAX_CHARS);
    expect(part.steps.every((s) => s.a.endsWith('…') && s.a.length < 600)).toBe(true);
    // The questions, which hold the figures, are kept whole.
    expect(part.steps[11]?.q).toBe('Question 11 with figure 16.5 Wh.');
    const link = resultLinkUrl(PAGE, { ...summariseResult(defaultRunResult()), lesson: part });
    expect(decodeResultLink(link).ok).toBe(true);
  });

  it('refuses a link whose lesson part is not a valid record, naming where', () => {
    const bad = { ...summariseResult(defaultRunResult()), lesson: { ...lessonPart(record()), id: '<script>' } };
    const decoded = decodeResultLink(resultLinkUrl(PAGE, bad as never));
    expect(decoded).toMatchObject({ ok: false, problem: 'not-a-result', message: expect.stringContaining('lesson.id') });
    const tooLong = { ...summariseResult(defaultRunResult()), lesson: { ...lessonPart(record()), steps: [{ title: 't', done: true, q: null, a: 'y'.repeat(601) }] } };
    expect(decodeResultLink(resultLinkUrl(PAGE, tooLong as never))).toMatchObject({ ok: false, message: expect.stringContaining('lesson.steps.0.a') });
  });

  it('shows a lesson answers column only when some row has a record, and keeps the record when copies merge', () => {
    const plain = summariseResult(defaultRunResult());
    const withLesson = { ...plain, lesson: lessonPart(record()) };
    const rowOf = (s: typeof plain) => rowFromEntry({ key: runKey(s), summary: s, sources: ['t'] });
    expect(shownColumns([rowOf(plain)]).map((c) => c.id)).not.toContain('lesson_answers');
    expect(shownColumns([rowOf(plain), rowOf(withLesson)]).map((c) => c.id)).toContain('lesson_answers');
    expect(column('lesson_answers')?.value(rowOf(withLesson))).toBe('cost-of-a-run (2/3 done): 1. About 0.011 Wh; the lab knows my kind of device, not its power.');
    expect(lessonAnswersText(undefined)).toBeNull();
    // The same run shared twice, first without its record: the record fills in.
    const found = extractFromText(`${resultLinkUrl(PAGE, plain)} and ${resultLinkUrl(PAGE, withLesson)}`, 'chat');
    const merged = mergeEntries([found.entries]);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.summary.lesson?.id).toBe('cost-of-a-run');
  });
});
