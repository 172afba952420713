/**
 * Compression in the worker (issue 5): magnitude pruning during training and one-shot, export of
 * a tfjs layers model at float32 / float16 / uint8 in a zip, evaluation of exactly what the file
 * holds, and knowledge distillation. The arithmetic (schedules, masks, quantization, file format,
 * reference loss) lives in src/core/compress; this file owns the tensors. Fine-tuning and
 * distillation train through the lab's one loop (workers/trainer.ts). Runs in the worker and in
 * Node (tests, scripts/bench-compress.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../src/core/config/schema';
import {
  buildExportZip,
  compressionSizes,
  levelAssignment,
  sharedLevels,
  decodeWeights,
  magnitudeMask,
  polynomialDecay,
  pruningAt,
  readExportZip,
  sparsityReport,
  writeLayersModel,
  type CompressionSizes,
  type LayersModelFiles,
  type NamedWeight,
  type PruningSchedule,
  type SparsityReport,
  type WeightPrecision,
  type WeightsManifestEntry,
} from '../src/core/compress';
import type { Dataset, SplitDataset } from '../src/core/data/dataset';
import { buildModel } from './model';
import { fitModel, type BatchLoss, type Trainer, type TrainHook } from './trainer';
import { evaluateDataset } from './train-step';

/** Layer classes whose kernels are pruned (TFMOT prunes the same by default: its PrunableLayer registry). */
const PRUNABLE_CLASSES: ReadonlySet<string> = new Set(['Dense', 'Conv2D']);

// ---------------------------------------------------------------------------------------------
// Pruning

/** One prunable kernel of a model. */
interface PrunableKernel {
  readonly layer: string;
  readonly variable: tf.LayerVariable;
}

/** Which kernels a pruning controller touches. */
export interface PrunableSelection {
  /**
   * Also prune the model's last layer (the softmax output) when it is Dense. Default false: the
   * output layer is small (hidden x classes) and every class needs its weights; TFMOT's MNIST
   * example prunes it too, so pass true to match that.
   */
  readonly includeOutputLayer?: boolean;
}

/** Which kernels a controller touches, and the sparsity each is held at. */
export interface PruningOptions extends PrunableSelection {
  /**
   * The sparsity of kernel `name` (tfjs's variable name, e.g. 'dense_Dense2/kernel') when the
   * schedule's target is `target`; default `target` for every kernel. Layers differ in how many
   * weights they can lose (Han et al. 2015, "Learning both Weights and Connections", section 3.4:
   * per-layer sensitivity), so a recipe may hold a small output layer at a lower target.
   */
  readonly layerTarget?: (name: string, target: number) => number;
}

/**
 * The Dense and Conv2D kernels of a model, in layer order; biases are never pruned. The last
 * layer is left out unless `includeOutputLayer`.
 */
export function prunableKernels(model: tf.LayersModel, selection: PrunableSelection = {}): PrunableKernel[] {
  const last = model.layers[model.layers.length - 1];
  return model.layers
    .filter((layer) => PRUNABLE_CLASSES.has(layer.getClassName()))
    .filter((layer) => selection.includeOutputLayer === true || layer !== last)
    .flatMap((layer) => layer.trainableWeights
      .filter((w) => w.originalName.endsWith('/kernel'))
      .map((variable) => ({ layer: layer.name, variable })));
}

/** What a mask update did, for the run log. */
export interface PruningUpdate {
  readonly step: number;
  /** The schedule's target at this step. */
  readonly sparsity: number;
  /** Per-layer sparsity of the new masks. */
  readonly layers: readonly { readonly name: string; readonly sparsity: number; readonly threshold: number }[];
}

/** Options of a polynomial-decay pruning run (TFMOT PolynomialDecay, power 3 unless given). */
export interface PolynomialPruningOptions extends PruningOptions {
  readonly initialSparsity: number;
  readonly finalSparsity: number;
  readonly beginStep: number;
  readonly endStep: number;
  readonly frequency?: number;
  readonly power?: number;
}

