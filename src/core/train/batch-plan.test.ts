import { describe, expect, it } from 'vitest';
import {
  batchFits,
  batchSizeFor,
  crossesEpochs,
  epochsAt,
  examplesLeft,
  nextPosition,
  planFor,
  stepAtBatch,
  stepsLeft,
  stepsPerEpoch,
  type RunPosition,
} from './batch-plan';

const start: RunPosition = { epoch: 0, epochOffset: 0 };

describe('the batch plan', () => {
  it('drops the last partial batch of an epoch and never asks for more examples than there are', () => {
    expect(stepsPerEpoch(640, 16)).toBe(40);
    expect(stepsPerEpoch(650, 16)).toBe(40);
    expect(stepsPerEpoch(10, 64)).toBe(1);
    expect(batchSizeFor(64, 10)).toBe(10);
    expect(batchSizeFor(0, 10)).toBe(1);
  });

  it('counts the steps and examples of a whole run', () => {
    const plan = planFor(650, 3, 16);
    expect(stepsLeft(plan, start)).toBe(120);
    expect(examplesLeft(plan, start)).toBe(120 * 16);
    expect(stepsLeft(plan, { epoch: 3, epochOffset: 0 })).toBe(0);
  });

  it('recounts the rest of the run at a new batch size from a mid-epoch position', () => {
    // 10 steps of 16 done (160 examples): at 32, 15 more steps end the epoch, then 20 an epoch.
    const after = { epoch: 0, epochOffset: 160 };
    const plan = planFor(640, 2, 32);
    expect(stepsLeft(plan, after)).toBe(15 + 20);
    expect(examplesLeft(plan, after)).toBe(480 + 640);
  });

  it('moves to the next epoch when no further batch fits', () => {
    const plan = planFor(650, 2, 16);
    expect(nextPosition(plan, { epoch: 0, epochOffset: 16 })).toEqual({ epoch: 0, epochOffset: 32 });
    // 624 + 16 = 640 leaves 10 examples: too few for a batch.
    expect(nextPosition(plan, { epoch: 0, epochOffset: 624 })).toEqual({ epoch: 1, epochOffset: 0 });
    expect(batchFits(plan, { epoch: 0, epochOffset: 640 })).toBe(false);
    expect(batchFits(plan, { epoch: 2, epochOffset: 0 })).toBe(false);
  });

  it('states positions in epochs and finds the step that crosses a moment, once', () => {
    const plan = planFor(640, 2, 16);
    expect(epochsAt(plan, { epoch: 1, epochOffset: 160 })).toBe(1.25);
    const steps = Array.from({ length: 80 }, (_, i) => ({ epoch: Math.floor(i / 40), epochOffset: (i % 40) * 16 }));
    const crossing = steps.filter((before) => crossesEpochs(plan, before, nextPosition(plan, before), 0.25));
    expect(crossing).toEqual([{ epoch: 0, epochOffset: 144 }]);
    // A moment at a whole epoch is reached by the epoch's last step, even with examples left over.
    const ragged = planFor(650, 2, 16);
    const last = { epoch: 0, epochOffset: 624 };
    expect(crossesEpochs(ragged, last, nextPosition(ragged, last), 1)).toBe(true);
  });

  it('reads a position as the step it would be at the configured batch size', () => {
    expect(stepAtBatch(640, 16, { epoch: 0, epochOffset: 160 })).toBe(10);
    expect(stepAtBatch(640, 16, { epoch: 0, epochOffset: 160 + 32 })).toBe(12);
    expect(stepAtBatch(640, 16, { epoch: 1, epochOffset: 0 })).toBe(40);
    expect(stepAtBatch(650, 16, { epoch: 2, epochOffset: 40 })).toBe(82);
  });
});
