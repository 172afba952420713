/**
 * The two ways a batch reaches a step (issue 16 part 2): copied from the host's rows on wasm and
 * cpu, gathered on the device elsewhere. Both must give the same tensors, so a run's curve does
 * not depend on which one its backend takes.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitDataset } from '../src/core/data/dataset';
import { syntheticDataset } from '../src/core/data/synthetic';
import { buildModel, buildOptimizer } from './model';
import { defaultConfig } from '../src/core/config/schema';
import { crossEntropyLoss, disposeDevice, disposeOrder, epochOrder, evaluateOn, rowsOf, toDevice, trainStep } from './train-step';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = splitDataset(syntheticDataset('spiral', 300, 0.1, 5), 0.2, 5);

describe('batches from the host and from the device', () => {
  it('copies the same rows, one-hot targets and labels as a slice of the device tensors', async () => {
    const host = toDevice(data.test, true);
    const device = toDevice(data.test, false);
    expect(host.host).not.toBeNull();
    expect(device.host).toBeNull();
    const a = rowsOf(host, 7, 20);
    const b = rowsOf(device, 7, 20);
    for (const key of ['x', 'oneHot', 'labels'] as const) {
      expect(a[key].shape).toEqual(b[key].shape);
      expect(Array.from(await a[key].data())).toEqual(Array.from(await b[key].data()));
    }
    tf.dispose([a.x, a.oneHot, a.labels, b.x, b.oneHot, b.labels]);
    const model = buildModel(defaultConfig(), data.test.inputShape, data.test.numClasses);
    expect(await evaluateOn(model, host)).toEqual(await evaluateOn(model, device));
    model.dispose();
    disposeDevice(host);
    disposeDevice(device);
  });

  it('trains the same weights either way, and leaves no tensor behind', async () => {
    const config = { ...defaultConfig(), model: { ...defaultConfig().model, hidden: [8] } };
    const weightsAfter = async (hostRows: boolean) => {
      const model = buildModel(config, data.train.inputShape, data.train.numClasses);
      model.setWeights(model.getWeights().map((w) => tf.onesLike(w).mul(0.01)));
      const optimizer = buildOptimizer(config);
      const train = toDevice(data.train, hostRows);
      const order = epochOrder(Int32Array.from([5, 3, 200, 9, 0, 41, 77, 12, 100, 64]), train);
      const trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const counts: number[] = [];
      for (const at of [0, 3, 6]) {
        const { loss, correct } = trainStep(model, optimizer, trainable, crossEntropyLoss, train, order, at, 4 - (at === 6 ? 0 : 1));
        tf.dispose([loss, correct]);
        counts.push(tf.memory().numTensors);
      }
      // Adam makes its slots at the first step; after that a step leaves nothing behind.
      expect(counts[2]).toBe(counts[1]);
      const values = await Promise.all(model.getWeights().map((w) => w.data()));
      disposeOrder(order);
      disposeDevice(train);
      model.dispose();
      optimizer.dispose();
      return values.map((v) => Array.from(v));
    };
    expect(await weightsAfter(true)).toEqual(await weightsAfter(false));
  });
});
