/**
 * The lesson a student is following: which lesson and step, their record, and the runs finished
 * since it opened. It reads the lab through a small host interface and calls core for the rest.
 */
import { parseLesson, type Lesson, type LessonProblem, type LessonView } from '../core/lessons/parse';
import type { LessonState } from '../core/lessons/expr';
import { markDone, newRecord, nextOpenStep, stepView, withAnswer, type LessonRecord } from '../core/lessons/record';
import { validateResult, type LabResult } from '../core/result';
import { resultLinkUrl } from '../core/results/link';
import { summariseResult } from '../core/results/summary';
import { lessonPart } from '../core/results/lesson';

/** What the lesson needs from the page. */
export interface LessonHost {
  /** The lab now; `runId` changes when a new run starts, `result` is that run's result file or null. */
  snapshot(): { phase: string; view: string; config: unknown; result: unknown; runId: number; sweep: unknown };
  /** Applies a step's preset (a link fragment over the default experiment). */
  applyPreset(fragment: string): void;
  /** Shows a view of the workspace. */
  showView(view: LessonView): void;
}

/** The order the built-in lessons are taught in. */
const ORDER = ['cost-of-a-run', 'bigger-is-not-better', 'when-you-train-matters', 'smaller-models', 'the-trade-off', 'serving-the-model'];

const BUILT_IN_SOURCES = import.meta.glob('../lessons/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** The built-in lessons, parsed once (a test checks that each parses without problems). */
export const BUILT_IN_LESSONS: readonly Lesson[] = Object.values(BUILT_IN_SOURCES)
  .map((text) => parseLesson(text).lesson)
  .filter((l): l is Lesson => l !== null)
  .sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id));

/** A teacher's lesson file may be at most this large (the parser refuses more). */
const MAX_FETCH_BYTES = 200_000;

export class LessonSession {
  lesson = $state.raw<Lesson | null>(null);
  /** The built-in id or https URL the lesson came from (for the link). */
  source = $state('');
  step = $state(0);
  record = $state.raw<LessonRecord | null>(null);
  problems = $state.raw<readonly LessonProblem[]>([]);
  error = $state<string | null>(null);
  loading = $state(false);
  /**
   * Results of the runs since the lesson opened: run id, the result as recorded, and the lab's
   * result object it was last taken from (the newest is updated as it is compressed or deployed).
   */
  private results = $state.raw<readonly (readonly [number, unknown, unknown])[]>([]);
  private openedAtRun = 0;

  constructor(private readonly host: LessonHost) {}

  /** The state checks and questions read. */
  readonly state: LessonState = $derived.by(() => {
    const now = this.host.snapshot();
    const runs = this.results.map(([, r]) => r);
    return { phase: now.phase, view: now.view, config: now.config, result: now.result, runs, sweep: now.sweep };
  });

  readonly current = $derived(this.lesson ? stepView(this.lesson, this.step, this.state) : null);

  /** Opens a built-in lesson by id, or a teacher's lesson by https URL, at step `step` (0-based). */
  async open(source: string, step = 0, fetcher: typeof fetch = fetch): Promise<void> {
    this.error = null;
    this.problems = [];
    const builtIn = BUILT_IN_LESSONS.find((l) => l.id === source);
    if (builtIn) return this.begin(builtIn, source, step);
    if (!/^https:\/\//i.test(source)) {
      this.error = `"${source}" is neither a built-in lesson (${BUILT_IN_LESSONS.map((l) => l.id).join(', ')}) nor an https:// address of a lesson file.`;
      return;
    }
    this.loading = true;
    try {
      const text = await fetchLessonText(source, fetcher);
      const parsed = parseLesson(text);
      if (parsed.lesson) this.begin(parsed.lesson, source, step);
      else {
        this.problems = parsed.problems;
        this.error = `The lesson at ${source} has ${parsed.problems.length} problem${parsed.problems.length === 1 ? '' : 's'} and was not opened; the lab is unchanged.`;
      }
    } catch (e) {
      this.error = `The lesson at ${source} could not be loaded (${(e as Error).message}); the lab is unchanged.`;
    } finally {
      this.loading = false;
    }
  }

