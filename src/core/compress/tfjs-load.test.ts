/**
 * Integration: files written by this module load in plain @tensorflow/tfjs with no code of ours,
 * and the loaded model computes what the lab's decoded weights say it will.
 * (tfjs is imported here only; the module itself never imports it.)
 */
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExportZip, readExportZip } from './archive';
import { applyMask, magnitudeMask } from './masks';
import { writeLayersModel, type NamedWeight, type WeightPrecision } from './manifest';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Topology and weights as the worker gets them: model.save through a save handler. */
async function saveArtifacts(model: tf.LayersModel): Promise<{ topology: Record<string, unknown>; weights: NamedWeight[] }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  if (!artifacts?.weightSpecs || !artifacts.weightData) throw new Error('save produced no weights');
  const tensors = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  const weights = artifacts.weightSpecs.map((spec) => ({
    name: spec.name,
    shape: spec.shape,
    values: tensors[spec.name]!.dataSync() as Float32Array,
  }));
  return { topology: artifacts.modelTopology as Record<string, unknown>, weights };
}

/** Loads through tf.io.http with a fetch that serves the unzipped files: what a browser hosting them does. */
async function loadOverHttp(zip: Uint8Array): Promise<tf.LayersModel> {
  const files = unzipSync(zip);
  const fetchFunc = async (input: RequestInfo | URL): Promise<Response> => {
    const name = String(input).replace('https://models.invalid/export/', '');
    const body = files[name];
    return body ? new Response(body) : new Response('not found', { status: 404 });
  };
  return tf.loadLayersModel(tf.io.http('https://models.invalid/export/model.json', { fetchFunc: fetchFunc as typeof fetch }));
}

/** Loads through this module's own import path, then tf.io.fromMemory. */
async function loadFromMemory(zip: Uint8Array): Promise<tf.LayersModel> {
  const { model } = readExportZip(zip);
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: model.modelJson.modelTopology,
    weightSpecs: [...model.weightSpecs] as tf.io.WeightsManifestEntry[],
    weightData: model.weightData,
  }));
}

function prune(weights: NamedWeight[], sparsity: number): NamedWeight[] {
  return weights.map((w) => (w.name.endsWith('kernel') ? { ...w, values: applyMask(w.values, magnitudeMask(w.values, sparsity).mask) } : w));
}

function predict(model: tf.LayersModel, x: tf.Tensor): Float32Array {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
}

/** The original model with the decoded weights set: the reference the loaded file must match. */
function withWeights(model: tf.LayersModel, weights: readonly NamedWeight[]): tf.LayersModel {
  model.setWeights(weights.map((w) => tf.tensor(w.values, [...w.shape])));
  return model;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

const glorot = (seed: number) => tf.initializers.glorotUniform({ seed });
const smallNormal = (seed: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.1, seed });

function denseModel(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [20], units: 32, activation: 'relu', kernelInitializer: glorot(1), biasInitializer: smallNormal(2) }),
      tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: glorot(3), biasInitializer: smallNormal(4) }),
      tf.layers.dense({ units: 5, activation: 'softmax', kernelInitializer: glorot(5), biasInitializer: smallNormal(6) }),
    ],
  });
}

function convModel(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: glorot(7), biasInitializer: smallNormal(8) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: glorot(9) }),
    ],
  });
}

const precisions: [string, WeightPrecision | ((w: NamedWeight) => WeightPrecision)][] = [
  ['uint8', 'uint8'],
  ['float16', 'float16'],
  ['uint8 kernels, float32 biases', (w) => (w.name.endsWith('kernel') ? 'uint8' : 'float32')],
];

describe('an exported Dense model loads in plain tfjs', () => {
  const x = tf.randomUniform([64, 20], -1, 1, 'float32', 10);

  for (const [label, precision] of precisions) {
    it(`decodes ${label} weights to exactly the lab's decoded values and predicts the same`, async () => {
      const source = denseModel();
      const { topology, weights } = await saveArtifacts(source);
      const original = predict(source, x);
      const files = writeLayersModel(topology, prune(weights, 0.8), { precision, generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}` });
      const zip = buildExportZip({ model: files, metadataJson: '{}', runCsv: 'step,loss\n' });

      const reference = predict(withWeights(source, files.decoded), x);
      for (const loaded of [await loadOverHttp(zip), await loadFromMemory(zip)]) {
        const loadedWeights = loaded.getWeights().map((t) => t.dataSync());
        expect(loadedWeights).toEqual(files.decoded.map((w) => w.values));
        expect(maxAbsDiff(predict(loaded, x), reference)).toBeLessThan(1e-6);
        loaded.dispose();
      }
      // Pruned zeros are still zero after tfjs dequantizes them.
      const kernel = files.decoded[0]!.values;
      expect(kernel.filter((v) => v === 0).length).toBeGreaterThanOrEqual(Math.round(0.8 * kernel.length));
      // And compression moved the outputs only a little from the unpruned float32 model.
      expect(maxAbsDiff(reference, original)).toBeLessThan(0.5);
      source.dispose();
    });
  }
});

describe('an exported Conv2D model loads in plain tfjs', () => {
  it('loads uint8 conv kernels [h, w, in, out] and predicts like the decoded reference', async () => {
    const source = convModel();
    const { topology, weights } = await saveArtifacts(source);
    expect(weights[0]!.shape).toEqual([3, 3, 1, 4]);
    const files = writeLayersModel(topology, prune(weights, 0.5), { precision: 'uint8' });
    const zip = buildExportZip({ model: files, metadataJson: '{}', runCsv: '' });
    const x = tf.randomUniform([8, 8, 8, 1], 0, 1, 'float32', 11);
    const reference = predict(withWeights(source, files.decoded), x);
    const loaded = await loadOverHttp(zip);
    expect(maxAbsDiff(predict(loaded, x), reference)).toBeLessThan(1e-6);
    loaded.dispose();
    source.dispose();
  });
});
