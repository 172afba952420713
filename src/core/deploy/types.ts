/** Shapes shared by the deployment benchmark (worker), its analysis (here) and the UI. */
import type { BackendId } from '../config/schema';

/**
 * How the served model's weights are stored. `uint8` is 8-bit affine per tensor; `pruned` is the
 * float32 model with its Dense and Conv2D kernels magnitude-pruned (see `DeploymentRequest`).
 * tfjs decodes every one of them to float32 on load, so they differ in download size and
 * accuracy, and only by noise in compute.
 */
export type DeployPrecision = 'float32' | 'float16' | 'uint8' | 'pruned';
export const DEPLOY_PRECISIONS: readonly DeployPrecision[] = ['float32', 'float16', 'uint8', 'pruned'];

/** Batch sizes the benchmark times unless told otherwise. */
export const DEFAULT_BATCH_SIZES: readonly number[] = [1, 8, 32, 128];

/** What the deployment benchmark should time; each field has a default that keeps it short. */
export interface DeploymentRequest {
  /** Backends to try (default all four, best first); those that do not start are listed as skipped. */
  readonly backends?: readonly BackendId[];
  readonly precisions?: readonly DeployPrecision[];
  readonly batchSizes?: readonly number[];
  /** Length of the timed loop per cell after its warm-up, ms (default 150; at least 5 batches are timed). */
  readonly cellMs?: number;
  /** Kernel sparsity of the `pruned` variant: one-shot magnitude pruning, no fine-tuning (default 0.5). */
  readonly prunedSparsity?: number;
  /** Cells not started after this many seconds are skipped and listed (default 90). */
  readonly maxSeconds?: number;
}

/** What one benchmark cell measured: one backend, one precision, one batch size. */
export interface CellTiming {
  readonly backend: BackendId;
  readonly precision: DeployPrecision;
  readonly batchSize: number;
  /** Wall time of each timed batch: predict plus the asynchronous read-back of its output. */
  readonly latenciesMs: readonly number[];
  /** Wall time of the whole timed loop. */
  readonly wallMs: number;
  /** Part of `wallMs` spent inside timed batches (the loop's duty cycle numerator). */
  readonly busyMs: number;
}

/** One stored variant of the trained model, measured once on the training backend. */
export interface ModelVariant {
  readonly precision: DeployPrecision;
  /** gzip of model.json plus gzip of the weights: what a server sends a browser. */
  readonly gzipBytes: number;
  /** model.json plus the weights .bin, uncompressed. */
  readonly exportBytes: number;
  /** Test accuracy of the variant's decoded weights; null without test data. */
  readonly accuracy: number | null;
}

/** A backend the benchmark could not time, or a cell it left out, and why. */
export interface SkippedCell {
  readonly backend: BackendId;
  readonly precision: DeployPrecision | null;
  readonly batchSize: number | null;
  readonly reason: string;
}

/** What the worker's deployment benchmark returns: raw timings, no energy (the page has the profile). */
export interface DeploymentMeasurement {
  readonly cells: readonly CellTiming[];
  readonly variants: readonly ModelVariant[];
  readonly skipped: readonly SkippedCell[];
  /** The backend training used, which the worker is back on afterwards. */
  readonly trainingBackend: BackendId;
  /** Shape of one input example, e.g. [28, 28, 1]. */
  readonly inputShape: readonly number[];
  /** Width of one output (classes). */
  readonly outputSize: number;
  /** Sparsity of the `pruned` variant's kernels. */
  readonly prunedSparsity: number;
  readonly seconds: number;
}

/** One row of the deployment table: a cell's latency, throughput and energy. */
export interface DeploymentRow {
  readonly backend: BackendId;
  readonly precision: DeployPrecision;
  readonly batchSize: number;
  /** Latency of one batch, median and 95th percentile (nearest rank), ms. */
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** Inferences per second over the timed loop. */
  readonly throughputPerSecond: number;
  /** Estimated energy per 1,000 inferences, Wh: typical, and the profile's low and high ends. */
  readonly whPer1000: number;
  readonly whPer1000Low: number;
  readonly whPer1000High: number;
  /** Timed batches behind the percentiles. */
  readonly samples: number;
  readonly gzipBytes: number;
  readonly accuracy: number | null;
}
