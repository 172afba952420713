/**
 * Compression in the worker, under Node on the cpu backend: pruning holds the scheduled sparsity
 * per layer, the export loads in plain tfjs and computes what the lab evaluated, damaged zips
 * fail clearly, and the tfjs distillation loss is core's reference loss.
 */
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  alwaysZeroFeatures,
  constantSparsity,
  distillationGradient,
  distillationLoss,
  keepCount,
  ModelFileError,
  oneHot,
  readExportZip,
  sparsityAt,
  type LayersModelJson,
} from '../src/core/compress';
import { defaultConfig, type ExperimentConfig } from '../src/core/config/schema';
import { splitDataset, type SplitDataset } from '../src/core/data/dataset';
import { syntheticDataset } from '../src/core/data/synthetic';
import {
  distill,
  distillationLossTf,
  evaluateAccuracy,
  evaluateDecoded,
  exportModel,
  kernelSparsity,
  loadExportZip,
  logitsOf,
  modelWithWeights,
  pruneOneShot,
  prunableKernels,
  maskHook,
  PruningController,
  SharedWeightTraining,
  sharedWeightHook,
  zeroInputRows,
  type AfterStep,
} from './compress';
import { buildModel } from './model';
import { fitModel } from './trainer';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

function configOf(hidden: number[], seed = 5): ExperimentConfig {
  const base = defaultConfig();
  return { ...base, model: { ...base.model, hidden }, train: { ...base.train, learningRate: 0.01, batchSize: 32, seed } };
}

const blobs = (): SplitDataset => splitDataset(syntheticDataset('blobs', 600, 0.1, 3), 0.2, 3);

/** Trains `model` in place through the lab's loop for `epochs` at `config`'s batch size, seeded by `seed`. */
function fit(model: tf.LayersModel, config: ExperimentConfig, data: SplitDataset, epochs: number, seed: number, afterStep?: AfterStep) {
  return fitModel(model, { ...config, train: { ...config.train, epochs, seed } }, data, afterStep ? { hooks: [maskHook(afterStep)] } : {});
}

async function kernelValues(model: tf.LayersModel): Promise<Map<string, Float32Array>> {
  const kernels = prunableKernels(model, { includeOutputLayer: true });
  const values = await Promise.all(kernels.map((k) => k.variable.read().data() as Promise<Float32Array>));
  return new Map(kernels.map((k, i) => [k.variable.originalName, values[i]!]));
}

const zeros = (values: Float32Array) => values.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);

describe('PruningController', () => {
  it('holds exactly the scheduled sparsity per layer, and pruned weights stay zero after further steps', async () => {
    const data = blobs();
    const config = configOf([32, 16]);
    const model = buildModel(config, data.train.inputShape, data.train.numClasses);
    const controller = PruningController.polynomial({ initialSparsity: 0.3, finalSparsity: 0.8, beginStep: 0, endStep: 20, frequency: 5 });
    const pruned = prunableKernels(model).map((k) => k.variable.originalName);
    expect(pruned).toHaveLength(2); // the two hidden kernels; the softmax output layer is left alone
    const updates: number[] = [];
    let masks = new Map<string, Float32Array>();
    const checks: string[] = [];
    await fit(model, config, data, 3, 5, async (m, step) => {
      const update = await controller.afterStep(m, step);
      const values = await kernelValues(m);
      const target = sparsityAt(controller.schedule, update ? step : updates[updates.length - 1]!);
      if (update) {
        updates.push(step);
        masks = new Map(pruned.map((name) => [name, values.get(name)!.map((v) => (v === 0 ? 0 : 1))]));
      }
      for (const name of pruned) {
        const v = values.get(name)!;
        if (zeros(v) !== v.length - keepCount(v.length, target)) checks.push(`${name} at step ${step}: ${zeros(v)} zeros`);
        const mask = masks.get(name)!;
        if (v.some((x, i) => mask[i] === 0 && x !== 0)) checks.push(`${name} at step ${step}: a pruned weight moved`);
      }
    });
    expect(updates).toEqual([0, 5, 10, 15, 20]);
    expect(checks).toEqual([]);
    const report = await controller.sparsityByLayer(model);
    for (const layer of report.layers) expect(layer.zeros).toBe(layer.total - keepCount(layer.total, 0.8));
    // Biases and the output kernel are untouched.
    const all = await kernelSparsity(model);
    expect(all.layers.map((l) => l.name)).toHaveLength(3);
    expect(all.layers[2]!.zeros).toBe(0);
    controller.dispose();
    model.dispose();
  });

  it('prunes the output layer too when asked', async () => {
    const model = buildModel(configOf([8]), [2], 3);
    const controller = PruningController.polynomial({ initialSparsity: 0.5, finalSparsity: 0.5, beginStep: 0, endStep: 0, includeOutputLayer: true });
    await controller.afterStep(model, 0);
    const report = await controller.sparsityByLayer(model);
    expect(report.layers.map((l) => [l.total, l.zeros])).toEqual([[16, 8], [24, 12]]);
    controller.dispose();
    model.dispose();
  });
});