/**
 * Magnitude pruning during training with per-layer masks, as TFMOT's prune_low_magnitude does:
 * at the schedule's update steps each kernel's mask is recomputed from its current values (one
 * readback per kernel per update, never per step), and after every optimizer step every kernel
 * is multiplied by its cached mask on the device, so pruned weights stay exactly zero.
 * Holds mask tensors: call `dispose()` when done.
 */
export class PruningController {
  private readonly masks = new Map<string, tf.Tensor>();
  private targetSparsity = 0;

  constructor(
    readonly schedule: PruningSchedule,
    private readonly selection: PruningOptions = {},
  ) {}

  /** A controller on TFMOT's PolynomialDecay (power 3 and frequency 100 by default). */
  static polynomial(options: PolynomialPruningOptions): PruningController {
    const { includeOutputLayer, layerTarget } = options;
    return new PruningController(polynomialDecay(options), { includeOutputLayer, ...(layerTarget ? { layerTarget } : {}) });
  }

  /** The sparsity the masks currently hold (0 before the first update). */
  get sparsity(): number {
    return this.targetSparsity;
  }

  /**
   * Call after optimizer step `step` (counted from 0). At an update step of the schedule the
   * masks are recomputed at its sparsity (reads the kernels back) and the update is returned;
   * otherwise the cached masks are applied on the device and null is returned.
   */
  async afterStep(model: tf.LayersModel, step: number): Promise<PruningUpdate | null> {
    const { shouldPrune, sparsity } = pruningAt(this.schedule, step);
    if (shouldPrune) return this.updateMasks(model, sparsity, step);
    this.applyMasks(model);
    return null;
  }

  /** Recomputes every mask at `sparsity` from the kernels' current magnitudes and applies them. */
  async updateMasks(model: tf.LayersModel, sparsity: number, step = -1): Promise<PruningUpdate> {
    const kernels = prunableKernels(model, this.selection);
    const values = await Promise.all(kernels.map((k) => k.variable.read().data() as Promise<Float32Array>));
    const targetOf = this.selection.layerTarget ?? ((_: string, target: number) => target);
    const layers = kernels.map((k, i) => {
      const m = magnitudeMask(values[i]!, targetOf(k.variable.originalName, sparsity));
      this.masks.get(k.variable.originalName)?.dispose();
      this.masks.set(k.variable.originalName, tf.tensor(m.mask, k.variable.shape as number[]));
      return { name: k.variable.originalName, sparsity: m.sparsity, threshold: m.threshold };
    });
    this.targetSparsity = sparsity;
    this.applyMasks(model);
    return { step, sparsity, layers };
  }

  /** Multiplies each kernel by its cached mask, on the device; no readback. */
  applyMasks(model: tf.LayersModel): void {
    if (this.masks.size === 0) return;
    for (const { variable } of prunableKernels(model, this.selection)) {
      const mask = this.masks.get(variable.originalName);
      if (mask) tf.tidy(() => {
        variable.write(tf.mul(variable.read(), mask));
      });
    }
  }

  /** Exact zeros per pruned kernel and overall, read from the model (one readback per kernel). */
  sparsityByLayer(model: tf.LayersModel): Promise<SparsityReport> {
    return kernelSparsity(model, this.selection);
  }

  dispose(): void {
    for (const mask of this.masks.values()) mask.dispose();
    this.masks.clear();
  }
}

/** Exact zeros of the kernels `selection` picks (all Dense and Conv2D kernels by default), per layer and overall. */
export async function kernelSparsity(model: tf.LayersModel, selection: PrunableSelection = { includeOutputLayer: true }): Promise<SparsityReport> {
  const kernels = prunableKernels(model, selection);
  const values = await Promise.all(kernels.map((k) => k.variable.read().data() as Promise<Float32Array>));
  return sparsityReport(kernels.map((k, i) => ({ name: k.variable.originalName, values: values[i]! })));
}

/** One kernel under trained weight sharing: which level each weight is on, as a one-hot matrix. */
interface SharedKernel {
  readonly variable: tf.LayerVariable;
  /** [weights, levels]: row i is the one-hot level of weight i, all zeros for a pruned weight. */
  readonly oneHot: tf.Tensor2D;
  /** [1, levels]: weights per level (at least 1, so an empty level does not divide by zero). */
  readonly counts: tf.Tensor2D;
}

