import { describe, expect, it, vi } from 'vitest';
import { Lab } from './lab.svelte';
import { parseLink } from '../core/config/link';
import type { SavedRunEntry } from '../core/train/checkpoint-log';
import type { ProgressUpdate, TrainEvent } from '../core/train/types';

const { config } = parseLink('#dataset=xor&samples=400&epochs=1&backend=cpu');

/** A lab whose worker bridge is a fake: it records calls, and a run it trains fails at once. */
function labWithFakeWorker(saved: SavedRunEntry[] = []) {
  const lab = new Lab(() => 'http://localhost/');
  const calls: string[] = [];
  let onEvent: ((e: TrainEvent) => void) | null = null;
  const fake = {
    train: vi.fn((_c: unknown, handler: (e: TrainEvent) => void) => {
      calls.push('train');
      onEvent = handler;
      return Promise.reject(new Error('no worker in this test'));
    }),
    discardSavedRun: vi.fn(async (runId: string) => void calls.push(`discard ${runId}`)),
    savedRuns: vi.fn(async () => saved),
    updateRunContext: vi.fn(),
  };
  (lab as unknown as { bridge: unknown }).bridge = fake;
  lab.config = structuredClone(config);
  return { lab, calls, fake, emit: (e: TrainEvent) => onEvent?.(e) };
}

const waiting = (runId: string): SavedRunEntry => ({ runId, info: { config, savedAt: 1, paused: true, stepsDone: 40, totalSteps: 100 }, problem: null, unsaved: null });

function progress(losses: number[]): ProgressUpdate {
  return { firstStep: 0, losses, epoch: 0, stepsDone: losses.length, totalSteps: losses.length, examplesDone: losses.length, totalExamples: losses.length, samplesPerSecond: 1, trainingSeconds: 1, etaSeconds: 0, steps: [] };
}

describe('the lab and its saved runs', () => {
  it('asks before Start discards a saved run: Cancel starts nothing and deletes nothing', async () => {
    const { lab, calls } = labWithFakeWorker([waiting('a')]);
    await lab.checkSavedRun();
    const started = lab.run();
    expect(lab.startQuestion).not.toBeNull();
    lab.startQuestion?.answer('cancel');
    expect(await started).toBeNull();
    expect(calls).toEqual([]);
    expect(lab.savedRun?.runId).toBe('a');
  });

  it('discards the saved run only when told to, then starts', async () => {
    const { lab, calls } = labWithFakeWorker([waiting('a')]);
    await lab.checkSavedRun();
    const started = lab.run();
    lab.startQuestion?.answer('discard');
    await started;
    expect(calls).toEqual(['discard a', 'train']);
  });

  it('keeps the saved run when told to keep it, and starts', async () => {
    const { lab, calls } = labWithFakeWorker([waiting('a')]);
    await lab.checkSavedRun();
    const started = lab.run();
    lab.startQuestion?.answer('keep');
    await started;
    expect(calls).toEqual(['train']);
  });

  it('appends a continued run of 500k losses to its curve (no spread into push)', async () => {
    const { lab, emit } = labWithFakeWorker();
    const started = lab.start();
    emit({ type: 'progress', progress: progress(Array.from({ length: 500_000 }, (_, i) => 1 / (i + 1))) });
    expect(lab.losses).toHaveLength(500_000);
    expect(lab.progress?.stepsDone).toBe(500_000);
    await started;
  });

  it('shows an error thrown by a progress handler, and still checks the energy budget', async () => {
    const { lab, emit } = labWithFakeWorker();
    const budget = vi.spyOn(lab.compression, 'checkBudget');
    lab.footprint.onProgress = () => {
      lab.footprint.live = { wh: 1 } as never;
      throw new Error('the tracker broke');
    };
    const started = lab.start();
    expect(() => emit({ type: 'progress', progress: progress([0.5, 0.4]) })).not.toThrow();
    expect(lab.error).toContain('the tracker broke');
    expect(budget).toHaveBeenCalledWith(expect.anything(), 1, 2);
    expect(lab.losses).toEqual([0.5, 0.4]);
    await started;
  });

  it('says what a failed checkpoint write did not save, for that run only', async () => {
    const { lab, emit } = labWithFakeWorker();
    const started = lab.start();
    emit({ type: 'storage', unsaved: 'The steps after 30 were not saved in this browser (QuotaExceededError).', savedStep: 30 });
    await started;
    const runId = (lab as unknown as { runId: string }).runId;
    expect(lab.unsavedOf({ ...waiting(runId) })).toContain('after 30 were not saved');
    expect(lab.unsavedOf(waiting('another'))).toBeNull();
  });
});
