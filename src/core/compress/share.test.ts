import { describe, expect, it } from 'vitest';
import { writeLayersModel } from './manifest';
import { affineParams, dequantizePerTensor, quantizePerTensor } from './quantize';
import { kMeans1d, levelAssignment, quantizeShared, sharedLevels } from './share';

/** A seeded spread of weights around zero, with every third one pruned. */
function weights(n: number): Float32Array {
  let s = 7;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out[i] = i % 3 === 0 ? 0 : (s / 2 ** 31 - 0.5) * 0.4;
  }
  return out;
}

describe('weight sharing on the uint8 grid', () => {
  it('finds the centres of separated clusters', () => {
    const c = kMeans1d(Float32Array.from([-1.01, -0.99, -1, 0.5, 0.51, 0.49, 2, 2.02, 1.98]), 3);
    expect(c[0]).toBeCloseTo(-1, 5);
    expect(c[1]).toBeCloseTo(0.5, 5);
    expect(c[2]).toBeCloseTo(2, 5);
  });

  it('uses at most `levels` nonzero codes, keeps zeros exact, and every code is on the tensor grid', () => {
    const values = weights(3000);
    const shared = quantizeShared(values, 8);
    const plain = quantizePerTensor(values);
    expect(shared.params).toEqual(plain.params);
    expect(shared.params).toEqual(affineParams(Math.min(...values), Math.max(...values)));
    const codes = new Set(shared.q);
    codes.delete(shared.params.zeroPoint);
    expect(codes.size).toBeLessThanOrEqual(8);
    expect(codes.size).toBeGreaterThanOrEqual(6);
    const decoded = dequantizePerTensor(shared);
    values.forEach((v, i) => {
      if (v === 0) expect(decoded[i]).toBe(0);
      else expect(decoded[i]).not.toBe(0);
    });
  });

  it('errs less with more levels', () => {
    const values = weights(3000);
    const error = (decoded: Float32Array) => decoded.reduce((s, d, i) => s + (d - values[i]!) ** 2, 0);
    const e4 = error(dequantizePerTensor(quantizeShared(values, 4)));
    const e16 = error(dequantizePerTensor(quantizeShared(values, 16)));
    expect(e16).toBeLessThan(e4 / 4);
  });

  it('never rounds a small nonzero weight onto zero', () => {
    const values = Float32Array.from([0, 1e-6, -1e-6, 1, -1]);
    const decoded = dequantizePerTensor(quantizeShared(values, 2));
    expect(decoded[0]).toBe(0);
    expect(decoded.slice(1).every((d) => d !== 0)).toBe(true);
  });

  it('shares kernels only, in a standard uint8 manifest, when the writer is asked to', () => {
    const kernel = { name: 'dense_Dense1/kernel', shape: [50, 60], values: weights(3000) };
    const bias = { name: 'dense_Dense1/bias', shape: [60], values: weights(60) };
    const files = writeLayersModel({ class_name: 'Sequential' }, [kernel, bias], { precision: 'uint8', sharedLevels: 4 });
    const [k, b] = files.modelJson.weightsManifest[0]!.weights;
    expect(k?.quantization?.dtype).toBe('uint8');
    expect(new Set(files.weightsBin.subarray(0, 3000)).size).toBeLessThanOrEqual(5);
    expect(b?.quantization?.dtype).toBe('uint8');
    expect(new Set(files.weightsBin.subarray(3000)).size).toBeGreaterThan(5);
  });

  it('keeps weights already on at most `levels` values on exactly those values', () => {
    const values = Float32Array.from([0, -0.3, 0.1, 0.1, 0, 0.45, -0.3, 0.45]);
    expect(sharedLevels(values.filter((v) => v !== 0), 3)).toEqual([Math.fround(-0.3), Math.fround(0.1), Math.fround(0.45)]);
    const decoded = dequantizePerTensor(quantizeShared(values, 3));
    expect(new Set(decoded).size).toBe(4);
    decoded.forEach((v, i) => expect(v).toBeCloseTo(values[i]!, 2));
  });

  it('assigns each weight its nearest level, and pruned weights none', () => {
    expect([...levelAssignment(Float32Array.from([0, -0.29, 0.12, 0.5]), [-0.3, 0.1, 0.45])]).toEqual([-1, 0, 1, 2]);
  });

  it('rejects a bad level count', () => {
    expect(() => kMeans1d(Float32Array.from([1]), 0)).toThrow(RangeError);
  });
});