/**
 * Trained weight sharing (Deep Compression: Han, Mao and Dally, ICLR 2016, section 3.3,
 * fine-tuning the shared centroids). `start` clusters each kernel's nonzero weights into at most
 * `levels` (core `sharedLevels`) and fixes every weight's level; after each optimizer step,
 * `apply` sets every weight to the mean of its level's weights, on the device. So each level
 * moves by the mean of its weights' updates (Han et al. sum the gradients under SGD; with Adam's
 * per-weight steps the mean keeps the step size), the kernel keeps at most `levels` distinct
 * nonzero values, and pruned weights stay zero. Holds tensors: call `dispose()`.
 */
export class SharedWeightTraining {
  private constructor(private readonly kernels: readonly SharedKernel[]) {}

  /** Clusters the kernels `selection` picks (one readback per kernel) and projects them at once. */
  static async start(model: tf.LayersModel, levels: number, selection: PrunableSelection = { includeOutputLayer: true }): Promise<SharedWeightTraining> {
    const picked = prunableKernels(model, selection);
    const values = await Promise.all(picked.map((k) => k.variable.read().data() as Promise<Float32Array>));
    const kernels = picked.map((k, i) => {
      const v = values[i]!;
      const centroids = sharedLevels(v.filter((x) => x !== 0), levels);
      const assignment = levelAssignment(v, centroids);
      const count = new Float32Array(Math.max(1, centroids.length)).fill(0);
      for (const a of assignment) if (a >= 0) count[a]! += 1;
      const oneHot = tf.tidy(() => tf.oneHot(tf.tensor1d(assignment, 'int32'), count.length).toFloat() as tf.Tensor2D);
      const counts = tf.tidy(() => tf.maximum(tf.tensor2d(count, [1, count.length]), 1) as tf.Tensor2D);
      return { variable: k.variable, oneHot, counts };
    });
    const training = new SharedWeightTraining(kernels);
    training.apply();
    return training;
  }

  /** Sets every weight to the mean of its level (pruned weights to zero). */
  apply(): void {
    for (const { variable, oneHot, counts } of this.kernels) {
      tf.tidy(() => {
        const w = variable.read().reshape([1, -1]) as tf.Tensor2D;
        const means = tf.div(tf.matMul(w, oneHot), counts) as tf.Tensor2D;
        variable.write(tf.matMul(oneHot, means, false, true).reshape(variable.shape as number[]));
      });
    }
  }

  dispose(): void {
    for (const k of this.kernels) tf.dispose([k.oneHot, k.counts]);
  }
}

/**
 * A hook that starts trained weight sharing at `levels` after optimizer step `fromStep` of a run
 * and holds it after every later step. Call `dispose()` on the returned handle when done.
 */
export function sharedWeightHook(levels: number, fromStep: number): { hook: TrainHook; dispose: () => void } {
  let sharing: SharedWeightTraining | null = null;
  return {
    hook: {
      name: 'trained weight sharing',
      afterStep: async ({ model, step }) => {
        if (sharing) sharing.apply();
        else if (step >= fromStep) sharing = await SharedWeightTraining.start(model, levels);
      },
    },
    dispose: () => sharing?.dispose(),
  };
}

/**
 * Called by a fine-tuning run after each of its optimizer steps (`step` from 0) so the one-shot
 * masks hold: pass it to the Trainer as an `afterStep` hook (see `maskHook`).
 */
export type AfterStep = (model: tf.LayersModel, step: number) => Promise<unknown> | unknown;

/** `afterStep` as a hook of the lab's training loop. */
export function maskHook(afterStep: AfterStep): TrainHook {
  return { name: 'pruning masks', afterStep: ({ model, step }) => afterStep(model, step) };
}

/** Options of `pruneOneShot`. */
export interface OneShotOptions extends PrunableSelection {
  /** Fine-tunes the pruned model; must call `afterStep` after every optimizer step. */
  readonly fineTune?: (afterStep: AfterStep) => Promise<void>;
}

/**
 * Prunes a trained model in place to `sparsity` per kernel by magnitude, then runs the optional
 * fine-tuning with the masks held. Returns the sparsity of the pruned kernels afterwards.
 */
