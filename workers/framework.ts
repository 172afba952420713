/**
 * The multi-objective framework in the training worker (issue 6): the compute penalty
 * (group sparsity over hidden neurons, weighted by each neuron's multiply-accumulates and scaled
 * by beta + gamma * intensity / reference), the sizing decision (the width the objective scores
 * best on measured probes, and the batch size the measured gradient noise allows), and the
 * controller's epoch-boundary decisions. Removed neurons really remove their compute. For a CNN
 * only the Dense head is sized, and its MACs ratio counts the Dense layers alone.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../src/core/config/schema';
import type { RunLogEntry } from '../src/core/compress/plan';
import { controllerDecision, scaledLearningRate, type ControllerSettings } from '../src/core/objective/controller';
import { mlpMacs, neuronEnergyWeights } from '../src/core/objective/objective';
import {
  batchForNoise,
  computePressure,
  learningRateAfterSizing,
  noiseScale,
  rankWidths,
  type NoiseScale,
  type WidthCandidate,
} from '../src/core/objective/sizing';
import { aliveWidths, batchLine, batchRecheckEpochs, learningRateLine, widthCandidates, widthLine, type DecisionLine } from '../src/core/objective/sizing-decision';
import { buildModel } from './model';
import { crossEntropyLoss, type BatchLoss, type EpochEndInfo, type MomentInfo, type ProbeSet, type RunChange, type TrainHook } from './trainer';

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
export async function withoutNeurons(
  model: tf.LayersModel,
  config: ExperimentConfig,
  keep: readonly (readonly boolean[])[],
  inputShape: readonly number[],
  numClasses: number,
): Promise<tf.Sequential> {
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
  // rank 4" at the next predict). Read back asynchronously: several synchronous readbacks in a row
  // lost the device on WebGPU (SwiftShader, Chromium 156).
  const values = await Promise.all(weights.map((w) => w.data()));
  const fresh = weights.map((w, i) => tf.tensor(values[i] as Float32Array, w.shape, w.dtype));
  smaller.setWeights(fresh);
  tf.dispose([...weights, ...fresh, ...indices]);
  return smaller;
}

/**
 * Importance of each hidden neuron, per hidden layer: the norm of its incoming weights times the
 * norm of its outgoing weights (the row of the next layer's kernel it feeds), so a neuron that
 * reads strongly but is barely read counts for little.
 */
export async function neuronImportance(model: tf.LayersModel): Promise<Float32Array[]> {
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
  const scores = dense.slice(0, -1).map((layer, l) =>
    tf.tidy(() => {
      const incoming = (layer.getWeights()[0] as tf.Tensor).square().sum(0).sqrt();
      const outgoing = ((dense[l + 1] as tf.layers.Layer).getWeights()[0] as tf.Tensor).square().sum(1).sqrt();
      return incoming.mul(outgoing);
    }),
  );
  const values = await Promise.all(scores.map((s) => s.data() as Promise<Float32Array>));
  tf.dispose(scores);
  return values;
}

/** Keep-masks for the `hidden[l]` most important neurons of each layer (ties by index). */
export function topKeep(importance: readonly Float32Array[], hidden: readonly number[]): boolean[][] {
  return importance.map((scores, l) => {
    const order = Array.from(scores.keys()).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
    const keep = new Array<boolean>(scores.length).fill(false);
    for (const i of order.slice(0, hidden[l])) keep[i] = true;
    return keep;
  });
}

/** Examples each width candidate is scored on: its forward pass costs a few steps' worth. */
const WIDTH_PROBE_EXAMPLES = 256;

/** Keep-masks for each hidden Dense layer, or null for the model as it is. */
export type NeuronKeep = readonly (readonly boolean[])[] | null;

/**
 * Mean cross-entropy on the probe set of the model with only the neurons each `keeps[i]` marks
 * true in each hidden Dense layer: the others' outputs are zeroed, which computes exactly what the
 * model without them would, with the shapes (and so the compiled GPU kernels) of the model as it
 * is. Every layer up to the first hidden Dense layer (the convolutions of a CNN, the widest matmul
 * of an MLP) computes the same for every candidate, so it runs once; one readback for all.
 */
