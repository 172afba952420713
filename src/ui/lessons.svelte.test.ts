import { describe, expect, it } from 'vitest';
import { BUILT_IN_LESSONS, LessonSession, type LessonHost } from './lessons.svelte';
import { decodeResultLink } from '../core/results/link';
import { defaultRunResult } from '../core/results/test-helpers';

function fakeHost() {
  const lab = { phase: 'idle', view: 'train', config: {}, result: null as unknown, runId: 0, sweep: { runs: [], active: false, picked: null } };
  const presets: string[] = [];
  const views: string[] = [];
  const host: LessonHost = {
    snapshot: () => ({ ...lab }),
    applyPreset: (f) => void presets.push(f),
    showView: (v) => void views.push(v),
  };
  return { lab, presets, views, host };
}

const served = (body: string, status = 200): typeof fetch => async () => new Response(body, { status });

describe('LessonSession', () => {
  it('offers the six built-in lessons in teaching order', () => {
    expect(BUILT_IN_LESSONS.map((l) => l.id)).toEqual(['cost-of-a-run', 'bigger-is-not-better', 'when-you-train-matters', 'smaller-models', 'the-trade-off', 'serving-the-model']);
  });

  it('opens a built-in lesson at a step, applying its preset and view', async () => {
    const { host, presets, views } = fakeHost();
    const s = new LessonSession(host);
    await s.open('bigger-is-not-better', 1);
    expect(s.step).toBe(1);
    expect(presets).toEqual(['dataset=spiral&samples=600&backend=wasm&hidden=128,128&epochs=15&batch=32']);
    expect(views).toEqual(['train']);
  });

  it('records the runs finished since the lesson opened and marks the step done', async () => {
    const { host, lab } = fakeHost();
    lab.runId = 3;
    lab.phase = 'finished';
    lab.result = { stale: true };
    const s = new LessonSession(host);
    await s.open('cost-of-a-run');
    s.observe();
    expect(s.state.runs).toEqual([]);
    expect(s.record?.steps[0]?.done).toBe(false);
    lab.runId = 4;
    lab.result = { energy: { kWh: 0.0001, low: 0.00005, high: 0.0002 }, carbon: { gCO2e: 0.005 } };
    s.observe();
    expect(s.state.runs).toHaveLength(1);
    expect(s.record?.steps[0]?.done).toBe(true);
    expect(s.current?.question).toBe('Your run used between 0.05 Wh and 0.2 Wh (typically 0.1 Wh). Why does the lab give a range rather than one number?');
    s.answer('The power of my laptop is only known roughly.');
    expect(s.record?.steps[0]).toMatchObject({ answer: 'The power of my laptop is only known roughly.', question: expect.stringContaining('0.05 Wh') });
  });

  it('names each problem of a teacher lesson with its line and leaves the lab as it was', async () => {
    const { host, presets } = fakeHost();
    const s = new LessonSession(host);
    await s.open('https://school.example/lesson.md', 0, served('---\nid: x\ntitle: T\nminutes: 10\nsummary: S\n---\n## Step: A\ndo: go\ncheck: result.energy.kwh > 0\n'));
    expect(s.lesson).toBeNull();
    expect(s.problems).toEqual([{ line: 9, message: expect.stringContaining('"kwh" is not in the result') }]);
    expect(s.error).toContain('1 problem and was not opened');
    expect(presets).toEqual([]);
  });

  it('keeps a finished run as it ended while the next run is being set up, but takes its later export', async () => {
    const { host, lab } = fakeHost();
    const s = new LessonSession(host);
    await s.open('when-you-train-matters');
    lab.runId = 1;
    lab.phase = 'finished';
    lab.result = { schedule: { policy: 'run-now', pausedSeconds: 3600, savingVsRunNow: null }, compression: null };
    s.observe();
    // The comparison with run-now comes a moment after the run ends.
    lab.result = { schedule: { policy: 'run-now', pausedSeconds: 3600, savingVsRunNow: 0.25 }, compression: null };
    s.observe();
    // Setting up the next run clears the comparison, then shows the next run's schedule.
    lab.result = { schedule: { policy: 'run-now', pausedSeconds: 0, savingVsRunNow: null }, compression: { precision: 'uint8' } };
    s.observe();
    lab.result = { schedule: { policy: 'threshold', pausedSeconds: 0, savingVsRunNow: null }, compression: { precision: 'uint8' } };
    s.observe();
    expect(s.state.runs).toEqual([{ schedule: { policy: 'run-now', pausedSeconds: 3600, savingVsRunNow: 0.25 }, compression: { precision: 'uint8' } }]);
    expect(s.record?.steps[0]?.done).toBe(true);
  });

  it('makes a result link of the last run with the record of answers in it', async () => {
    const { host, lab } = fakeHost();
    const s = new LessonSession(host);
    await s.open('cost-of-a-run');
    expect(s.resultLink('https://lab.example.org/')).toBeNull();
    lab.runId = 1;
    lab.phase = 'finished';
    lab.result = defaultRunResult();
    s.observe();
    s.answer('It depends on the device.');
    const decoded = decodeResultLink(s.resultLink('https://lab.example.org/', 'Ada') ?? '');
    expect(decoded.ok && decoded.summary.nick).toBe('Ada');
    expect(decoded.ok && decoded.summary.lesson?.steps[0]).toMatchObject({ done: true, a: 'It depends on the device.', q: expect.stringContaining('Why does the lab give a range') });
  });

  it('says why a lesson could not be loaded or is not one', async () => {
    const s = new LessonSession(fakeHost().host);
    await s.open('https://school.example/missing.md', 0, served('no', 404));
    expect(s.error).toContain('server answered 404');
    await s.open('http://plain.example/lesson.md');
    expect(s.error).toContain('neither a built-in lesson');
  });
});