export async function pruneOneShot(model: tf.LayersModel, sparsity: number, options: OneShotOptions = {}): Promise<SparsityReport> {
  const controller = new PruningController(
    polynomialDecay({ initialSparsity: sparsity, finalSparsity: sparsity, beginStep: 0, endStep: 0, frequency: 1 }),
    options,
  );
  try {
    await controller.updateMasks(model, sparsity, 0);
    if (options.fineTune) await options.fineTune((m) => controller.applyMasks(m));
    return await controller.sparsityByLayer(model);
  } finally {
    controller.dispose();
  }
}

/**
 * Zeroes the rows of the model's first Dense kernel for input features `features` (e.g. those
 * `alwaysZeroFeatures` found in the training data). Gradients never move those rows while the
 * features stay zero, so they stay zero through fine-tuning and magnitude masks prune them first.
 * Returns how many weights it zeroed.
 */
export function zeroInputRows(model: tf.LayersModel, features: readonly number[]): number {
  const first = prunableKernels(model, { includeOutputLayer: true })[0];
  if (!first || first.variable.shape.length !== 2 || features.length === 0) return 0;
  const [rows, cols] = first.variable.shape as [number, number];
  const keep = new Float32Array(rows).fill(1);
  for (const f of features) {
    if (!(Number.isInteger(f) && f >= 0 && f < rows)) throw new RangeError(`feature ${f} is not a row of the ${rows}x${cols} first kernel`);
    keep[f] = 0;
  }
  tf.tidy(() => {
    first.variable.write(tf.mul(first.variable.read(), tf.tensor2d(keep, [rows, 1])));
  });
  return keep.reduce((n, k) => n + (k === 0 ? cols : 0), 0);
}

/** Test accuracy of `model` on `test` (the training loop's evaluation, one readback). */
export async function evaluateAccuracy(model: tf.LayersModel, test: Dataset): Promise<number> {
  return (await evaluateDataset(model, test)).accuracy;
}

// ---------------------------------------------------------------------------------------------
// Export

/** Topology and float32 weights of a model, as `model.save` hands them to a save handler. */
export async function saveToMemory(model: tf.LayersModel): Promise<{ modelTopology: Record<string, unknown>; weights: NamedWeight[] }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) throw new Error('model.save produced no topology or weights');
  const data = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  return {
    modelTopology: artifacts.modelTopology as Record<string, unknown>,
    weights: decodeWeights(artifacts.weightSpecs as WeightsManifestEntry[], data),
  };
}

/** Options of `exportModel`. */
export interface ExportOptions {
  /** How every weight is stored. uint8 is 8-bit affine per tensor with zero exact. */
  readonly precision: WeightPrecision;
  /** With uint8: at most this many shared nonzero levels per kernel (weight sharing); 0 or absent: off. */
  readonly sharedLevels?: number;
  /** Reorder Dense hidden units so sparse kernels gzip smaller (core `orderUnitsForGzip`); same network. */
  readonly orderUnits?: boolean;
  /** Timestamp of the zip entries; default the ZIP epoch (reproducible bytes). */
  readonly modifiedAt?: Date;
}

/** The size side of the compression report, plus the zip. */
export interface CompressionReport extends CompressionSizes {
  readonly precision: WeightPrecision;
  /** The downloaded zip (model.json, .bin, metadata.json, run.csv). */
  readonly zipBytes: number;
}

/** What `exportModel` returns. */
export interface ModelExport {
  readonly zip: Uint8Array;
  readonly report: CompressionReport;
  /** The weights exactly as tfjs decodes them from the file: evaluate these (`evaluateDecoded`). */
  readonly decoded: readonly NamedWeight[];
  readonly files: LayersModelFiles;
}

/** Encodes a model's topology and weights at `precision` (model.json + .bin, not zipped). */
export async function encodeModel(model: tf.LayersModel, precision: WeightPrecision, sharedLevels = 0, orderUnits = false): Promise<LayersModelFiles> {
  const { modelTopology, weights } = await saveToMemory(model);
  return writeLayersModel(modelTopology, weights, {
    precision,
    sharedLevels,
    orderUnits,
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: null,
  });
}

