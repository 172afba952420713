/**
 * A student's record of a lesson: for each step whether it was done, the question as it read with
 * the student's own figures when they answered, and their answer. Plain data, so the page can
 * print it, keep it and put it in a result link.
 */
import type { Lesson } from './parse';
import { checkHolds, fillTemplate, type LessonState } from './expr';

export interface StepRecord {
  readonly title: string;
  readonly done: boolean;
  /** The question with the figures it showed when the student answered (null: the step has none). */
  readonly question: string | null;
  readonly answer: string;
}

export interface LessonRecord {
  readonly lessonId: string;
  readonly title: string;
  readonly steps: readonly StepRecord[];
}

/** The longest answer kept; a record is for a page of notes, not an essay. */
export const MAX_ANSWER_CHARS = 2000;

/** An empty record for a lesson. */
export function newRecord(lesson: Lesson): LessonRecord {
  return { lessonId: lesson.id, title: lesson.title, steps: lesson.steps.map((s) => ({ title: s.title, done: false, question: null, answer: '' })) };
}

/** What one step shows now: whether its check holds and its question filled from the state. */
export function stepView(lesson: Lesson, index: number, state: LessonState): { done: boolean; question: string | null; questionComplete: boolean } {
  const step = lesson.steps[index];
  if (!step) return { done: false, question: null, questionComplete: false };
  const filled = step.question ? fillTemplate(step.question, state) : null;
  return { done: checkHolds(step.check, state), question: filled?.text ?? null, questionComplete: filled?.complete ?? false };
}

/** The record with step `index` marked done (once done, a step stays done). */
export function markDone(record: LessonRecord, index: number): LessonRecord {
  if (record.steps[index]?.done !== false) return record;
  return { ...record, steps: record.steps.map((s, i) => (i === index ? { ...s, done: true } : s)) };
}

/** The record with the student's answer to step `index`, and the question as it read then. */
export function withAnswer(record: LessonRecord, index: number, question: string | null, answer: string): LessonRecord {
  if (!record.steps[index]) return record;
  const text = answer.slice(0, MAX_ANSWER_CHARS);
  return { ...record, steps: record.steps.map((s, i) => (i === index ? { ...s, question, answer: text } : s)) };
}

/** The first step not done yet, or the last step when all are done. */
export function nextOpenStep(record: LessonRecord): number {
  const open = record.steps.findIndex((s) => !s.done);
  return open >= 0 ? open : Math.max(0, record.steps.length - 1);
}