describe('pruning recipes', () => {
  it('holds each kernel at its own target when given layerTarget', async () => {
    const model = buildModel(configOf([8]), [2], 3);
    const last = model.layers[model.layers.length - 1]!.name;
    const controller = new PruningController(constantSparsity({ targetSparsity: 0.75, beginStep: 0, frequency: 1 }), {
      includeOutputLayer: true,
      layerTarget: (name, target) => (name.startsWith(`${last}/`) ? target / 3 : target),
    });
    await controller.afterStep(model, 0);
    expect((await controller.sparsityByLayer(model)).layers.map((l) => l.zeros)).toEqual([12, 6]);
    controller.dispose();
    model.dispose();
  });

  it('zeroes the first kernel rows of always-zero inputs, and training leaves them at zero', async () => {
    const base = blobs();
    // A third input feature that is zero in every example.
    const widen = (d: SplitDataset['train']) => ({ ...d, inputShape: [3], x: Float32Array.from({ length: d.y.length * 3 }, (_, i) => (i % 3 === 2 ? 0 : d.x[(i - (i % 3)) / 3 * 2 + (i % 3)]!)) });
    const data: SplitDataset = { train: widen(base.train), test: widen(base.test) };
    const config = configOf([16]);
    const model = buildModel(config, [3], data.train.numClasses);
    expect(zeroInputRows(model, alwaysZeroFeatures(data.train.x, 3))).toBe(16);
    await fit(model, config, data, 1, 5);
    const kernel = (await kernelValues(model)).values().next().value as Float32Array;
    expect(kernel.subarray(32).every((v) => v === 0)).toBe(true);
    expect(zeros(kernel.subarray(0, 32))).toBe(0);
    model.dispose();
  });
});

describe('trained weight sharing', () => {
  it('keeps at most `levels` distinct nonzero values per kernel while training, and pruned weights at zero', async () => {
    const data = blobs();
    const config = configOf([32]);
    const model = buildModel(config, data.train.inputShape, data.train.numClasses);
    await fit(model, config, data, 2, 5);
    const sharing = sharedWeightHook(4, 0);
    let pruned = new Map<string, Float32Array>();
    await pruneOneShot(model, 0.5, {
      includeOutputLayer: true,
      fineTune: async (afterStep) => {
        pruned = await kernelValues(model);
        await fitModel(model, { ...config, train: { ...config.train, epochs: 2, seed: 6 } }, data, { hooks: [maskHook(afterStep), sharing.hook] });
      },
    });
    sharing.dispose();
    for (const [name, values] of await kernelValues(model)) {
      expect(new Set(values.filter((v) => v !== 0)).size).toBeLessThanOrEqual(4);
      const before = pruned.get(name)!;
      expect(values.every((v, i) => (before[i] === 0) === (v === 0))).toBe(true);
    }
    expect(await evaluateAccuracy(model, data.test)).toBeGreaterThan(0.8);
    model.dispose();
  });

  it('moves the levels during training: the shared values after fine-tuning are not the first clustering', async () => {
    const data = blobs();
    const config = configOf([32]);
    const model = buildModel(config, data.train.inputShape, data.train.numClasses);
    await fit(model, config, data, 1, 5);
    const sharing = await SharedWeightTraining.start(model, 3);
    const first = new Set((await kernelValues(model)).values().next().value as Float32Array);
    await fit(model, config, data, 1, 6, () => sharing.apply());
    const after = new Set((await kernelValues(model)).values().next().value as Float32Array);
    sharing.dispose();
    expect(after.size).toBeLessThanOrEqual(3);
    expect([...after].some((v) => !first.has(v))).toBe(true);
    model.dispose();
  });
});