/**
 * Exports a model as the lab's download: a zip of model.json and its weights .bin (loadable by
 * plain `tf.loadLayersModel`), `metadata` as metadata.json and `runCsv` as run.csv. Saves through
 * `tf.io.withSaveHandler`, so it works in a worker (no DOM).
 */
export async function exportModel(
  model: tf.LayersModel,
  options: ExportOptions,
  metadata: Readonly<Record<string, unknown>>,
  runCsv: string,
): Promise<ModelExport> {
  const files = await encodeModel(model, options.precision, options.sharedLevels ?? 0, options.orderUnits ?? false);
  const zip = buildExportZip({
    model: files,
    metadataJson: JSON.stringify(metadata, null, 2),
    runCsv,
    ...(options.modifiedAt ? { modifiedAt: options.modifiedAt } : {}),
  });
  const report: CompressionReport = { ...compressionSizes(files), precision: options.precision, zipBytes: zip.length };
  return { zip, report, decoded: files.decoded, files };
}

/**
 * A new model with `model`'s topology and the given weights, built through
 * `tf.loadLayersModel(tf.io.fromMemory(...))` as a plain loader of the file would. Dispose it.
 */
export async function modelWithWeights(model: tf.LayersModel, weights: readonly NamedWeight[]): Promise<tf.LayersModel> {
  const modelTopology = model.toJSON(null, false) as unknown as Record<string, unknown>;
  const size = weights.reduce((s, w) => s + w.values.length, 0);
  const data = new Float32Array(size);
  let offset = 0;
  for (const w of weights) {
    data.set(w.values, offset);
    offset += w.values.length;
  }
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology,
    weightSpecs: weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32' as const })),
    weightData: data.buffer,
  }));
}

