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
import { controllerDecision, type ControllerSettings } from '../src/core/objective/controller';
import { mlpMacs, neuronEnergyWeights } from '../src/core/objective/objective';
import {
  KEEP_SHARES,
  batchForNoise,
  keptWidths,
  computePressure,
  learningRateAfterSizing,
  noiseScale,
  rankWidths,
  type NoiseScale,
  type WidthCandidate,
} from '../src/core/objective/sizing';
import { buildModel } from './model';
import type { EpochChange, EpochEndInfo, PenaltyOptions, ProbeSet, StructureChange, StructureInfo } from './trainer';

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

/**
 * Mean cross-entropy on the probe set of the model with only the neurons `keep` marks true in each
 * hidden Dense layer: the others' outputs are zeroed, which computes exactly what the model
 * without them would, with the shapes (and so the compiled GPU kernels) of the model as it is.
 */
export async function maskedProbeLoss(model: tf.LayersModel, probe: ProbeSet, keep: readonly (readonly boolean[])[] | null): Promise<number> {
  const hidden = hiddenDenseLayers(model);
  const count = Math.min(WIDTH_PROBE_EXAMPLES, probe.x.shape[0] as number);
  const loss = tf.tidy(() => {
    let y = probe.x.slice(0, count);
    for (const layer of model.layers) {
      y = layer.apply(y) as tf.Tensor;
      const h = hidden.indexOf(layer);
      const mask = h >= 0 ? keep?.[h] : undefined;
      if (mask) y = y.mul(tf.tensor1d(mask.map((k) => (k ? 1 : 0))));
    }
    return tf.metrics.categoricalCrossentropy(probe.oneHot.slice(0, count), y).mean();
  });
  const [value] = await loss.data();
  loss.dispose();
  return value as number;
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
  onStructure: (info: StructureInfo) => Promise<StructureChange | null>;
} {
  const o = config.objective;
  const weights = { alpha: o.alpha, beta: o.beta, gamma: o.gamma };
  let refIntensity = o.refIntensity > 0 ? o.refIntensity : null;
  const intensityNow = () => context.intensity ?? refIntensity ?? 1;
  const settings = (): ControllerSettings => ({
    weights,
    refIntensity: refIntensity ?? intensityNow(),
    // A model whose neurons are already removed trains on the task alone.
    basePenalty: shrunk ? 0 : o.penalty,
    // Compression past an energy budget is the compression module's budget rule (issue 5).
    energyBudgetWh: Number.POSITIVE_INFINITY,
    baseBatchSize: config.train.batchSize,
    maxBatchSize: o.maxBatch,
    baseLearningRate: config.train.learningRate,
    optimizer: config.train.optimizer,
  });
  const stepsPerEpoch = Math.floor(data.trainExamples / Math.min(config.train.batchSize, data.trainExamples));
  const totalSteps = stepsPerEpoch * config.train.epochs;
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
  /**
   * The sizing decision, once, `shrinkAfter` epochs in: neurons the penalty switched off go; of the
   * rest, the objective picks how many to keep by their measured probe loss against the energy
   * and carbon of the rest of the run; then the gradient noise of the kept model sets the batch.
   */
  const onStructure = async (info: StructureInfo): Promise<StructureChange | null> => {
    shrunk = true;
    // The penalty has done its work: the smaller model trains on the task alone.
    coefficient = 0;
    refIntensity ??= intensityNow();
    const { model, probe } = info;
    const sizes = denseWidths(model);
    const widths = sizes.slice(1, -1);
    const totalWidth = widths.reduce((a, b) => a + b, 0);
    const isFull = (hidden: readonly number[]) => hidden.every((h, l) => h === widths[l]);
    const importance = await neuronImportance(model);
    // The gradient noise of the model as trained so far sets the batch size (a model just pruned
    // has a large gradient that says little about the noise of the task).
    const noise = await measureNoiseScale(model, probe, info.batchSize);
    const norms = await neuronNorms(model);
    // Neurons the penalty switched off (below shrinkBelow of their layer's largest norm) go in every candidate.
    const alive = norms.map((layer) => {
      const max = layer.reduce((a, b) => Math.max(a, b), 0);
      return Math.max(1, Array.from(layer).filter((n) => n >= o.shrinkBelow * max).length);
    });
    const floor = widths.map((n) => Math.max(1, Math.ceil(n * o.minKeep)));
    const shares = KEEP_SHARES.filter((share) => share >= o.minKeep || share === 1);
    const seen = new Set<string>();
    const candidates: WidthCandidate[] = [];
    for (const share of shares) {
      const hidden = keptWidths(alive, share, floor);
      const key = hidden.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push({
        keep: hidden.reduce((a, b) => a + b, 0) / totalWidth,
        hidden,
        probeLoss: await maskedProbeLoss(model, probe, isFull(hidden) ? null : topKeep(importance, hidden)),
        macsRatio: mlpMacs([sizes[0] as number, ...hidden, sizes[sizes.length - 1] as number]) / mlpMacs(sizes),
      });
    }
    const pressure = computePressure(weights, intensityNow(), refIntensity);
    const remaining = Math.max(0, 1 - info.stepsDone / Math.max(1, totalSteps));
    const ranked = rankWidths(candidates, weights, pressure, remaining);
    const best = ranked[0] as (typeof ranked)[number];
    const chosen = isFull(best.hidden) ? null : await withoutNeurons(model, config, topKeep(importance, best.hidden), data.inputShape, data.numClasses);
    const table = ranked
      .slice()
      .sort((a, b) => b.keep - a.keep)
      .map((c) => `${c.hidden.join(',')}: ${c.accuracyTerm.toFixed(3)} + ${c.computeTerm.toFixed(3)} = ${c.total.toFixed(3)}`)
      .join('; ');
    log({
      time: Date.now(),
      step: info.stepsDone,
      what: chosen ? `hidden neurons ${widths.join(',')} -> ${best.hidden.join(',')}` : `hidden neurons kept at ${widths.join(',')}`,
      why: `lowest objective alpha x probe loss + (beta + gamma x I/I_ref = ${pressure.toFixed(3)}) x ${Math.round(remaining * 100)}% of the run left x MACs ratio, over the most important neurons (incoming x outgoing weight norm): ${table}`,
    });

    const batchSize = noise ? batchForNoise(noise.bSimple, info.batchSize, o.maxBatch) : info.batchSize;
    const widthRatio = totalWidth / best.hidden.reduce((a, b) => a + b, 0);
    const learningRate = learningRateAfterSizing(info.learningRate, batchSize / info.batchSize, widthRatio, config.train.optimizer);
    if (noise) {
      log({
        time: Date.now(),
        step: info.stepsDone,
        what: batchSize === info.batchSize ? `batch size kept at ${batchSize}` : `batch size ${info.batchSize} -> ${batchSize}`,
        why:
          noise.bSimple === null
            ? 'the gradient noise scale could not be estimated from the probe batches'
            : `the gradient noise scale B_simple is about ${Math.round(noise.bSimple)} examples (McCandlish et al. 2018): batches up to it learn nearly as much per example in fewer, cheaper steps (at most ${o.maxBatch})`,
      });
    }
    if (learningRate !== info.learningRate) {
      log({
        time: Date.now(),
        step: info.stepsDone,
        what: `learning rate ${info.learningRate.toPrecision(3)} -> ${learningRate.toPrecision(3)}`,
        why: config.train.optimizer === 'adam' ? 'Adam: square root of the batch ratio, times the width ratio (a narrower model takes larger steps)' : 'linear in the batch ratio (SGD)',
      });
    }
    neuronWeights = null;
    if (!chosen && batchSize === info.batchSize) return null;
    return { ...(chosen ? { model: chosen as tf.Sequential } : {}), batchSize, learningRate };
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
    coefficient = decision.penalty;
    if (decision.batchSize !== info.batchSize) change.batchSize = decision.batchSize;
    if (decision.learningRate !== info.learningRate) change.learningRate = decision.learningRate;
    for (const entry of decision.log) log({ time: Date.now(), step: info.stepsDone, what: entry.what, why: entry.why });
    return change;
  };
  const structureAtStep = o.shrinkAfter > 0 && !shrunk ? Math.max(1, Math.round(o.shrinkAfter * stepsPerEpoch)) : undefined;
  return { penalty, onEpochEnd, onStructure, ...(structureAtStep === undefined ? {} : { structureAtStep }) };
}
