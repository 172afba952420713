/**
 * The deployment benchmark under Node: the cpu backend starts, the GPU backends do not and are
 * listed as skipped with their reason, every precision yields a variant and a timed cell, and the
 * worker ends on the backend it started on.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/core/config/schema';
import { splitDataset } from '../src/core/data/dataset';
import { syntheticDataset } from '../src/core/data/synthetic';
import { benchmarkDeployment } from './deploy';
import { buildModel } from './model';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

describe('benchmarkDeployment', () => {
  it('times every precision and batch size on the backends that start, and returns to the training backend', async () => {
    const data = splitDataset(syntheticDataset('blobs', 300, 0.1, 3), 0.2, 3);
    const model = buildModel(defaultConfig(), data.train.inputShape, data.train.numClasses);
    const m = await benchmarkDeployment(model, data.test, { backends: ['webgpu', 'cpu'], batchSizes: [1, 16], cellMs: 20 });
    expect(tf.getBackend()).toBe('cpu');
    expect(m.trainingBackend).toBe('cpu');
    expect(m.skipped.map((s) => s.backend)).toEqual(['webgpu']);
    expect(m.cells).toHaveLength(4 * 2);
    for (const cell of m.cells) {
      expect(cell.backend).toBe('cpu');
      expect(cell.latenciesMs.length).toBeGreaterThanOrEqual(5);
      expect(cell.busyMs).toBeLessThanOrEqual(cell.wallMs + 1e-6);
    }
    expect(m.variants.map((v) => v.precision)).toEqual(['float32', 'float16', 'uint8', 'pruned']);
    const size = (p: string) => m.variants.find((v) => v.precision === p)!.exportBytes;
    expect(size('float16')).toBeLessThan(size('float32'));
    expect(size('uint8')).toBeLessThan(size('float16'));
    for (const v of m.variants) expect(v.accuracy).not.toBeNull();
    expect(m.inputShape).toEqual([2]);
    expect(m.outputSize).toBe(data.train.numClasses);
    model.dispose();
  });
});
