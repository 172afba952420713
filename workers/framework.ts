/**
 * The multi-objective framework in the training worker (issue 6): the compute penalty
 * (group sparsity over hidden neurons, weighted by each neuron's multiply-accumulates and scaled
 * by beta + gamma * intensity / reference), the controller's epoch-boundary decisions, and the
 * removal of neurons the penalty has switched off, which really removes their compute.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../src/core/config/schema';
import type { RunLogEntry } from '../src/core/compress/plan';
import { controllerDecision, type ControllerSettings } from '../src/core/objective/controller';
import { neuronEnergyWeights } from '../src/core/objective/objective';
import { buildModel } from './model';
import type { EpochChange, EpochEndInfo, PenaltyOptions } from './trainer';

/** Small constant inside the square root, so the norm of an all-zero group has a gradient. */
const NORM_EPSILON = 1e-8;

/** The Dense layers that feed another Dense layer: the hidden neurons the penalty acts on. */
export function hiddenDenseLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
  return dense.slice(0, -1);
}

/** Widths from the first hidden Dense layer's input to the output, e.g. [784, 128, 10]. */
export function denseWidths(model: tf.LayersModel): number[] {
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
  const first = dense[0];
  if (!first) return [];
  const kernel = first.getWeights()[0] as tf.Tensor;
  return [kernel.shape[0] as number, ...dense.map((l) => (l.getWeights()[0] as tf.Tensor).shape[1] as number)];
}

/**
 * Sum over hidden neurons of weight x the L2 norm of the neuron's incoming weights (its kernel
 * column): the group lasso of Yuan and Lin (2006), which drives whole neurons to zero.
 */
export function groupPenalty(model: tf.LayersModel, weights: readonly (readonly number[])[]): tf.Scalar {
  return tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0);
    hiddenDenseLayers(model).forEach((layer, l) => {
      const kernel = (layer as unknown as { kernel: tf.LayerVariable }).kernel.read();
      const norms = kernel.square().sum(0).add(NORM_EPSILON).sqrt();
      const w = tf.tensor1d(weights[l] as number[]);
      total = total.add(norms.mul(w).sum()) as tf.Scalar;
    });
    return total;
  });
}

/** Norm of each hidden neuron's incoming weights, per hidden layer. */
export async function neuronNorms(model: tf.LayersModel): Promise<Float32Array[]> {
  const norms = hiddenDenseLayers(model).map((layer) => tf.tidy(() => (layer.getWeights()[0] as tf.Tensor).square().sum(0).sqrt()));
  const values = await Promise.all(norms.map((n) => n.data() as Promise<Float32Array>));
  tf.dispose(norms);
  return values;
}

/**
 * A copy of an MLP (or a CNN's Dense head) without the hidden neurons `keep` marks false: their
 * kernel columns and biases go, and so do the rows of the next layer's kernel they fed.
 */
export function withoutNeurons(model: tf.LayersModel, config: ExperimentConfig, keep: readonly (readonly boolean[])[], inputShape: readonly number[], numClasses: number): tf.Sequential {
  const hidden = keep.map((k) => k.filter(Boolean).length);
  const smaller = buildModel({ ...config, model: { ...config.model, hidden } }, inputShape, numClasses);
  const indices = keep.map((k) => tf.tensor1d(k.flatMap((on, i) => (on ? [i] : [])), 'int32'));
  const denseIndex = new Map(model.layers.filter((l) => l.getClassName() === 'Dense').map((l, i) => [l, i]));
  const weights = tf.tidy(() =>
    model.layers.flatMap((layer) => {
      const ws = layer.getWeights();
      const d = denseIndex.get(layer);
      if (d === undefined || ws.length === 0) return ws.map((w) => w.clone());
      let [kernel, bias] = ws as [tf.Tensor, tf.Tensor];
      const rows = d > 0 ? indices[d - 1] : undefined;
      const cols = indices[d];
      if (rows) kernel = tf.gather(kernel, rows, 0);
      if (cols) {
        kernel = tf.gather(kernel, cols, 1);
        bias = tf.gather(bias, cols, 0);
      }
      return [rows || cols ? kernel : kernel.clone(), cols ? bias : bias.clone()];
    }),
  );
  // Fresh tensors from the values: on the wasm backend (tfjs 4.22) a variable assigned a gather's
  // output reads back with another tensor's shape ("_FusedMatMul only supports rank-1 bias but got
  // rank 4" at the next predict). A readback once per removal costs nothing that matters.
  const fresh = weights.map((w) => tf.tensor(w.dataSync(), w.shape, w.dtype));
  smaller.setWeights(fresh);
  tf.dispose([...weights, ...fresh, ...indices]);
  return smaller;
}

/** What the worker tells the framework about the run from the page: the grid now and the energy so far. */
export interface RunContext {
  intensity: number | null;
  energyWh: number;
}