export async function maskedProbeLosses(model: tf.LayersModel, probe: ProbeSet, keeps: readonly NeuronKeep[]): Promise<number[]> {
  const hidden = hiddenDenseLayers(model);
  const shared = hidden[0] ? model.layers.indexOf(hidden[0]) + 1 : 0;
  const count = Math.min(WIDTH_PROBE_EXAMPLES, probe.x.shape[0] as number);
  const losses = tf.tidy(() => {
    let prefix = probe.x.slice(0, count);
    for (const layer of model.layers.slice(0, shared)) prefix = layer.apply(prefix) as tf.Tensor;
    const target = probe.oneHot.slice(0, count);
    const masked = (y: tf.Tensor, layer: tf.layers.Layer, keep: NeuronKeep) => {
      const mask = keep?.[hidden.indexOf(layer)];
      return mask ? y.mul(tf.tensor1d(mask.map((k) => (k ? 1 : 0)))) : y;
    };
    const each = keeps.map((keep) => {
      let y = shared > 0 ? masked(prefix, model.layers[shared - 1] as tf.layers.Layer, keep) : prefix;
      for (const layer of model.layers.slice(shared)) y = masked(layer.apply(y) as tf.Tensor, layer, keep);
      return tf.metrics.categoricalCrossentropy(target, y).mean();
    });
    return tf.stack(each);
  });
  const values = await losses.data();
  losses.dispose();
  return Array.from(values);
}

/** How many batches of the current size the noise estimate averages over (fewer if the probe set is small). */
const NOISE_BATCHES = 8;

/**
 * The simple gradient noise scale of `model` on the probe set: squared gradient norms of
 * NOISE_BATCHES disjoint batches of `batchSize`, and of their mean (one batch of all of them).
 * Null when the probe set holds fewer than two batches.
 */
export async function measureNoiseScale(model: tf.LayersModel, probe: ProbeSet, batchSize: number): Promise<NoiseScale | null> {
  const count = Math.min(NOISE_BATCHES, Math.floor((probe.x.shape[0] as number) / batchSize));
  if (count < 2) return null;
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const sums = tf.tidy(() => {
    let smallSq: tf.Tensor = tf.scalar(0);
    let total: tf.Tensor[] | null = null;
    for (let b = 0; b < count; b++) {
      const x = probe.x.slice(b * batchSize, batchSize);
      const y = probe.oneHot.slice(b * batchSize, batchSize);
      const { grads } = tf.variableGrads(() => tf.metrics.categoricalCrossentropy(y, model.apply(x) as tf.Tensor).mean() as tf.Scalar, vars);
      const gs = vars.map((v) => grads[v.name] as tf.Tensor);
      smallSq = smallSq.add(tf.addN(gs.map((g) => g.square().sum())));
      total = total ? total.map((t, i) => t.add(gs[i] as tf.Tensor)) : gs;
    }
    const bigSq = tf.addN((total as tf.Tensor[]).map((t) => t.div(count).square().sum()));
    return tf.stack([smallSq.div(count), bigSq]);
  });
  const [small, big] = await sums.data();
  sums.dispose();
  return noiseScale(small as number, big as number, batchSize, batchSize * count);
}

/** What the worker tells the framework about the run from the page: the grid now and the energy so far. */
export interface RunContext {
  intensity: number | null;
  energyWh: number;
}

/** The framework's part of a run: the penalised loss and its hook. */
export interface FrameworkRun {
  readonly loss: BatchLoss;
  readonly hooks: readonly TrainHook[];
}

/**
 * The task loss plus `coefficient()` x the group penalty with per-neuron `weights`; the curve shows
 * the task loss. With the coefficient at 0 (no penalty set, or the neurons already removed) it is
 * the task loss alone: the penalty's kernels and their gradients cost about a quarter of a small
 * model's step (measured on wasm: 15.2 ms against 12.0 ms median for 16 units at batch 128) and
 * would add exactly nothing.
 */
export function penalisedLoss(coefficient: () => number, weights: (model: tf.LayersModel) => readonly (readonly number[])[]): BatchLoss {
  return (model, x, oneHot) => {
    const c = coefficient();
    if (c === 0) return crossEntropyLoss(model, x, oneHot);
    const task = crossEntropyLoss(model, x, oneHot);
    const objective = task.objective.add(groupPenalty(model, weights(model)).mul(c)) as tf.Scalar;
    return { objective, shown: task.objective, output: task.output };
  };
}

/** Everything the framework's hook reads and changes over a run. */
interface FrameworkState {
  refIntensity: number | null;
  coefficient: number;
  neuronWeights: number[][] | null;
  /** Whether the sizing decision was taken (then the penalty stays off). */
  shrunk: boolean;
  readonly losses: number[];
}

