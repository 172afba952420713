import { describe, expect, it } from 'vitest';
import { parseLink } from '../config/link';
import type { StepRecord } from '../energy/power';
import { freshRunState, snapshotOf } from './run-state';
import { appendAll, assembleCheckpoint, checkStoredRun, EMPTY_LOG, planCheckpointWrite, savedRunEntry, type CurveChunk } from './checkpoint-log';
import type { RunCheckpoint } from './checkpoint';

const { config } = parseLink('#dataset=xor&samples=800&batch=16&epochs=2&lr=0.05');
const record = (i: number): StepRecord => ({ startTime: 1_700_000_000_000 + i, wallMs: 1, busyMs: 1, gpuKernelMs: null, epoch: 0 });

/** A checkpoint after `steps` steps, with a curve and step records of that length. */
function checkpointAt(steps: number): RunCheckpoint {
  const s = freshRunState(config, 640);
  s.totalSteps = Math.max(s.totalSteps, steps);
  s.stepsDone = steps;
  for (let i = 0; i < steps; i++) {
    s.lossCurve.push(1 / (i + 1));
    s.steps.push(record(i));
  }
  return snapshotOf(s, { config, weights: [], optimizer: [], hidden: [8] }, false, 42);
}

describe('the checkpoint log', () => {
  it('writes only the losses and step records added since the last write', () => {
    const first = planCheckpointWrite('run-a', checkpointAt(100), EMPTY_LOG);
    expect(first.chunk?.losses).toHaveLength(100);
    expect(first.chunkIndex).toBe(0);
    const second = planCheckpointWrite('run-a', checkpointAt(130), first.next);
    expect(second.chunk?.losses).toHaveLength(30);
    expect(second.chunk?.steps).toHaveLength(30);
    expect(second.chunk?.losses[0]).toBe(1 / 101);
    expect([second.chunkIndex, second.rewrite, second.next]).toEqual([1, false, { losses: 130, steps: 130, chunks: 2 }]);
    // A write while paused adds no chunk at all: nothing of the curve changed.
    const third = planCheckpointWrite('run-a', checkpointAt(130), second.next);
    expect(third.chunk).toBeNull();
    expect(third.head).not.toHaveProperty('lossCurve');
    expect(third.head).toMatchObject({ runId: 'run-a', lossCount: 130, chunks: 2, version: 2 });
  });

  it('reads back what it wrote, chunk by chunk, as the same checkpoint', () => {
    const chunks: CurveChunk[] = [];
    let log = EMPTY_LOG;
    let head = null as ReturnType<typeof planCheckpointWrite>['head'] | null;
    for (const steps of [10, 25, 25, 60]) {
      const w = planCheckpointWrite('run-b', checkpointAt(steps), log);
      if (w.chunk) chunks[w.chunkIndex] = structuredClone(w.chunk);
      head = structuredClone(w.head);
      log = w.next;
    }
    const { checkpoint, log: read } = assembleCheckpoint(head as NonNullable<typeof head>, chunks);
    expect(checkpoint).toEqual(checkpointAt(60));
    expect(read).toEqual(log);
  });

  it('continues a run of 500k steps: assembles, writes the next steps as one small chunk, and appends to the page curve', () => {
    const n = 500_000;
    const big = checkpointAt(n);
    const first = planCheckpointWrite('run-c', big, EMPTY_LOG);
    const { checkpoint, log } = assembleCheckpoint(first.head, [first.chunk as CurveChunk]);
    expect(checkpoint.lossCurve).toHaveLength(n);
    const next = planCheckpointWrite('run-c', checkpointAt(n + 5), log);
    expect(next.chunk?.losses).toHaveLength(5);
    // What the page does with the resumed progress event: 500k losses, no spread into push().
    const page: number[] = [];
    appendAll(page, checkpoint.lossCurve);
    expect(page).toHaveLength(n);
    expect(() => page.push(...checkpoint.lossCurve)).toThrow(RangeError);
  });

  it('refuses to assemble an incomplete curve, saying how much is missing', () => {
    const w = planCheckpointWrite('run-d', checkpointAt(20), EMPTY_LOG);
    expect(() => assembleCheckpoint(w.head, [])).toThrow('0 of 20 losses');
  });

  it('names a checkpoint of an older format or with a bad config, and keeps its id for Discard', () => {
    expect(savedRunEntry('old', { version: 0, stepsDone: 3 })).toMatchObject({ runId: 'old', info: null, problem: expect.stringContaining('saved by an older version of the lab (format 0') });
    const badConfig = { ...checkpointAt(4), config: { ...config, train: { ...config.train, batchSize: -3 } } };
    const entry = savedRunEntry('bad', badConfig, 'The steps after 2 were not saved.');
    expect(entry.problem).toMatch(/^saved by an older version of the lab: .*batch/i);
    expect([entry.info, entry.unsaved, entry.problem === null ? 0 : (entry as { savedAt: number | null }).savedAt]).toEqual([null, 'The steps after 2 were not saved.', 42]);
  });

  it('offers a whole version-1 checkpoint and a version-2 head alike, with the config read through the schema', () => {
    const v1 = checkpointAt(7);
    const { config: _c, ...noConfigSection } = v1;
    expect(checkStoredRun(v1).info).toMatchObject({ stepsDone: 7, paused: false, savedAt: 42 });
    expect(checkStoredRun(planCheckpointWrite('x', v1, EMPTY_LOG).head).info?.config).toEqual(config);
    // A config missing whole sections gets their defaults, not a crash in the page.
    const partial = { ...noConfigSection, config: { data: config.data } };
    expect(checkStoredRun(partial).info?.config.train).toBeDefined();
  });
});
