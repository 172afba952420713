import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLink } from '../src/core/config/link';
import { cellEnergyWh } from '../src/core/deploy/table';
import { cpuProfileById, gpuProfileById, ramProfileById } from '../src/core/energy/profiles';
import type { DeviceProfile } from '../src/core/energy/profile-types';
import { syntheticDataset } from '../src/core/data/synthetic';
import { exportModel } from './compress';
import { buildModel } from './model';
import { ExportedModel, predictOne, testExample } from './predict';

const DEVICE: DeviceProfile = {
  gpu: gpuProfileById('gpu-unknown'),
  cpu: cpuProfileById('cpu-desktop-small'),
  ram: ramProfileById('ram-dram'),
  sharing: 'separate',
  logicalCores: 4,
  memoryGB: 8,
};

let model: tf.LayersModel;
beforeAll(async () => {
  await tf.setBackend('cpu');
  const { config } = parseLink('#dataset=blobs&hidden=8&seed=3');
  model = buildModel(config, [2], 3);
});

describe('predictOne', () => {
  it('gives probabilities that sum to 1, their top class, a time and the deployment model energy of that time', async () => {
    const p = await predictOne(model, { input: Float32Array.of(0.6, 0), model: 'trained', device: { profile: DEVICE, pue: 1.2 } });
    expect(p.probabilities).toHaveLength(3);
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(p.probabilities[p.topClass]).toBe(Math.max(...p.probabilities));
    expect(p.ms).toBeGreaterThan(0);
    expect(p.backend).toBe('cpu');
    const expected = cellEnergyWh({ backend: 'cpu', precision: 'float32', batchSize: 1, latenciesMs: [p.ms], wallMs: p.ms, busyMs: p.ms }, DEVICE, 1.2);
    expect(p.energyWh).toEqual(expected);
    expect(p.energyWh?.typical).toBeGreaterThan(0);
  });

  it('gives no energy without a device profile', async () => {
    expect((await predictOne(model, { input: Float32Array.of(0, 0), model: 'trained', device: null })).energyWh).toBeNull();
  });

  it('rejects an input of the wrong shape, saying what the model takes', async () => {
    await expect(predictOne(model, { input: new Float32Array(784), model: 'trained', device: null })).rejects.toThrow('The input has 784 values, but the model takes 2 (shape [2])');
  });

  it('leaves no tensor behind', async () => {
    await predictOne(model, { input: Float32Array.of(0.1, 0.2), model: 'trained', device: null });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await predictOne(model, { input: Float32Array.of(i, -i), model: 'trained', device: null });
    await predictOne(model, { input: Float32Array.of(1), model: 'trained', device: null }).catch(() => undefined);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('ExportedModel', () => {
  it('loads the export once for the same bytes, agrees with the trained model closely at uint8, and frees it', async () => {
    const { zip } = await exportModel(model, { precision: 'uint8' }, {}, '');
    const bytes = () => zip.slice().buffer as ArrayBuffer;
    const exported = new ExportedModel();
    const before = tf.memory().numTensors;
    const first = await exported.of(bytes());
    expect(await exported.of(bytes())).toBe(first);
    const input = Float32Array.of(0.6, 0);
    const q = await predictOne(first, { input, model: 'export', device: null });
    const f = await predictOne(model, { input, model: 'trained', device: null });
    q.probabilities.forEach((p, i) => expect(Math.abs(p - (f.probabilities[i] as number))).toBeLessThan(0.05));
    exported.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names a broken export', async () => {
    await expect(new ExportedModel().of(new Uint8Array([1, 2, 3]).buffer)).rejects.toThrow(/^The exported model cannot be loaded/);
  });
});

describe('testExample', () => {
  it('copies example `index` of the split, wrapping past its end', () => {
    const test = syntheticDataset('blobs', 30, 0.1, 1);
    const e = testExample(test, 31);
    expect(e.index).toBe(1);
    expect(e.count).toBe(30);
    expect(Array.from(new Float32Array(e.input))).toEqual(Array.from(test.x.subarray(2, 4)));
    expect(e.label).toBe(test.y[1]);
  });
});
