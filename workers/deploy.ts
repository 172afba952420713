/**
 * The deployment benchmark (issue 7) in the worker: times inference of the trained model on every
 * backend that starts here, at every stored precision and batch size, and measures each variant's
 * download size and accuracy. Returns raw timings; the page turns them into energy with its
 * device profile (src/core/deploy). Leaves the worker on the backend training used.
 */
import * as tf from '@tensorflow/tfjs';
import { BACKEND_ORDER } from '../src/core/backend/select';
import type { BackendId } from '../src/core/config/schema';
import { compressionSizes, type NamedWeight } from '../src/core/compress';
import type { Dataset } from '../src/core/data/dataset';
import { DEFAULT_BATCH_SIZES, DEPLOY_PRECISIONS, type CellTiming, type DeployPrecision, type DeploymentMeasurement, type DeploymentRequest, type ModelVariant, type SkippedCell } from '../src/core/deploy';
import { startBackend } from './backends';
import { encodeModel, evaluateAccuracy, modelWithWeights, pruneOneShot } from './compress';

const DEFAULT_CELL_MS = 150;
const DEFAULT_PRUNED_SPARSITY = 0.5;
const DEFAULT_MAX_SECONDS = 90;
/** Warm-up batches before timing: the first compiles shaders and allocates buffers. */
const WARM_UP = 2;
/** Fewest timed batches, so p95 means something even for slow cells (with 5, p95 is the slowest). */
const MIN_SAMPLES = 5;
/** Most timed batches per cell, so tiny models on fast backends stop early too. */
const MAX_SAMPLES = 400;
/** A warm-up batch slower than this skips the larger batch sizes of that backend and precision. */
const SLOW_BATCH_MS = 1500;
/** Seed of the random inputs (latency does not depend on the values). */
const INPUT_SEED = 7;

const yieldToEvents = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Times one cell: warm-up, then back-to-back batches, each read back asynchronously. */
async function timeCell(model: tf.LayersModel, inputShape: readonly number[], batchSize: number, cellMs: number): Promise<{ latenciesMs: number[]; wallMs: number; busyMs: number; warmMs: number }> {
  const x = tf.randomUniform([batchSize, ...inputShape], 0, 1, 'float32', INPUT_SEED);
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    const y = model.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
    return performance.now() - t0;
  };
  try {
    let warmMs = 0;
    for (let i = 0; i < WARM_UP; i++) warmMs = await once();
    if (warmMs > SLOW_BATCH_MS) return { latenciesMs: [], wallMs: 0, busyMs: 0, warmMs };
    const latenciesMs: number[] = [];
    const start = performance.now();
    while (latenciesMs.length < MIN_SAMPLES || (performance.now() - start < cellMs && latenciesMs.length < MAX_SAMPLES)) latenciesMs.push(await once());
    const wallMs = performance.now() - start;
    return { latenciesMs, wallMs, busyMs: latenciesMs.reduce((a, b) => a + b, 0), warmMs };
  } finally {
    x.dispose();
  }
}

/** The decoded weights of one stored variant, with its sizes and accuracy, built on the current backend. */
async function buildVariant(model: tf.LayersModel, precision: DeployPrecision, sparsity: number, test: Dataset | null): Promise<{ variant: ModelVariant; weights: readonly NamedWeight[] }> {
  let source = model;
  if (precision === 'pruned') {
    source = await modelWithWeights(model, (await encodeModel(model, 'float32')).decoded);
    await pruneOneShot(source, sparsity);
  }
  try {
    const files = await encodeModel(source, precision === 'pruned' ? 'float32' : precision);
    const sizes = compressionSizes(files);
    let accuracy: number | null = null;
    if (test) {
      const clone = await modelWithWeights(model, files.decoded);
      try {
        accuracy = await evaluateAccuracy(clone, test);
      } finally {
        clone.dispose();
      }
    }
    return { variant: { precision, gzipBytes: sizes.gzipBytes, exportBytes: sizes.exportBytes, accuracy }, weights: files.decoded };
  } finally {
    if (source !== model) source.dispose();
  }
}

/**
 * Benchmarks inference of `model` over backends x precisions x batch sizes. `test` (the run's
 * test split) gives each variant's accuracy; without it accuracies are null. Switches backends
 * with `startBackend` and always returns to the one that was running.
 */
export async function benchmarkDeployment(model: tf.LayersModel, test: Dataset | null, request: DeploymentRequest = {}): Promise<DeploymentMeasurement> {
  const began = performance.now();
  const trainingBackend = tf.getBackend() as BackendId;
  const backends = request.backends ?? BACKEND_ORDER;
  const precisions = request.precisions ?? DEPLOY_PRECISIONS;
  const batchSizes = [...(request.batchSizes ?? DEFAULT_BATCH_SIZES)].sort((a, b) => a - b);
  const cellMs = request.cellMs ?? DEFAULT_CELL_MS;
  const sparsity = request.prunedSparsity ?? DEFAULT_PRUNED_SPARSITY;
  const deadline = began + 1000 * (request.maxSeconds ?? DEFAULT_MAX_SECONDS);
  const inputShape = (model.inputs[0]?.shape ?? []).slice(1) as number[];
  const outputShape = model.outputs[0]?.shape ?? [];
  const outputSize = (outputShape[outputShape.length - 1] as number | null) ?? 1;

  // Every variant is encoded and evaluated once, on the training backend, before any switch.
  const built: { variant: ModelVariant; weights: readonly NamedWeight[] }[] = [];
  for (const precision of precisions) built.push(await buildVariant(model, precision, sparsity, test));

  const cells: CellTiming[] = [];
  const skipped: SkippedCell[] = [];
  try {
    for (const backend of backends) {
      // Inference needs no gradient kernels, so every backend can run every model: plan as for an MLP.
      const started = await startBackend(backend, 'mlp').then(
        (report) => (report.backend === backend ? null : (report.skipped.find((s) => s.backend === backend)?.reason ?? report.explanation)),
        (error: Error) => error.message,
      );
      if (started !== null) {
        skipped.push({ backend, precision: null, batchSize: null, reason: `${backend} did not start here: ${started}` });
        continue;
      }
      for (const { variant, weights } of built) {
        const served = await modelWithWeights(model, weights);
        try {
          let tooSlow: string | null = null;
          for (const batchSize of batchSizes) {
            const where = { backend, precision: variant.precision, batchSize };
            if (performance.now() > deadline) {
              skipped.push({ ...where, reason: `the benchmark's ${request.maxSeconds ?? DEFAULT_MAX_SECONDS} s limit was reached` });
              continue;
            }
            if (tooSlow) {
              skipped.push({ ...where, reason: tooSlow });
              continue;
            }
            await yieldToEvents();
            const t = await timeCell(served, inputShape, batchSize, cellMs);
            if (t.latenciesMs.length === 0) {
              tooSlow = `a batch of ${batchSize} took ${Math.round(t.warmMs)} ms, over the ${SLOW_BATCH_MS} ms limit per batch`;
              skipped.push({ ...where, reason: tooSlow });
              continue;
            }
            cells.push({ ...where, latenciesMs: t.latenciesMs, wallMs: t.wallMs, busyMs: t.busyMs });
          }
        } finally {
          served.dispose();
        }
      }
    }
  } finally {
    await startBackend(trainingBackend, 'mlp');
  }
  return {
    cells,
    variants: built.map((b) => b.variant),
    skipped,
    trainingBackend,
    inputShape,
    outputSize,
    prunedSparsity: sparsity,
    seconds: (performance.now() - began) / 1000,
  };
}