/**
 * The framework for a run: the penalised loss and one hook, whose `at` moment is the sizing
 * decision `shrinkAfter` epochs in and whose `afterEpoch` is the controller. `context` is read at
 * each decision (the page updates it as its carbon source answers); `log` receives the run log.
 */
export function frameworkOptions(
  config: ExperimentConfig,
  data: { inputShape: readonly number[]; numClasses: number },
  context: RunContext,
  log: (entry: RunLogEntry) => void,
  /** Hidden sizes of a checkpoint being continued; smaller than the config's once neurons were removed. */
  resumedHidden: readonly number[] | null = null,
): FrameworkRun {
  const o = config.objective;
  const weights = { alpha: o.alpha, beta: o.beta, gamma: o.gamma };
  // A continued run whose neurons were already removed does not shrink again, nor keep the penalty.
  const shrunk = resumedHidden !== null && resumedHidden.join(',') !== config.model.hidden.join(',');
  const state: FrameworkState = { refIntensity: o.refIntensity > 0 ? o.refIntensity : null, coefficient: shrunk ? 0 : o.penalty * (weights.beta + weights.gamma), neuronWeights: null, shrunk, losses: [] };
  const intensityNow = () => context.intensity ?? state.refIntensity ?? 1;
  // The reference is the first intensity the page reports. Latched before one arrives, the
  // fallback 1 g/kWh made every later reading look hundreds of times dirtier than the reference.
  const reference = () => {
    if (state.refIntensity === null && context.intensity !== null) state.refIntensity = context.intensity;
    return state.refIntensity ?? intensityNow();
  };
  const write = (step: number, line: DecisionLine) => log({ time: Date.now(), step, what: line.what, why: line.why });
  const loss = penalisedLoss(() => state.coefficient, (model) => (state.neuronWeights ??= neuronEnergyWeights(denseWidths(model))));
  const onEpochEnd = async (info: EpochEndInfo): Promise<RunChange> => {
    const refIntensity = reference();
    state.losses.push(info.trainLoss);
    const decision = controllerDecision(controllerSettings(config, state, refIntensity), {
      epoch: info.epoch,
      intensity: intensityNow(),
      energyWh: context.energyWh,
      recentLosses: state.losses.slice(-2),
      batchSize: info.batchSize,
      learningRate: info.learningRate,
      compressed: true,
    });
    state.coefficient = decision.penalty;
    for (const entry of decision.log) write(info.stepsDone, entry);
    return {
      ...(decision.batchSize !== info.batchSize ? { batchSize: decision.batchSize } : {}),
      ...(decision.learningRate !== info.learningRate ? { learningRate: decision.learningRate } : {}),
    };
  };
  const sizing = async (info: MomentInfo): Promise<RunChange | null> => {
    state.shrunk = true;
    // The penalty has done its work: the smaller model trains on the task alone.
    state.coefficient = 0;
    const change = await sizingDecision(config, data, info, computePressure(weights, intensityNow(), reference()), (line) => write(info.stepsDone, line));
    state.neuronWeights = null;
    return change;
  };
  const hook: TrainHook = {
    name: 'the multi-objective framework',
    afterEpoch: onEpochEnd,
    ...(o.shrinkAfter > 0 && !shrunk ? { at: { epochs: o.shrinkAfter, run: sizing } } : {}),
  };
  const rechecks = shrunk ? [] : batchRecheckEpochs(o.shrinkAfter, config.train.epochs);
  const batchHooks = rechecks.map((epochs): TrainHook => ({
    name: 'the framework: batch size from the gradient noise',
    at: { epochs, run: (info) => batchRecheck(config, info, (line) => write(info.stepsDone, line)) },
  }));
  return { loss, hooks: [hook, ...batchHooks] };
}

/**
 * A later look at the batch size (see batchRecheckEpochs): the gradient noise scale measured now,
 * and the batch doubled while it stays within it; the learning rate follows by the optimizer's rule.
 */
