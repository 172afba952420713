import { describe, expect, it } from 'vitest';
import { parseLink } from '../config/link';
import { changeBatchSize, freshRunState, runStateFromCheckpoint, snapshotOf } from './run-state';
import type { RunCheckpoint } from './checkpoint';

const { config } = parseLink('#dataset=xor&samples=800&batch=16&epochs=2&lr=0.05');
const tensors = { config, weights: [], optimizer: [], hidden: [8] };

describe('the run state', () => {
  it('starts with the whole run counted in steps and examples', () => {
    const s = freshRunState(config, 640);
    expect([s.totalSteps, s.totalExamples, s.batchSize, s.learningRate]).toEqual([80, 1280, 16, 0.05]);
  });

  it('is what a checkpoint holds: a snapshot restores to the same state, and later changes do not reach it', () => {
    const s = freshRunState(config, 640);
    Object.assign(s, { stepsDone: 10, examplesDone: 160, epochOffset: 160, stepInEpoch: 10, epochLossSum: 6.5, epochCorrect: 90, trainingMs: 1200 });
    s.lossCurve.push(...Array.from({ length: 10 }, (_, i) => 1 - i / 20));
    changeBatchSize(s, 32, 640, 2);
    const checkpoint = snapshotOf(s, tensors, true, 5);
    expect(runStateFromCheckpoint(structuredClone(checkpoint), 640)).toEqual(s);
    s.lossCurve.push(0.1);
    expect(checkpoint.lossCurve).toHaveLength(10);
    expect(checkpoint).toMatchObject({ version: 1, paused: true, savedAt: 5, hidden: [8], batchSize: 32, totalSteps: 45, totalExamples: 1280 });
  });

  it('reads a checkpoint from before example counts were kept as steps of its batch size', () => {
    const s = freshRunState(config, 640);
    const old = snapshotOf(s, tensors, false, 0) as Partial<RunCheckpoint>;
    const legacy = { ...old, stepsDone: 12, stepInEpoch: 12, lossCurve: Array(12).fill(1) } as RunCheckpoint;
    delete (legacy as { epochOffset?: number }).epochOffset;
    delete (legacy as { examplesDone?: number }).examplesDone;
    delete (legacy as { totalExamples?: number }).totalExamples;
    const restored = runStateFromCheckpoint(legacy, 640);
    expect([restored.epochOffset, restored.examplesDone, restored.totalExamples]).toEqual([192, 192, 1280]);
  });

  it('recounts the run when the batch size changes', () => {
    const s = freshRunState(config, 640);
    Object.assign(s, { stepsDone: 10, examplesDone: 160, epochOffset: 160 });
    changeBatchSize(s, 32, 640, 2);
    expect([s.batchSize, s.totalSteps, s.totalExamples]).toEqual([32, 10 + 15 + 20, 1280]);
    changeBatchSize(s, 4096, 640, 2);
    expect(s.batchSize).toBe(640);
  });
});