/**
 * Builds the trainer options of the framework for a run. `context` is read at each epoch boundary
 * (the page updates it as its carbon source answers); `log` receives the run-log entries.
 */
export function frameworkOptions(
  config: ExperimentConfig,
  data: { inputShape: readonly number[]; numClasses: number; trainExamples: number },
  context: RunContext,
  log: (entry: RunLogEntry) => void,
  /** Hidden sizes of a checkpoint being continued; smaller than the config's once neurons were removed. */
  resumedHidden: readonly number[] | null = null,
): {
  penalty: PenaltyOptions;
  onEpochEnd: (info: EpochEndInfo) => Promise<EpochChange>;
  structureAtStep?: number;
  onStructure: (info: { stepsDone: number; model: tf.LayersModel }) => Promise<tf.Sequential | null>;
} {
  const o = config.objective;
  const weights = { alpha: o.alpha, beta: o.beta, gamma: o.gamma };
  let refIntensity = o.refIntensity > 0 ? o.refIntensity : null;
  const intensityNow = () => context.intensity ?? refIntensity ?? 1;
  const settings = (): ControllerSettings => ({
    weights,
    refIntensity: refIntensity ?? intensityNow(),
    basePenalty: o.penalty,
    // Compression past an energy budget is the compression module's budget rule (issue 5).
    energyBudgetWh: Number.POSITIVE_INFINITY,
    baseBatchSize: config.train.batchSize,
    maxBatchSize: o.maxBatch,
    baseLearningRate: config.train.learningRate,
    optimizer: config.train.optimizer,
  });
  let coefficient = o.penalty * (weights.beta + weights.gamma);
  let neuronWeights: number[][] | null = null;
  const losses: number[] = [];
  const penalty: PenaltyOptions = {
    coefficient: () => coefficient,
    weights: (model) => (neuronWeights ??= neuronEnergyWeights(denseWidths(model))),
    term: groupPenalty,
  };
  // A continued run whose neurons were already removed does not shrink again, nor keep the penalty.
  let shrunk = resumedHidden !== null && resumedHidden.join(',') !== config.model.hidden.join(',');
  if (shrunk) coefficient = 0;
  /** Removes the neurons the penalty has switched off; null when none are idle. */
  const onStructure = async ({ stepsDone, model }: { stepsDone: number; model: tf.LayersModel }): Promise<tf.Sequential | null> => {
    shrunk = true;
    // The penalty has done its work: the smaller model trains on the task alone.
    coefficient = 0;
    const norms = await neuronNorms(model);
    const keep = norms.map((layer) => {
      const max = layer.reduce((a, b) => Math.max(a, b), 0);
      const k = Array.from(layer, (n) => n >= o.shrinkBelow * max);
      // Never remove a whole layer.
      if (!k.some(Boolean)) k[layer.indexOf(max)] = true;
      return k;
    });
    const before = norms.map((n) => n.length);
    const after = keep.map((k) => k.filter(Boolean).length);
    if (!after.some((a, i) => a < (before[i] as number))) return null;
    neuronWeights = null;
    log({
      time: Date.now(),
      step: stepsDone,
      what: `removed hidden neurons: ${before.join(',')} -> ${after.join(',')}`,
      why: `the compute penalty drove their weights below ${o.shrinkBelow * 100}% of their layer's largest norm; their multiply-accumulates are gone from every later step (the optimizer restarts on the smaller model)`,
    });
    return withoutNeurons(model, config, keep, data.inputShape, data.numClasses);
  };
  const onEpochEnd = async (info: EpochEndInfo): Promise<EpochChange> => {
    refIntensity ??= intensityNow();
    losses.push(info.trainLoss);
    const change: { batchSize?: number; learningRate?: number } = {};
    const decision = controllerDecision(settings(), {
      epoch: info.epoch,
      intensity: intensityNow(),
      energyWh: context.energyWh,
      recentLosses: losses.slice(-2),
      batchSize: info.batchSize,
      learningRate: info.learningRate,
      compressed: true,
    });
    // Once the idle neurons are gone the penalty has done its work.
    coefficient = shrunk ? 0 : decision.penalty;
    if (decision.batchSize !== info.batchSize) change.batchSize = decision.batchSize;
    if (decision.learningRate !== info.learningRate) change.learningRate = decision.learningRate;
    for (const entry of decision.log) log({ time: Date.now(), step: info.stepsDone, what: entry.what, why: entry.why });
    return change;
  };
  const stepsPerEpoch = Math.floor(data.trainExamples / Math.min(config.train.batchSize, data.trainExamples));
  const structureAtStep = o.shrinkAfter > 0 && !shrunk ? Math.max(1, Math.round(o.shrinkAfter * stepsPerEpoch)) : undefined;
  return { penalty, onEpochEnd, onStructure, ...(structureAtStep === undefined ? {} : { structureAtStep }) };
}
