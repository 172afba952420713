/**
 * The batch plan of a run: how many steps and examples an epoch and the rest of the run take at
 * the batch size in force. It counts examples, not steps, so a batch size changed mid-run (the
 * framework's sizing decision or controller) leaves every figure right: steps per epoch, examples
 * done and left, the step total, and positions stated in epochs. The one place the lab derives
 * steps per epoch. Pure.
 *
 * Batches have a fixed shape: the last partial batch of each epoch is dropped (tfjs-webgpu pools
 * GPU buffers by exact size, so a ragged batch would allocate new ones).
 */

/** The run's data and epochs, and the batch size in force. */
export interface BatchPlan {
  readonly trainExamples: number;
  readonly epochs: number;
  /** Examples per step now; at most `trainExamples` (see `batchSizeFor`). */
  readonly batchSize: number;
}

/** Where the next step of a run starts: its epoch (from 0) and the examples of that epoch already used. */
export interface RunPosition {
  readonly epoch: number;
  readonly epochOffset: number;
}

/** The batch a run can use for `requested`: never more than the training split holds, at least 1. */
export function batchSizeFor(requested: number, trainExamples: number): number {
  return Math.max(1, Math.min(Math.floor(requested), trainExamples));
}

/** Steps in a whole epoch of `trainExamples` at `batchSize` (the last partial batch is dropped). */
export function stepsPerEpoch(trainExamples: number, batchSize: number): number {
  return Math.floor(trainExamples / batchSizeFor(batchSize, trainExamples));
}

/** The plan of a run as configured. */
export function planFor(trainExamples: number, epochs: number, batchSize: number): BatchPlan {
  return { trainExamples, epochs, batchSize: batchSizeFor(batchSize, trainExamples) };
}

/** Whether one more batch fits in the epoch of `at`. */
export function batchFits(plan: BatchPlan, at: RunPosition): boolean {
  return at.epoch < plan.epochs && at.epochOffset + plan.batchSize <= plan.trainExamples;
}

/** Steps from `at` to the end of the run at the plan's batch size. */
export function stepsLeft(plan: BatchPlan, at: RunPosition): number {
  if (at.epoch >= plan.epochs) return 0;
  const inEpoch = Math.floor(Math.max(0, plan.trainExamples - at.epochOffset) / plan.batchSize);
  return inEpoch + stepsPerEpoch(plan.trainExamples, plan.batchSize) * (plan.epochs - at.epoch - 1);
}

/** Examples from `at` to the end of the run at the plan's batch size. */
export function examplesLeft(plan: BatchPlan, at: RunPosition): number {
  return stepsLeft(plan, at) * plan.batchSize;
}

/**
 * The position after one step from `at`: the next batch of the same epoch, or the start of the
 * next epoch when no further batch fits.
 */
export function nextPosition(plan: BatchPlan, at: RunPosition): RunPosition {
  const after = { epoch: at.epoch, epochOffset: at.epochOffset + plan.batchSize };
  return batchFits(plan, after) ? after : { epoch: at.epoch + 1, epochOffset: 0 };
}

/** A position in epochs, e.g. 1.25 for a quarter into the second epoch. */
export function epochsAt(plan: BatchPlan, at: RunPosition): number {
  return at.epoch + at.epochOffset / plan.trainExamples;
}

/** Whether a step from `before` to `after` takes the run to `epochs` epochs (or past it) for the first time. */
export function crossesEpochs(plan: BatchPlan, before: RunPosition, after: RunPosition, epochs: number): boolean {
  // Compare examples, not fractions, so 0.25 of 640 is exactly 160 examples.
  const examples = (p: RunPosition) => p.epoch * plan.trainExamples + p.epochOffset;
  const target = epochs * plan.trainExamples;
  return examples(before) < target && examples(after) >= target;
}

/**
 * The step index `at` would have at a batch size of `batchSize`, having used the same share of
 * the same epoch: whole epochs of `stepsPerEpoch(n, batchSize)` steps plus the batches of that
 * size in the examples used. Schedules counted in steps of the configured batch (pruning, as
 * TFMOT counts them) read the run through this, so they stay on time after a batch change.
 */
export function stepAtBatch(trainExamples: number, batchSize: number, at: RunPosition): number {
  const b = batchSizeFor(batchSize, trainExamples);
  return at.epoch * stepsPerEpoch(trainExamples, b) + Math.floor(at.epochOffset / b);
}
