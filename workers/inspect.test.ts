import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/core/config/schema';
import { splitDataset, type Dataset } from '../src/core/data/dataset';
import { syntheticDataset } from '../src/core/data/synthetic';
import { buildModel } from './model';
import { DIGITS_PER_CELL, modelSnapshot, snapshotBuffers } from './inspect';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

/** Tiny 4 x 4 grey "images" of two classes: the class is which half of the image is inked. */
function tinyImages(n: number): Dataset {
  const x = new Float32Array(n * 16);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let p = 0; p < 16; p++) x[i * 16 + p] = (p < 8) === (i % 2 === 0) ? 0.9 : 0.05 * (p % 3);
  }
  return { name: 'tiny', inputShape: [4, 4, 1], numClasses: 2, x, y };
}

describe('a snapshot of a 2-D model', () => {
  const data = splitDataset(syntheticDataset('blobs', 300, 0.1, 3), 0.2, 3);
  const config = defaultConfig();
  config.model.hidden = [8, 4];

  it('holds the grid probabilities, the points and the kernels, leaking no tensor', async () => {
    const model = buildModel(config, data.train.inputShape, data.train.numClasses);
    const before = tf.memory().numTensors;
    const s = await modelSnapshot(model, data, { grid: 16, points: true, confusion: true });
    expect(tf.memory().numTensors).toBe(before);
    const k = data.train.numClasses;
    expect(s.boundary?.probs).toHaveLength(16 * 16 * k);
    // Softmax outputs: each cell's probabilities sum to one.
    expect(Array.from(s.boundary?.probs.subarray(0, k) ?? []).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(s.boundary?.bounds.xMin).toBeLessThan(Math.min(...Array.from(data.train.x.filter((_, i) => i % 2 === 0))));
    expect(s.points?.labels).toHaveLength(data.train.y.length + data.test.y.length);
    expect(s.points?.testFrom).toBe(data.train.y.length);
    expect(s.network.sizes).toEqual([2, 8, 4, k]);
    expect(s.network.kernels.map((w) => w.length)).toEqual([16, 32, 4 * k]);
    // Not image data: no confusion matrix is computed even when asked.
    expect(s.confusion).toBeNull();
    model.dispose();
  });

  it('sends the points only when asked and no grid with grid 0', async () => {
    const model = buildModel(config, data.train.inputShape, data.train.numClasses);
    const s = await modelSnapshot(model, data, { grid: 0, points: false, confusion: false });
    expect(s.points).toBeNull();
    expect(s.boundary).toBeNull();
    model.dispose();
  });

  it('reads pruned weights as zeros, in arrays of their own', async () => {
    const model = buildModel(config, data.train.inputShape, data.train.numClasses);
    const dense = model.layers[0] as tf.layers.Layer;
    const [kernel, bias] = dense.getWeights() as [tf.Tensor, tf.Tensor];
    const pruned = tf.tidy(() => tf.mul(kernel, tf.tensor2d([1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], [2, 8])));
    dense.setWeights([pruned, bias]);
    pruned.dispose();
    const s = await modelSnapshot(model, data, { grid: 4, points: false, confusion: false });
    expect(Array.from(s.network.kernels[0] ?? []).filter((w) => w !== 0)).toHaveLength(4);
    // Transferring the snapshot must not detach the model's own weights (the cpu backend shares its storage).
    const buffers = snapshotBuffers(s);
    expect(new Set(buffers).size).toBe(buffers.length);
    structuredClone(s, { transfer: buffers });
    expect((await (dense.getWeights()[0] as tf.Tensor).data()).length).toBe(16);
    model.dispose();
  });

  it('completes when the model is disposed while its readbacks are pending', async () => {
    const model = buildModel(config, data.train.inputShape, data.train.numClasses);
    const pending = modelSnapshot(model, data, { grid: 8, points: false, confusion: false });
    model.dispose();
    const s = await pending;
    expect(s.network.kernels).toHaveLength(3);
  });
});

describe('a snapshot of an image model', () => {
  const data = splitDataset(tinyImages(200), 0.3, 5);
  const config = defaultConfig();
  config.model.hidden = [6];

  it('holds the test confusion matrix and the digits of its cells', async () => {
    const model = buildModel(config, data.train.inputShape, data.train.numClasses);
    const before = tf.memory().numTensors;
    const s = await modelSnapshot(model, data, { grid: 64, points: true, confusion: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(s.boundary).toBeNull();
    expect(s.points).toBeNull();
    const c = s.confusion;
    expect(Array.from(c?.counts ?? []).reduce((a, b) => a + b, 0)).toBe(data.test.y.length);
    const d = s.digits;
    expect(d?.side).toBe(4);
    // Every example a cell keeps has its pixels, in index order, as 8-bit grey levels.
    const kept = (c?.examples ?? []).flat().sort((a, b) => a - b);
    expect(kept.length).toBeLessThanOrEqual(4 * DIGITS_PER_CELL);
    expect(Array.from(d?.indices ?? [])).toEqual(kept);
    const first = kept[0] as number;
    expect(d?.pixels[0]).toBe(Math.round(255 * (data.test.x[first * 16] as number)));
    // The misclassified ones are the kept examples off the diagonal.
    const wrong = (c?.examples ?? []).flatMap((cell, i) => (i === 0 || i === 3 ? [] : cell)).sort((a, b) => a - b);
    expect(Array.from(d?.misclassified ?? [])).toEqual(wrong);
    model.dispose();
  });
});
