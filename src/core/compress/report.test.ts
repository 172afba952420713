import { gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { applyMask, layerMasks } from './masks';
import { writeLayersModel, type NamedWeight } from './manifest';
import { compressionSizes } from './report';
import { mulberry32 as rng } from '../data/prng';


/** An MLP shaped like the MNIST one (784-300-100-10), Gaussian-ish random weights. */
function mnistShapedWeights(): NamedWeight[] {
  const r = rng(11);
  const normal = () => (r() + r() + r() + r() - 2) * 0.05;
  const layers: [string, number[]][] = [
    ['dense_Dense1/kernel', [784, 300]], ['dense_Dense1/bias', [300]],
    ['dense_Dense2/kernel', [300, 100]], ['dense_Dense2/bias', [100]],
    ['dense_Dense3/kernel', [100, 10]], ['dense_Dense3/bias', [10]],
  ];
  return layers.map(([name, shape]) => ({ name, shape, values: Float32Array.from({ length: shape.reduce((a, b) => a * b) }, normal) }));
}

const topology = { class_name: 'Sequential', config: { name: 'mlp', layers: [] } };

describe('compressionSizes', () => {
  it('adds up the file sizes and gzips each file', () => {
    const files = writeLayersModel(topology, [{ name: 'w', shape: [100], values: new Float32Array(100) }], { precision: 'uint8' });
    const sizes = compressionSizes(files);
    expect(sizes.denseFloat32Bytes).toBe(400);
    expect(sizes.weightsBytes).toBe(100);
    expect(sizes.modelJsonBytes).toBe(strToU8(files.modelJsonText).length);
    expect(sizes.exportBytes).toBe(sizes.modelJsonBytes + 100);
    expect(sizes.gzipBytes).toBe(gzipSync(strToU8(files.modelJsonText), { level: 6 }).length + gzipSync(files.weightsBin, { level: 6 }).length);
    expect(sizes.ratio).toBeCloseTo(400 / sizes.gzipBytes, 12);
  });

  it('shows a 90%-sparse 8-bit MNIST-sized MLP gzipping over 10x smaller than float32', () => {
    const weights = mnistShapedWeights();
    const kernels = weights.filter((w) => w.name.endsWith('kernel'));
    const masks = layerMasks(kernels, 0.9);
    const pruned = weights.map((w) => {
      const m = masks.find((x) => x.name === w.name);
      return m ? { ...w, values: applyMask(w.values, m.mask) } : w;
    });
    const sizes = compressionSizes(writeLayersModel(topology, pruned, { precision: (w) => (w.name.endsWith('kernel') ? 'uint8' : 'float32') }));
    expect(sizes.denseFloat32Bytes).toBe(4 * (784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10));
    expect(sizes.ratio).toBeGreaterThan(10);
    // Without pruning, 8-bit alone is about 4x: the sparsity is what gzip feeds on.
    const dense = compressionSizes(writeLayersModel(topology, weights, { precision: 'uint8' }));
    expect(dense.ratio).toBeLessThan(5);
  });
});
