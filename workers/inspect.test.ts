import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/core/config/schema';
import { splitDataset } from '../src/core/data/dataset';
import { syntheticDataset } from '../src/core/data/synthetic';
import { boundsOf } from '../src/core/inspect/boundary';
import { buildModel } from './model';
import { boundaryProbabilities, denseKernels, testConfusion } from './inspect';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

describe('inspecting the model', () => {
  const data = splitDataset(syntheticDataset('blobs', 300, 0.1, 3), 0.2, 3);
  const config = defaultConfig();
  config.model.hidden = [8, 4];

  it('predicts a probability per class on every grid cell, leaking no tensor', async () => {
    const model = buildModel(config, data.train.inputShape, data.train.numClasses);
    const before = tf.memory().numTensors;
    const probs = await boundaryProbabilities(model, boundsOf(data.train.x), 16);
    expect(probs).toHaveLength(16 * 16 * data.train.numClasses);
    expect(probs[0]! + probs[1]! + (data.train.numClasses > 2 ? probs[2]! : 0)).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads the dense kernels with the sizes they connect', async () => {
    const model = buildModel(config, data.train.inputShape, data.train.numClasses);
    const { sizes, kernels } = await denseKernels(model);
    expect(sizes).toEqual([2, 8, 4, data.train.numClasses]);
    expect(kernels.map((k) => k.length)).toEqual([16, 32, 4 * data.train.numClasses]);
  });

  it('builds the confusion matrix of the whole test split', async () => {
    const model = buildModel(config, data.train.inputShape, data.train.numClasses);
    const c = await testConfusion(model, data.test);
    const total = Array.from(c.counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(data.test.y.length);
  });
});