  private begin(lesson: Lesson, source: string, step: number): void {
    this.lesson = lesson;
    this.source = source;
    this.record = newRecord(lesson);
    this.results = [];
    this.openedAtRun = this.host.snapshot().runId + 1;
    this.goTo(Math.min(Math.max(0, Math.trunc(step)), lesson.steps.length - 1));
  }

  /** Shows step `index`: applies its preset and view. */
  goTo(index: number): void {
    const step = this.lesson?.steps[index];
    if (!step) return;
    this.step = index;
    if (step.preset !== '' || index === 0) this.host.applyPreset(step.preset);
    if (step.view) this.host.showView(step.view);
  }

  /** Closes the lesson; the lab keeps its settings. */
  close(): void {
    this.lesson = null;
    this.record = null;
    this.source = '';
    this.step = 0;
  }

  /** Call whenever the lab changes (from an effect): records runs and marks the step done when its check holds. */
  observe(): void {
    // Without a lesson there is nothing to record: the lab's result is not built for it.
    if (!this.lesson) return;
    const now = this.host.snapshot();
    const ended = now.phase === 'finished' || now.phase === 'stopped';
    const known = this.results.find(([id]) => id === now.runId);
    if (this.lesson && ended && now.result && now.runId >= this.openedAtRun && known?.[2] !== now.result) {
      const recorded = known ? laterSections(known[1], now.result) : now.result;
      // Run ids only grow, so appending or replacing the last entry keeps the list oldest first.
      this.results = [...this.results.filter(([id]) => id !== now.runId), [now.runId, recorded, now.result] as const];
    }
    if (this.record && this.current?.done) this.record = markDone(this.record, this.step);
  }

  /** Keeps the student's answer with the question as it reads now. */
  answer(text: string): void {
    if (this.record) this.record = withAnswer(this.record, this.step, this.current?.question ?? null, text);
  }

  /**
   * The result link of the last run with this lesson record in it (answers with their figures),
   * or null before a run of the lesson has a result.
   */
  resultLink(pageUrl: string, nickname = ''): string | null {
    const result = this.host.snapshot().result;
    if (!this.record || result === null || validateResult(result).length > 0) return null;
    return resultLinkUrl(pageUrl, { ...summariseResult(result as LabResult, nickname), lesson: lessonPart(this.record) });
  }

  /** The first step not done yet. */
  resumeAt(): number {
    return this.record ? nextOpenStep(this.record) : 0;
  }
}

/**
 * A recorded run updated from a later result of the same run. Its compression and deployment come
 * from the later result (an export, a distilled student, a benchmark); its schedule only fills in
 * what was not known when it ended (the comparison with run-now comes a moment later). The rest is
 * kept, because while the next run is being set up (a schedule loading its trace) the lab's result
 * already shows part of that run's schedule.
 */
function laterSections(recorded: unknown, later: unknown): unknown {
  if (!isObject(recorded) || !isObject(later)) return later;
  const [before, after] = [recorded['schedule'], later['schedule']];
  const schedule = isObject(before) && isObject(after) && before['policy'] === after['policy']
    ? Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v ?? after[k] ?? null]))
    : before;
  return { ...recorded, schedule, compression: later['compression'], deployment: later['deployment'] };
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object';

async function fetchLessonText(url: string, fetcher: typeof fetch): Promise<string> {
  const response = await fetcher(url, { credentials: 'omit', redirect: 'follow' });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_FETCH_BYTES) throw new Error(`the file is ${length.toLocaleString('en')} bytes; a lesson may have at most ${MAX_FETCH_BYTES.toLocaleString('en')}`);
  const text = await response.text();
  if (text.length > MAX_FETCH_BYTES) throw new Error(`the file is ${text.length.toLocaleString('en')} characters; a lesson may have at most ${MAX_FETCH_BYTES.toLocaleString('en')}`);
  return text;
}