describe('one-shot pruning', () => {
  it('prunes a trained model to the target and keeps it there through fine-tuning', async () => {
    const data = blobs();
    const config = configOf([32]);
    const model = buildModel(config, data.train.inputShape, data.train.numClasses);
    await fit(model, config, data, 2, 5);
    let fineTuneSteps = 0;
    const report = await pruneOneShot(model, 0.75, {
      fineTune: async (afterStep) => {
        fineTuneSteps = (await fit(model, config, data, 1, 6, afterStep)).metrics.steps;
      },
    });
    expect(fineTuneSteps).toBeGreaterThan(0);
    expect(report.layers).toHaveLength(1);
    expect(report.layers[0]!.zeros).toBe(64 - keepCount(64, 0.75));
    expect(await evaluateAccuracy(model, data.test)).toBeGreaterThan(0.8);
    model.dispose();
  });
});

describe('export', () => {
  let data: SplitDataset;
  let model: tf.LayersModel;

  beforeAll(async () => {
    data = blobs();
    const config = configOf([32]);
    model = buildModel(config, data.train.inputShape, data.train.numClasses);
    await fit(model, config, data, 3, 5);
    await pruneOneShot(model, 0.9, { includeOutputLayer: true });
  });

  /** Unzip and load with nothing but fflate and plain tfjs: what a user of the download does. */
  async function loadPlain(zip: Uint8Array): Promise<tf.LayersModel> {
    const files = unzipSync(zip);
    const json = JSON.parse(strFromU8(files['model.json']!)) as LayersModelJson;
    const group = json.weightsManifest[0]!;
    const bin = files[group.paths[0]!]!;
    return tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology as Record<string, unknown>,
      weightSpecs: group.weights as tf.io.WeightsManifestEntry[],
      weightData: bin.slice().buffer,
    }));
  }

  it.each(['uint8', 'float16', 'float32'] as const)('at %s loads in plain tfjs and predicts what evaluateDecoded evaluates', async (precision) => {
    const exported = await exportModel(model, { precision }, { note: 'test' }, 'step,loss\n0,1\n');
    const loaded = await loadPlain(exported.zip);
    const reference = await modelWithWeights(model, exported.decoded);
    const x = tf.tensor(data.test.x, [data.test.y.length, ...data.test.inputShape]);
    const a = (loaded.predict(x) as tf.Tensor).dataSync() as Float32Array;
    const b = (reference.predict(x) as tf.Tensor).dataSync() as Float32Array;
    const maxDiff = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    expect(maxDiff).toBeLessThanOrEqual(1e-5);
    const labAccuracy = await evaluateDecoded(model, exported.decoded, data.test);
    expect(Math.abs((await evaluateAccuracy(loaded, data.test)) - labAccuracy)).toBeLessThanOrEqual(0.005);
    // Pruned zeros survive quantization: the file's kernels are as sparse as the model's.
    const sparsity = await kernelSparsity(loaded);
    expect(sparsity.overall).toBeCloseTo((await kernelSparsity(model)).overall, 10);
    expect(exported.report.precision).toBe(precision);
    expect(readExportZip(exported.zip).metadataJson).toContain('"note": "test"');
    x.dispose();
    loaded.dispose();
    reference.dispose();
  });

  it('with reordered units, loads in plain tfjs and predicts what the model with the same shared weights predicts', async () => {
    const plain = await exportModel(model, { precision: 'uint8', sharedLevels: 4 }, {}, '');
    const ordered = await exportModel(model, { precision: 'uint8', sharedLevels: 4, orderUnits: true }, {}, '');
    expect(ordered.files.weightsBin).not.toEqual(plain.files.weightsBin);
    const [a, b] = [await loadPlain(plain.zip), await loadPlain(ordered.zip)];
    const x = tf.tensor(data.test.x, [data.test.y.length, ...data.test.inputShape]);
    const pa = (a.predict(x) as tf.Tensor).dataSync() as Float32Array;
    const pb = (b.predict(x) as tf.Tensor).dataSync() as Float32Array;
    expect(pa.reduce((m, v, i) => Math.max(m, Math.abs(v - pb[i]!)), 0)).toBeLessThanOrEqual(1e-5);
    x.dispose();
    a.dispose();
    b.dispose();
  });

  it('reports sizes: uint8 at 90 % sparsity is much smaller gzipped than dense float32', async () => {
    const { report } = await exportModel(model, { precision: 'uint8' }, {}, '');
    expect(report.denseFloat32Bytes).toBe(4 * model.countParams());
    expect(report.weightsBytes).toBe(model.countParams());
    expect(report.gzipBytes).toBeLessThan(report.exportBytes);
    expect(report.ratio).toBeCloseTo(report.denseFloat32Bytes / report.gzipBytes, 10);
  });

  it('gives a clear error for a truncated, corrupted or foreign file', async () => {
    const { zip } = await exportModel(model, { precision: 'uint8' }, {}, '');
    const truncated = zip.slice(0, Math.floor(zip.length / 2));
    await expect(loadExportZip(truncated)).rejects.toThrow(ModelFileError);
    await expect(loadExportZip(truncated)).rejects.toThrow(/truncated|not a zip/i);
    const corrupted = zip.slice();
    corrupted[60] = corrupted[60]! ^ 0xff;
    await expect(loadExportZip(corrupted)).rejects.toThrow(ModelFileError);
    await expect(loadExportZip(new TextEncoder().encode('not a zip at all'))).rejects.toThrow(ModelFileError);
    const good = await loadExportZip(zip);
    expect(good.countParams()).toBe(model.countParams());
    good.dispose();
  });
});

