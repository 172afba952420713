/**
 * A run's checkpoint: everything needed to continue it exactly where it stopped, as plain data
 * (typed arrays, numbers), so it can be stored in IndexedDB and survive a closed tab or a crash.
 */
import type { ExperimentConfig } from '../config/schema';
import type { StepRecord } from '../energy/power';
import type { EpochRecord } from './types';

/** One stored tensor. */
export interface StoredTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly values: Float32Array | Int32Array;
}

export interface RunCheckpoint {
  /** Format of this record; a checkpoint of another version is discarded, not guessed at. */
  readonly version: 1;
  readonly config: ExperimentConfig;
  /** When it was written, ms since the Unix epoch. */
  readonly savedAt: number;
  /** Whether the run was paused when it was written (a reload then shows it paused). */
  readonly paused: boolean;
  readonly totalSteps: number;
  /** Examples of the whole run at the batch sizes in force (absent in checkpoints before it was kept). */
  readonly totalExamples?: number;
  /** Steps done over the whole run; the next step to run is this index. */
  readonly stepsDone: number;
  /** Examples those steps used (absent in checkpoints before it was kept). */
  readonly examplesDone?: number;
  /** Epoch of the next step, from 0, and the step's index within that epoch. */
  readonly epoch: number;
  readonly stepInEpoch: number;
  /** Examples of that epoch already used (differs from stepInEpoch x batch size once the batch size changed mid-epoch). */
  readonly epochOffset?: number;
  /** Running sums of the epoch in progress. */
  readonly epochLossSum: number;
  readonly epochCorrect: number;
  readonly trainingMs: number;
  readonly lossCurve: readonly number[];
  readonly epochs: readonly EpochRecord[];
  readonly steps: readonly StepRecord[];
  /** Model weights in `model.getWeights()` order. */
  readonly weights: readonly StoredTensor[];
  /** Optimizer state in `optimizer.getWeights()` order (iterations and slots). */
  readonly optimizer: readonly StoredTensor[];
  /** Hidden layer sizes now (the framework may have removed neurons), batch size and learning rate now. */
  readonly hidden?: readonly number[];
  readonly batchSize?: number;
  readonly learningRate?: number;
}

/** What the page is told about a saved run, without its tensors. */
export interface SavedRunInfo {
  readonly config: ExperimentConfig;
  readonly savedAt: number;
  readonly paused: boolean;
  readonly stepsDone: number;
  readonly totalSteps: number;
}

/** Whether a stored value is a checkpoint this version can continue. */
export function isUsableCheckpoint(value: unknown): value is RunCheckpoint {
  const c = value as Partial<RunCheckpoint> | null;
  return (
    c !== null &&
    typeof c === 'object' &&
    c.version === 1 &&
    typeof c.stepsDone === 'number' &&
    typeof c.totalSteps === 'number' &&
    c.stepsDone <= c.totalSteps &&
    Array.isArray(c.weights) &&
    Array.isArray(c.optimizer) &&
    Array.isArray(c.lossCurve) &&
    c.lossCurve.length === c.stepsDone
  );
}

/** The summary of a checkpoint shown before resuming it. */
export function savedRunInfo(c: RunCheckpoint): SavedRunInfo {
  return { config: c.config, savedAt: c.savedAt, paused: c.paused, stepsDone: c.stepsDone, totalSteps: c.totalSteps };
}
