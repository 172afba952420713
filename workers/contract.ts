/**
 * The one typed contract between the page and the training worker. Only plain data, transferred
 * ArrayBuffers and Comlink.proxy callbacks cross it; tensors never do.
 */
import type { BackendId, ExperimentConfig } from '../src/core/config/schema';
import type { RunSummary, TrainEvent } from '../src/core/train/types';
import type { SavedRunInfo } from '../src/core/train/checkpoint';

export interface BenchmarkResult {
  readonly backend: BackendId;
  /** Samples per second of the lab's own training loop. */
  readonly labSamplesPerSecond: number;
  /** Samples per second of plain `model.fit` on the same model, data and batch size. */
  readonly fitSamplesPerSecond: number;
  readonly steps: number;
  /** Timed runs of each; the figures are medians. */
  readonly rounds: number;
}

export interface LabWorkerApi {
  /**
   * Loads data, picks a backend, builds the model and trains to the end (or until stopped).
   * Resolves with the run's summary; rejects with an Error whose message is for the user.
   */
  train(config: ExperimentConfig, onEvent: (event: TrainEvent) => void): Promise<RunSummary>;
  /**
   * Continues the run saved in this browser (see `savedRun`) from its checkpoint; it starts
   * paused if it was saved paused. Resolves and rejects like `train`.
   */
  resumeSaved(onEvent: (event: TrainEvent) => void): Promise<RunSummary>;
  /** The run saved in this browser by a tab that closed or reloaded mid-run, or null. */
  savedRun(): Promise<SavedRunInfo | null>;
  /** Deletes the saved run. */
  discardSavedRun(): Promise<void>;
  /** Pauses between two steps; progress so far is kept. */
  pause(): void;
  resume(): void;
  /** Ends the run after the current step; `train` resolves with outcome 'stopped'. */
  stop(): void;
  /** Times the lab's loop against plain model.fit on one backend. */
  benchmark(config: ExperimentConfig, backend: BackendId, steps: number, rounds: number): Promise<BenchmarkResult>;
  /** Destroys the GPU device, as a driver reset would; used by tests of the lost-device path. */
  loseGpuDeviceForTest(): void;
}
