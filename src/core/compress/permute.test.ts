import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeLayersModel, type NamedWeight } from './manifest';
import { orderUnitsForGzip, permutableDensePairs, permuteUnits, unitOrder } from './permute';

const layer = (className: string, name: string) => ({ class_name: className, config: { name } });
const sequential = (...layers: { class_name: string; config: { name: string } }[]) => ({ class_name: 'Sequential', config: { name: 'm', layers } });
const mlp = sequential(layer('Flatten', 'f'), layer('Dense', 'd1'), layer('Dropout', 'drop'), layer('Dense', 'd2'));

/** A seeded stream in [0, 1). */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** The group of column c: 6 columns in each of 4 groups, in a fixed shuffled order. */
const GROUP = [2, 0, 3, 1, 1, 2, 0, 0, 3, 2, 1, 3, 0, 2, 2, 3, 1, 0, 3, 1, 2, 0, 1, 3];

/** A 784-24-10 MLP whose first kernel's columns come in 4 groups with their own nonzero rows, the groups mixed. */
function sparseMlp(): NamedWeight[] {
  const [inputs, units, classes] = [784, 24, 10];
  const next = random(3);
  const k1 = new Float32Array(inputs * units);
  for (let r = 0; r < inputs; r++) {
    for (let c = 0; c < units; c++) if (Math.floor(r / 196) === GROUP[c] && next() < 0.3) k1[r * units + c] = next() < 0.5 ? -0.2 : 0.2;
  }
  return [
    { name: 'd1/kernel', shape: [inputs, units], values: k1 },
    { name: 'd1/bias', shape: [units], values: Float32Array.from({ length: units }, () => next() - 0.5) },
    { name: 'd2/kernel', shape: [units, classes], values: Float32Array.from({ length: units * classes }, () => next() - 0.5) },
    { name: 'd2/bias', shape: [classes], values: Float32Array.from({ length: classes }, () => next() - 0.5) },
  ];
}

/** relu(x W1 + b1) W2 + b2 for one input row. */
function forward(weights: readonly NamedWeight[], x: Float32Array): number[] {
  const get = (name: string) => weights.find((w) => w.name === name)!;
  const [k1, b1, k2, b2] = [get('d1/kernel'), get('d1/bias'), get('d2/kernel'), get('d2/bias')];
  const [inputs, units] = k1.shape as [number, number];
  const classes = k2.shape[1]!;
  const h = Array.from({ length: units }, (_, j) => {
    let s = b1.values[j]!;
    for (let i = 0; i < inputs; i++) s += x[i]! * k1.values[i * units + j]!;
    return Math.max(0, s);
  });
  return Array.from({ length: classes }, (_, k) => h.reduce((s, v, j) => s + v * k2.values[j * classes + k]!, b2.values[k]!));
}

describe('reordering hidden units', () => {
  it('finds the Dense layers whose units may move: followed by a Dense layer past element-wise layers only', () => {
    expect(permutableDensePairs(mlp)).toEqual([['d1', 'd2']]);
    expect(permutableDensePairs(sequential(layer('Dense', 'a'), layer('BatchNormalization', 'bn'), layer('Dense', 'b')))).toEqual([]);
    expect(permutableDensePairs({ class_name: 'Model', config: { layers: [] } })).toEqual([]);
  });

  it('gives a permutation of the columns', () => {
    const k1 = sparseMlp()[0]!;
    const order = unitOrder(k1.values, 784, 24);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('puts columns with nonzeros in the same rows side by side', () => {
    const order = unitOrder(sparseMlp()[0]!.values, 784, 24);
    const groupChanges = order.slice(1).filter((c, i) => GROUP[c] !== GROUP[order[i]!]).length;
    expect(groupChanges).toBe(3);
  });

  it('leaves the function of the network unchanged', () => {
    const weights = sparseMlp();
    const order = unitOrder(weights[0]!.values, 784, 24);
    const permuted = permuteUnits(weights, 'd1', 'd2', order);
    const next = random(11);
    for (let t = 0; t < 3; t++) {
      const x = Float32Array.from({ length: 784 }, () => next());
      const [a, b] = [forward(weights, x), forward(permuted, x)];
      b.forEach((v, k) => expect(v).toBeCloseTo(a[k]!, 4));
    }
  });

  it('makes a sparse file gzip smaller, and the writer applies it only when asked', () => {
    const weights = sparseMlp();
    const plain = writeLayersModel(mlp, weights, { precision: 'uint8', sharedLevels: 4 });
    const ordered = writeLayersModel(mlp, weights, { precision: 'uint8', sharedLevels: 4, orderUnits: true });
    expect(gzipSync(ordered.weightsBin, { level: 6 }).length).toBeLessThan(gzipSync(plain.weightsBin, { level: 6 }).length);
    expect(plain.decoded[0]!.values).not.toEqual(ordered.decoded[0]!.values);
    expect(orderUnitsForGzip(sequential(layer('Conv2D', 'c')), weights)).toEqual(weights);
  });
});
