/**
 * The one typed contract between the page and the training worker. Only plain data, transferred
 * ArrayBuffers and Comlink.proxy callbacks cross it; tensors never do.
 */
import type { BackendChoice, BackendId, ExperimentConfig } from '../src/core/config/schema';
import type { BackendReport, RunSummary, TrainEvent } from '../src/core/train/types';
import type { SavedRunEntry } from '../src/core/train/checkpoint-log';
import type { CompressionSizes, WeightPrecision } from '../src/core/compress';
import type { PruningEvent } from '../src/core/train/types';
import type { DeploymentMeasurement, DeploymentRequest } from '../src/core/deploy';
import type { LabResult } from '../src/core/result';
import type { RunLogEntry } from '../src/core/compress/plan';
import type { GramsCO2PerKWh, WattHours } from '../src/core/units';

/** One-shot pruning of the trained model, with optional fine-tuning. */
export interface OneShotOutcome {
  readonly sparsity: PruningEvent;
  readonly overall: number;
  readonly accuracyBefore: number;
  readonly accuracyAfter: number;
  readonly fineTuneEpochs: number;
}

export interface DistillRequest {
  readonly temperature: number;
  readonly alpha: number;
  readonly studentHidden: readonly number[];
  readonly epochs: number;
}

/** A distilled student against its teacher (the trained model). */
export interface DistillOutcome {
  readonly studentAccuracy: number;
  readonly teacherAccuracy: number;
  readonly studentParams: number;
  readonly teacherParams: number;
  /** Median time of a batched predict of 1,000 test-shaped examples, in ms. */
  readonly studentMsPer1000: number;
  readonly teacherMsPer1000: number;
  /** Seconds the distillation took. */
  readonly seconds: number;
}

/**
 * metadata.json of an export: the run's result file without its loss curve and epoch table
 * (run.csv holds the epochs), plus what the export adds. Never a credential.
 */
export type ExportMetadata = Omit<LabResult, 'lossCurve' | 'epochs'> & {
  readonly exportedModel: 'trained' | 'student';
  /** Names of the output classes, in output order. */
  readonly labels: readonly string[];
  readonly compressionSettings: ExperimentConfig['compress'];
  readonly runLog: readonly RunLogEntry[];
};

export interface ExportRequest {
  readonly which: 'trained' | 'student';
  readonly precision: WeightPrecision;
  /** Written as metadata.json. */
  readonly metadata: ExportMetadata;
  /** Written as run.csv: one row per epoch with its energy and carbon. */
  readonly runCsv: string;
}

/** The export zip (transferred) and what was measured on the file's own weights. */
export interface CompressionOutcome {
  readonly which: 'trained' | 'student';
  readonly zip: ArrayBuffer;
  readonly sizes: CompressionSizes & { readonly precision: WeightPrecision; readonly zipBytes: number };
  readonly sparsity: PruningEvent;
  readonly overallSparsity: number;
  readonly accuracyBefore: number;
  /** Accuracy of the weights as tfjs decodes them from the exported file. */
  readonly accuracyAfter: number;
  /** With uint8: accuracy with per-output-channel 8-bit weights (an analysis; tfjs files cannot hold it). */
  readonly perChannelAccuracy: number | null;
  readonly msPer1000: number;
  readonly params: number;
}

/** An exported model loaded back, evaluated on the last run's test split when it fits. */
export interface ImportedModel {
  readonly params: number;
  readonly layers: readonly string[];
  readonly accuracy: number | null;
}

export interface BenchmarkResult {
  readonly backend: BackendId;
  /** Samples per second of the lab's own training loop. */
  readonly labSamplesPerSecond: number;
  /** Samples per second of plain `model.fit` on the same model, data and batch size. */
  readonly fitSamplesPerSecond: number;
  readonly steps: number;
  /** Timed runs of each; the figures are medians. */
  readonly rounds: number;
  /** With "auto": what the backend probe measured and cost. */
  readonly probe?: BackendReport['probe'];
}

export interface LabWorkerApi {
  /**
   * Loads data, picks a backend, builds the model and trains to the end (or until stopped).
   * Resolves with the run's summary; rejects with an Error whose message is for the user.
   */
  train(config: ExperimentConfig, onEvent: (event: TrainEvent) => void, runId: string): Promise<RunSummary>;
  /**
   * Continues a run saved in this browser (see `savedRuns`) from its checkpoint, under the same
   * run id; it starts paused if it was saved paused. Resolves and rejects like `train`; rejects
   * at once when another tab holds the run, or when it cannot be continued (it is then kept).
   */
  resumeSaved(runId: string, onEvent: (event: TrainEvent) => void): Promise<RunSummary>;
  /**
   * The runs saved in this browser that no tab is training now (each training tab holds its
   * run's Web Lock), newest first; one from an incompatible version is named, not dropped.
   */
  savedRuns(): Promise<SavedRunEntry[]>;
  /** Deletes one saved run. */
  discardSavedRun(runId: string): Promise<void>;
  /** The schedule state stored with a run (see `saveScheduleState`), or null. */
  savedSchedule(runId: string): Promise<unknown>;
  /** Stores the state of the schedule a run trains under, beside its checkpoint. */
  saveScheduleState(runId: string, state: unknown): Promise<void>;
  /**
   * Tells the running training what the page knows: the grid intensity now (null if not known
   * yet) and the energy estimate so far. The multi-objective framework reads them at epoch
   * boundaries.
   */
  updateRunContext(intensity: GramsCO2PerKWh | null, energy: WattHours): void;
  /** Pauses between two steps; progress so far is kept. */
  pause(): void;
  resume(): void;
  /** Ends the run after the current step; `train` resolves with outcome 'stopped'. */
  stop(): void;
  /** Times the lab's loop against plain model.fit on one backend ("auto": the one the probe picks, measured afresh). */
  benchmark(config: ExperimentConfig, backend: BackendChoice, steps: number, rounds: number): Promise<BenchmarkResult>;
  /** The run's energy passed its budget: from the next step, prune every kernel to `sparsity` and hold it. */
  raisePruningTarget(sparsity: number): void;
  /** Prunes the trained model to `sparsity` at once, then fine-tunes `fineTuneEpochs` with the masks held. */
  pruneOneShot(sparsity: number, fineTuneEpochs: number): Promise<OneShotOutcome>;
  /** Trains a student MLP from the trained model (Hinton et al. 2015) and compares the two. */
  distill(request: DistillRequest): Promise<DistillOutcome>;
  /** Builds the export zip of the trained model or the student; the zip's buffer is transferred. */
  exportModel(request: ExportRequest): Promise<CompressionOutcome>;
  /** Loads an exported zip (transferred); rejects with a message naming what is wrong with the file. */
  importModel(zip: ArrayBuffer): Promise<ImportedModel>;
  /**
   * Times inference of the trained model on every backend that starts here x precision x batch
   * size (issue 7), then returns to the training backend. Rejects during a run or before one.
   */
  benchmarkDeployment(request: DeploymentRequest): Promise<DeploymentMeasurement>;
  /** Destroys the GPU device, as a driver reset would; used by tests of the lost-device path. */
  loseGpuDeviceForTest(): void;
}