describe('distillation', () => {
  const batch = () => {
    const rows = 6;
    const classes = 4;
    const studentLogits = Float32Array.from({ length: rows * classes }, (_, i) => Math.sin(i * 1.7) * 3);
    const teacherLogits = Float32Array.from({ length: rows * classes }, (_, i) => Math.cos(i * 0.9) * 5);
    const targets = oneHot([0, 3, 1, 2, 2, 0], classes);
    return { rows, classes, studentLogits, teacherLogits, targets };
  };

  it.each([[1, 0.5], [4, 0.1], [10, 0], [2, 1]])('matches core\'s reference loss and gradient at T=%d, alpha=%d', (temperature, alpha) => {
    const b = batch();
    const reference = distillationLoss({ ...b, numClasses: b.classes, temperature, alpha });
    const z = tf.tensor2d(b.studentLogits, [b.rows, b.classes]);
    const v = tf.tensor2d(b.teacherLogits, [b.rows, b.classes]);
    const y = tf.tensor2d(b.targets, [b.rows, b.classes]);
    const loss = distillationLossTf(z, v, y, temperature, alpha);
    expect(loss.total.dataSync()[0]).toBeCloseTo(reference.total, 5);
    expect(loss.hard.dataSync()[0]).toBeCloseTo(reference.hard, 5);
    expect(loss.soft.dataSync()[0]).toBeCloseTo(reference.soft, 5);
    const grad = tf.grad((logits: tf.Tensor) => distillationLossTf(logits as tf.Tensor2D, v, y, temperature, alpha).total)(z).dataSync();
    const expected = distillationGradient({ ...b, numClasses: b.classes, temperature, alpha });
    expected.forEach((g, i) => expect(grad[i]).toBeCloseTo(g, 5));
    tf.dispose([z, v, y, loss.total, loss.hard, loss.soft]);
  });

  it('takes logits before the softmax: softmax(logits) is the model output', () => {
    const model = buildModel(configOf([8]), [2], 3);
    const x = tf.randomUniform([5, 2], -1, 1, 'float32', 9);
    const probs = (model.predict(x) as tf.Tensor).dataSync();
    const fromLogits = tf.softmax(logitsOf(model, x)).dataSync();
    fromLogits.forEach((p, i) => expect(p).toBeCloseTo(probs[i]!, 6));
    x.dispose();
    model.dispose();
  });

  it('trains a smaller student that learns from the teacher', async () => {
    const data = blobs();
    const config = configOf([32, 32]);
    const teacher = buildModel(config, data.train.inputShape, data.train.numClasses);
    await fit(teacher, config, data, 3, 5);
    const result = await distill(teacher, configOf([8]), data, { temperature: 4, alpha: 0.1, epochs: 10, batchSize: 32, seed: 8 });
    expect(result.studentParams).toBeLessThan(result.teacherParams);
    expect(result.studentAccuracy).toBeGreaterThan(0.8);
    expect(result.epochLosses[result.epochLosses.length - 1]).toBeLessThan(result.epochLosses[0]!);
    result.student.dispose();
    teacher.dispose();
  });
});