async function batchRecheck(config: ExperimentConfig, info: MomentInfo, write: (line: DecisionLine) => void): Promise<RunChange | null> {
  const noise = await measureNoiseScale(info.model, info.probe, info.batchSize);
  if (!noise) return null;
  const batchSize = batchForNoise(noise.bSimple, info.batchSize, config.objective.maxBatch);
  if (batchSize === info.batchSize) return null;
  const learningRate = scaledLearningRate(info.learningRate, info.batchSize, batchSize, config.train.optimizer);
  write(batchLine(noise, info.batchSize, batchSize, config.objective.maxBatch));
  write({
    what: `learning rate ${info.learningRate.toPrecision(3)} -> ${learningRate.toPrecision(3)}`,
    why: `the batch grew ${batchSize / info.batchSize}x: ${config.train.optimizer === 'adam' ? 'by the square root of the batch ratio (Adam)' : 'linearly in the batch ratio (SGD)'}`,
  });
  return { batchSize, learningRate };
}

function controllerSettings(config: ExperimentConfig, state: FrameworkState, intensity: number): ControllerSettings {
  const o = config.objective;
  return {
    weights: { alpha: o.alpha, beta: o.beta, gamma: o.gamma },
    refIntensity: state.refIntensity ?? intensity,
    // A model whose neurons are already removed trains on the task alone.
    basePenalty: state.shrunk ? 0 : o.penalty,
    // Compression past an energy budget is the compression module's budget rule (issue 5).
    energyBudgetWh: Number.POSITIVE_INFINITY,
    baseBatchSize: config.train.batchSize,
    maxBatchSize: o.maxBatch,
    baseLearningRate: config.train.learningRate,
    optimizer: config.train.optimizer,
  };
}

/**
 * The sizing decision, once: neurons the penalty switched off go; of the rest, the objective picks
 * how many to keep by their measured probe loss against the energy and carbon of the rest of the
 * run (its share of the run's examples); then the gradient noise of the model as trained so far
 * sets the batch. It is measured before the cut, at full width (about six full-width steps): a
 * model just pruned has a larger gradient, so its B_simple errs small, and measured there the
 * batch of e2e/batch-change.spec.ts stayed at 16.
 */
async function sizingDecision(
  config: ExperimentConfig,
  data: { inputShape: readonly number[]; numClasses: number },
  info: MomentInfo,
  pressure: number,
  write: (line: DecisionLine) => void,
): Promise<RunChange | null> {
  const o = config.objective;
  const { model, probe } = info;
  const sizes = denseWidths(model);
  const widths = sizes.slice(1, -1);
  const isFull = (hidden: readonly number[]) => hidden.every((h, l) => h === widths[l]);
  const importance = await neuronImportance(model);
  const noise = await measureNoiseScale(model, probe, info.batchSize);
  const alive = aliveWidths(await neuronNorms(model), o.shrinkBelow);
  const choices = widthCandidates(widths, alive, o.minKeep);
  const losses = await maskedProbeLosses(model, probe, choices.map((c) => (isFull(c.hidden) ? null : topKeep(importance, c.hidden))));
  const candidates: WidthCandidate[] = choices.map((choice, i) => ({
    ...choice,
    probeLoss: losses[i] as number,
    macsRatio: mlpMacs([sizes[0] as number, ...choice.hidden, sizes[sizes.length - 1] as number]) / mlpMacs(sizes),
  }));
  const remaining = Math.max(0, 1 - info.examplesDone / Math.max(1, info.totalExamples));
  const ranked = rankWidths(candidates, { alpha: o.alpha, beta: o.beta, gamma: o.gamma }, pressure, remaining);
  const best = ranked[0] as (typeof ranked)[number];
  const chosen = isFull(best.hidden) ? null : await withoutNeurons(model, config, topKeep(importance, best.hidden), data.inputShape, data.numClasses);
  write(widthLine(widths, ranked, chosen !== null, pressure, remaining));
  const batchSize = noise ? batchForNoise(noise.bSimple, info.batchSize, o.maxBatch) : info.batchSize;
  const widthRatio = widths.reduce((a, b) => a + b, 0) / best.hidden.reduce((a, b) => a + b, 0);
  const learningRate = learningRateAfterSizing(info.learningRate, batchSize / info.batchSize, widthRatio, config.train.optimizer);
  if (noise) write(batchLine(noise, info.batchSize, batchSize, o.maxBatch));
  if (learningRate !== info.learningRate) write(learningRateLine(info.learningRate, learningRate, config.train.optimizer));
  if (!chosen && batchSize === info.batchSize) return null;
  return { ...(chosen ? { model: chosen } : {}), batchSize, learningRate };
}
