/** Plain data that crosses the worker boundary about a run: no tensors, no classes. */
import type { BackendChoice, BackendId } from '../config/schema';
import type { ProbeOutcome } from '../backend/auto';
import type { SkippedBackend } from '../backend/select';
import type { StepRecord } from '../energy/power';
import type { RunLogEntry } from '../compress/plan';

/** What the GPU adapter says about itself (WebGPU's GPUAdapterInfo), or nulls off-GPU. */
export interface AdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

export interface BackendReport {
  readonly choice: BackendChoice;
  readonly backend: BackendId;
  /** One sentence: which backend runs and why a better one was not used. */
  readonly explanation: string;
  readonly skipped: readonly SkippedBackend[];
  /** The WebGPU adapter, when WebGPU was probed and offered one. */
  readonly adapter: AdapterSummary | null;
  /** Whether the GPU can time its own kernels (the `timestamp-query` feature). */
  readonly timestampQuery: boolean;
  /** With "auto": what each backend measured, and what the measurement cost (src/core/backend/auto.ts). */
  readonly probe?: ProbeOutcome;
}

export interface DataSummary {
  readonly name: string;
  readonly trainExamples: number;
  readonly testExamples: number;
  readonly inputShape: readonly number[];
  readonly numClasses: number;
}

export type RunPhase = 'idle' | 'loading' | 'training' | 'paused' | 'evaluating' | 'finished' | 'stopped' | 'failed';

export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
}

/** Progress of a run, sent each time the worker reads metrics back from the device. */
export interface ProgressUpdate {
  /** Index of the first step in `losses`. */
  readonly firstStep: number;
  /** Training loss of each step since the previous update. */
  readonly losses: readonly number[];
  readonly epoch: number;
  readonly stepsDone: number;
  readonly totalSteps: number;
  /** Examples those steps used, and the whole run's at the batch sizes in force. */
  readonly examplesDone: number;
  readonly totalExamples: number;
  /** Examples processed per second of training: `examplesDone` over `trainingSeconds`. */
  readonly samplesPerSecond: number;
  /** Seconds spent training (pauses excluded). */
  readonly trainingSeconds: number;
  /** Seconds left: the examples left at the measured examples per second. */
  readonly etaSeconds: number | null;
  /** Timing of each step since the previous update, for the energy meter on the page. */
  readonly steps: readonly StepRecord[];
}

export type TrainEvent =
  | { readonly type: 'phase'; readonly phase: RunPhase; readonly message: string }
  | { readonly type: 'backend'; readonly report: BackendReport }
  | { readonly type: 'data'; readonly data: DataSummary }
  | { readonly type: 'progress'; readonly progress: ProgressUpdate }
  | { readonly type: 'epoch'; readonly record: EpochRecord }
  | { readonly type: 'pruning'; readonly update: PruningEvent }
  | { readonly type: 'log'; readonly entry: RunLogEntry }
  | { readonly type: 'change'; readonly change: TrainingChange }
  /** A checkpoint write failed (a full disk, a private window): what was not saved, and the last step that was. */
  | { readonly type: 'storage'; readonly unsaved: string; readonly savedStep: number };

/** A change of batch size or learning rate during a run, from the next step on. */
export interface TrainingChange {
  /** Steps done when it takes effect (the next step's index). */
  readonly step: number;
  /** Epoch of the first step it applies to, from 0, and examples done so far. */
  readonly epoch: number;
  readonly examplesDone: number;
  readonly batchSize: { readonly from: number; readonly to: number };
  readonly learningRate: { readonly from: number; readonly to: number };
  /** Steps and examples of the whole run after the change. */
  readonly totalSteps: number;
  readonly totalExamples: number;
}

/** A pruning mask update during training: the schedule's target and each kernel's sparsity. */
export interface PruningEvent {
  readonly step: number;
  readonly target: number;
  readonly layers: readonly { readonly name: string; readonly sparsity: number }[];
}

/** Final figures of a run. */
export interface RunMetrics {
  readonly testAccuracy: number;
  /** Mean training loss over the last epoch run. */
  readonly trainLoss: number;
  /** Epochs completed. */
  readonly epochs: number;
  readonly steps: number;
  readonly samplesPerSecond: number;
  /** Seconds from the first to the last training step, pauses excluded. */
  readonly wallSeconds: number;
}

export interface RunSummary {
  readonly backend: BackendReport;
  readonly data: DataSummary;
  readonly metrics: RunMetrics;
  /** Training loss of every step. */
  readonly lossCurve: readonly number[];
  readonly epochs: readonly EpochRecord[];
  /** 'finished' when every epoch ran, 'stopped' when the user stopped it early. */
  readonly outcome: 'finished' | 'stopped';
  /** Timing of every step, as sent in the progress updates. */
  readonly steps: readonly StepRecord[];
}

/**
 * Estimated seconds left from the work done and the measured rate; null before there is a rate.
 * Count work in examples: a step's cost follows its batch size, so after a batch change a count
 * of steps would extrapolate at the wrong rate.
 */
export function etaSeconds(done: number, total: number, trainingSeconds: number): number | null {
  if (done <= 0 || trainingSeconds <= 0) return null;
  return ((total - done) * trainingSeconds) / done;
}

/** Examples per second of training, 0 before any time has passed. */
export function examplesPerSecond(examplesDone: number, trainingSeconds: number): number {
  return trainingSeconds > 0 ? examplesDone / trainingSeconds : 0;
}

/**
 * Keras and tfjs clip predicted probabilities to [1e-7, 1 - 1e-7] in categorical cross-entropy
 * (tfjs-layers losses.ts, `epsilon()` = 1e-7), so a per-example loss cannot exceed -ln(1e-7) = 16.1.
 * A mean loss this close to that ceiling means the model confidently predicts wrong classes.
 */
export const DIVERGED_LOSS = 15;

/**
 * Finds the first step whose loss shows divergence (NaN, infinite, or at the clipping ceiling).
 * WGSL lets GPUs assume no NaN/Inf, so a NaN check alone misses divergence on WebGPU.
 * Returns a description such as "the loss reached NaN at step 12", or null.
 */
export function divergenceAt(losses: readonly number[], firstStep: number): string | null {
  const i = losses.findIndex((loss) => !Number.isFinite(loss) || loss >= DIVERGED_LOSS);
  return i < 0 ? null : `the loss reached ${losses[i]} at step ${firstStep + i + 1}`;
}
