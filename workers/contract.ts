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
import type { GridBounds } from '../src/core/inspect/boundary';
import type { Confusion } from '../src/core/inspect/confusion';
import type { DeviceProfile } from '../src/core/energy/profile-types';
import type { OwnDataPreview, OwnDataSettings } from '../src/core/data/own';

/** Files the page hands over for own data (issue 15): each buffer is transferred. */
export interface OwnDataFiles {
  /** Each file's path (its class folder and name, for images) and bytes. */
  readonly files: readonly { readonly path: string; readonly bytes: ArrayBuffer }[];
  /** The name shown and kept in the link. */
  readonly name: string;
  readonly settings: OwnDataSettings;
  /** What the link asks for: another file is refused, and the mismatch named. */
  readonly expected: { readonly name: string; readonly fingerprint: string } | null;
}

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

/** What the page asks of a model snapshot (`inspect`). */
export interface InspectRequest {
  /** Side of the decision-boundary grid on 2-D data (0: none). */
  readonly grid: number;
  /** Send the training and test points too (the page asks once per run). */
  readonly points: boolean;
  /** Predict the test split for the confusion matrix and its digits (image data only). */
  readonly confusion: boolean;
}

/** The training points then the test points of 2-D data. */
export interface InspectPoints {
  /** x, y pairs. */
  readonly xy: Float32Array;
  readonly labels: Uint8Array;
  /** Index of the first test point. */
  readonly testFrom: number;
}

/** Test images the confusion matrix keeps for its cells. */
export interface InspectDigits {
  /** Images are side x side. */
  readonly side: number;
  /** Test indices of the images, ascending. */
  readonly indices: Int32Array;
  /** Grey levels 0 (blank) to 255 (ink), one image after another in `indices` order. */
  readonly pixels: Uint8Array;
  /** The misclassified ones among them, in test order. */
  readonly misclassified: Int32Array;
}

/** The model as it is now, for the page's views; its buffers arrive transferred. */
export interface InspectSnapshot {
  /** Class probabilities on an n x n grid over `bounds`, row by row from the top, numClasses a cell (2-D data). */
  readonly boundary: { readonly n: number; readonly numClasses: number; readonly bounds: GridBounds; readonly probs: Float32Array } | null;
  readonly points: InspectPoints | null;
  /** Dense kernels (inputs x outputs, row-major) between layers of `sizes`; pruned weights are 0. */
  readonly network: { readonly sizes: readonly number[]; readonly kernels: readonly Float32Array[] };
  readonly confusion: Confusion | null;
  readonly digits: InspectDigits | null;
}

/** Which model the Try panel runs: the trained one, or the export built last (quantized at its precision). */
export type TryModelChoice = 'trained' | 'export';

/** One inference for the Try panel. */
export interface PredictRequest {
  /**
   * One example of the model's input shape, row-major: 784 values for MNIST's [28, 28, 1], 2 for a
   * 2-D point, one per encoded feature for a table row.
   */
  readonly input: Float32Array;
  readonly model: TryModelChoice;
  /** With model 'export': the export zip (copied, the page keeps it; the worker keeps it loaded). */
  readonly exportZip?: ArrayBuffer;
  /** The device profile and PUE the energy estimate uses; null: no estimate. */
  readonly device: { readonly profile: DeviceProfile; readonly pue: number } | null;
}

/** What one inference gave and cost. */
export interface Prediction {
  /** Class probabilities in output order (the softmax output; they sum to 1). */
  readonly probabilities: readonly number[];
  readonly topClass: number;
  /** Wall time of the predict and its read-back, after a warm-up pass on a model's first use. */
  readonly ms: number;
  readonly backend: BackendId;
  /** Energy of that inference by the deployment table's power model (core/deploy cellEnergyWh); null without a device. */
  readonly energyWh: { readonly low: number; readonly typical: number; readonly high: number } | null;
  readonly model: TryModelChoice;
}

/** One example of the last run's test split, for trying the model without drawing. */
export interface TestExample {
  /** Its values as float32, row-major (transferred). */
  readonly input: ArrayBuffer;
  readonly label: number;
  /** Its index in the test split, and the split's size. */
  readonly index: number;
  readonly count: number;
  readonly inputShape: readonly number[];
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
  /**
   * Runs the trained model, or the export (`request.exportZip`), on one input and times it.
   * Rejects, saying what to do, during a run, before one, or for an input of the wrong shape.
   */
  predict(request: PredictRequest): Promise<Prediction>;
  /** Test example `index` (modulo the split's size) of the last run; its buffer is transferred. */
  testExample(index: number): Promise<TestExample>;
  /**
   * Own data (issue 15): parses a table or decodes images here in the worker, keeps the bytes in
   * IndexedDB under their SHA-256 and returns the preview. Rejects with a message naming what is
   * wrong and where (a line, a column, a file); nothing loaded before is lost then.
   */
  loadOwnData(request: OwnDataFiles): Promise<OwnDataPreview>;
  /** The preview of own data this browser keeps under `fingerprint`, read with `settings`; null when it has none. */
  storedOwnData(fingerprint: string, settings: OwnDataSettings): Promise<OwnDataPreview | null>;
  /** Destroys the GPU device, as a driver reset would; used by tests of the lost-device path. */
  loseGpuDeviceForTest(): void;
  /**
   * A snapshot of the model of the run in progress (answered between steps) or of the last run;
   * null before a run has built its model.
   */
  inspect(request: InspectRequest): Promise<InspectSnapshot | null>;
}
