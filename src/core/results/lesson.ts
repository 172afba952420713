/**
 * A student's lesson record as a result link carries it: the lesson, and for each step whether it
 * was done, the question as it read with the student's own figures, and their answer. Optional in
 * the summary (links without it stay valid), validated like the rest, and capped so that a record
 * of long answers still makes a link a chat or a QR code can hold.
 */
import * as v from 'valibot';
import type { LessonRecord } from '../lessons/record';

/** The lesson part of a link's JSON is cut to at most this many characters (before deflating). */
export const LESSON_PART_MAX_CHARS = 3000;
/** Most steps a lesson part may hold. */
export const LESSON_PART_MAX_STEPS = 30;
/** Longest question, answer and title kept per step. */
export const LESSON_TEXT_MAX = 600;
/** Cut text ends with this mark, so a reader knows it was shortened. */
const CUT = '…';

const text = v.pipe(v.string(), v.maxLength(LESSON_TEXT_MAX));

export const LessonPartSchema = v.object({
  /** The lesson's id (its front matter `id`). */
  id: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a lesson id (lower-case letters, digits and -)')),
  title: text,
  steps: v.pipe(
    v.array(v.object({ title: text, done: v.boolean(), q: v.nullable(text), a: text })),
    v.maxLength(LESSON_PART_MAX_STEPS),
  ),
});

export type LessonPart = v.InferOutput<typeof LessonPartSchema>;

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}${CUT}`;
}

/**
 * The lesson part of a result link for a record. Answers are shortened, longest first, until the
 * part fits LESSON_PART_MAX_CHARS; questions (which hold the measured figures) are kept whole
 * unless even answers of a few characters do not make it fit.
 */
export function lessonPart(record: LessonRecord): LessonPart {
  const steps = record.steps.slice(0, LESSON_PART_MAX_STEPS).map((s) => ({
    title: cut(s.title, LESSON_TEXT_MAX),
    done: s.done,
    q: s.question === null ? null : cut(s.question, LESSON_TEXT_MAX),
    a: cut(s.answer, LESSON_TEXT_MAX),
  }));
  const part = { id: record.lessonId, title: cut(record.title, LESSON_TEXT_MAX), steps };
  for (let answerMax = LESSON_TEXT_MAX; JSON.stringify(part).length > LESSON_PART_MAX_CHARS && answerMax > 8; answerMax = Math.floor(answerMax * 0.8)) {
    for (const s of steps) s.a = cut(s.a, answerMax);
  }
  for (let questionMax = LESSON_TEXT_MAX; JSON.stringify(part).length > LESSON_PART_MAX_CHARS && questionMax > 40; questionMax = Math.floor(questionMax * 0.8)) {
    for (const s of steps) s.q = s.q === null ? null : cut(s.q, questionMax);
  }
  return part;
}

/** The answers as one line for a table cell or CSV: `1. answer · 2. answer`, steps not answered left out. */
export function lessonAnswersText(part: LessonPart | undefined): string | null {
  if (!part) return null;
  const answered = part.steps.map((s, i) => (s.a.trim() === '' ? null : `${i + 1}. ${s.a.trim()}`)).filter((x): x is string => x !== null);
  const done = part.steps.filter((s) => s.done).length;
  return `${part.id} (${done}/${part.steps.length} done)${answered.length ? `: ${answered.join(' · ')}` : ''}`;
}