/** Test accuracy of `model`'s architecture with the decoded weights of an export: the file's own accuracy. */
export async function evaluateDecoded(model: tf.LayersModel, decoded: readonly NamedWeight[], test: Dataset): Promise<number> {
  const clone = await modelWithWeights(model, decoded);
  try {
    return await evaluateAccuracy(clone, test);
  } finally {
    clone.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// Distillation

/**
 * Pre-softmax logits of a Sequential model whose last layer is Dense: every layer but the last
 * applied as it is, then the last layer's kernel and bias without its activation. A last layer
 * with a linear activation already gives logits.
 */
export function logitsOf(model: tf.LayersModel, x: tf.Tensor, training = false): tf.Tensor2D {
  return tf.tidy(() => {
    const layers = model.layers;
    const last = layers[layers.length - 1]!;
    let h = x;
    for (const layer of layers.slice(0, -1)) h = layer.apply(h, { training }) as tf.Tensor;
    const config = last.getConfig();
    if (last.getClassName() !== 'Dense') throw new Error(`distillation needs a Dense output layer, got ${last.getClassName()}`);
    if (config.activation === 'linear') return last.apply(h, { training }) as tf.Tensor2D;
    if (config.activation !== 'softmax') throw new Error(`distillation needs a softmax or linear output, got ${String(config.activation)}`);
    const [kernel, bias] = last.trainableWeights.map((w) => w.read());
    const z = tf.matMul(h as tf.Tensor2D, kernel as tf.Tensor2D);
    return (bias ? z.add(bias) : z) as tf.Tensor2D;
  });
}

/** The three terms of the distillation loss, each a scalar batch mean. */
export interface DistillationLossTensors {
  readonly total: tf.Scalar;
  readonly hard: tf.Scalar;
  readonly soft: tf.Scalar;
}

/**
 * Hinton, Vinyals and Dean (2015) in tfjs, the same formula as core's `distillationLoss`:
 * alpha * CE(y, softmax(z)) + (1 - alpha) * T^2 * KL(softmax(v/T) || softmax(z/T)), batch means.
 * `studentLogits` z and `teacherLogits` v are [batch, classes]; `targets` one-hot rows.
 */
export function distillationLossTf(
  studentLogits: tf.Tensor2D,
  teacherLogits: tf.Tensor2D,
  targets: tf.Tensor2D,
  temperature: number,
  alpha: number,
): DistillationLossTensors {
  if (!(temperature > 0)) throw new RangeError(`temperature must be > 0, got ${temperature}`);
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in [0, 1], got ${alpha}`);
  return tf.tidy(() => {
    const hard = tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(studentLogits)), -1)).mean() as tf.Scalar;
    const logPT = tf.logSoftmax(tf.div(teacherLogits, temperature));
    const logQT = tf.logSoftmax(tf.div(studentLogits, temperature));
    const kl = tf.sum(tf.mul(tf.exp(logPT), tf.sub(logPT, logQT)), -1).mean();
    const soft = tf.mul(kl, temperature * temperature) as tf.Scalar;
    const total = tf.add(tf.mul(hard, alpha), tf.mul(soft, 1 - alpha)) as tf.Scalar;
    return { total, hard, soft };
  });
}

/** Options of `distill`. */
export interface DistillOptions {
  /** T > 0; Hinton et al. used 1 to 20, Keras's example 10. */
  readonly temperature: number;
  /** Weight of the hard-label term in [0, 1] (Keras's example: 0.1). */
  readonly alpha: number;
  readonly epochs: number;
  readonly batchSize: number;
  /** Seeds the student's initialisers and the batch order. */
  readonly seed: number;
  /** The trainer to run on, so the caller can stop it. */
  readonly trainer?: Trainer;
}

/** A trained student and how it compares. */
export interface DistillResult {
  readonly student: tf.Sequential;
  readonly studentAccuracy: number;
  readonly teacherAccuracy: number;
  readonly epochLosses: readonly number[];
  readonly studentParams: number;
  readonly teacherParams: number;
}

/**
 * Trains a student built from `studentConfig` (its model and optimizer settings; the seed from
 * `options.seed`) on `data.train` with the distillation loss against `teacher`'s logits, then
 * evaluates both on `data.test`. The teacher is not changed. Dispose the returned student.
 */
export async function distill(
  teacher: tf.LayersModel,
  studentConfig: ExperimentConfig,
  data: SplitDataset,
  options: DistillOptions,
): Promise<DistillResult> {
  const config: ExperimentConfig = {
    ...studentConfig,
    train: { ...studentConfig.train, seed: options.seed, epochs: options.epochs, batchSize: options.batchSize },
  };
  const student = buildModel(config, data.train.inputShape, data.train.numClasses);
  try {
    const summary = await fitModel(student, config, data, {
      loss: distillationBatchLoss(teacher, options.temperature, options.alpha),
      ...(options.trainer ? { trainer: options.trainer } : {}),
    });
    return {
      student,
      studentAccuracy: await evaluateAccuracy(student, data.test),
      teacherAccuracy: await evaluateAccuracy(teacher, data.test),
      epochLosses: summary.epochs.map((e) => e.trainLoss),
      studentParams: student.countParams(),
      teacherParams: teacher.countParams(),
    };
  } catch (error) {
    student.dispose();
    throw error;
  }
}

/**
 * The distillation loss against `teacher`'s logits as the training loop's batch loss; the
 * student's logits are its output (their argmax is its prediction).
 */
export function distillationBatchLoss(teacher: tf.LayersModel, temperature: number, alpha: number): BatchLoss {
  return (model, x, oneHot) => {
    const teacherLogits = tf.tidy(() => logitsOf(teacher, x));
    const studentLogits = logitsOf(model, x, true);
    const objective = distillationLossTf(studentLogits, teacherLogits, oneHot as tf.Tensor2D, temperature, alpha).total;
    return { objective, output: studentLogits };
  };
}

// ---------------------------------------------------------------------------------------------
// Import

/**
 * Loads an export zip (or any zip holding a tfjs layers model) as a model. Throws core's
 * ModelFileError, with a message naming the problem, for a file that is not a zip, is truncated
 * or corrupted, or holds no valid model.
 */
export async function loadExportZip(bytes: Uint8Array): Promise<tf.LayersModel> {
  const { model } = readExportZip(bytes);
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: model.modelJson.modelTopology as Record<string, unknown>,
    weightSpecs: [...model.weightSpecs] as tf.io.WeightsManifestEntry[],
    weightData: model.weightData,
  }));
}
