import { describe, expect, it } from 'vitest';
import { exampleCount, splitDataset } from './dataset';
import { DatasetFormatError, datasetFromImageFile, decodeDatasetFile, encodeDatasetFile } from './format';
import { deriveSeed, mulberry32, permutation } from './prng';
import { syntheticDataset } from './synthetic';

const tiny = () =>
  encodeDatasetFile({ rows: 2, cols: 2, channels: 1, numClasses: 3, pixels: Uint8Array.from([0, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), labels: Uint8Array.from([0, 1, 2]) });

describe('dataset file format', () => {
  it('round-trips pixels and labels', () => {
    const file = decodeDatasetFile(tiny(), 'tiny.bin');
    expect(file).toMatchObject({ rows: 2, cols: 2, channels: 1, numClasses: 3 });
    expect(Array.from(file.labels)).toEqual([0, 1, 2]);
    const d = datasetFromImageFile(file, 'tiny');
    expect(d.x[1]).toBe(1);
    expect(d.inputShape).toEqual([2, 2, 1]);
  });

  it.each([
    ['a truncated file', (b: Uint8Array) => b.subarray(0, b.length - 1), /truncated/],
    ['a header-only fragment', (b: Uint8Array) => b.subarray(0, 10), /shorter than the 16-byte header/],
    ['an HTML page', () => new TextEncoder().encode('<!doctype html><html>not found</html>'), /does not start with "CATD"/],
    ['trailing bytes', (b: Uint8Array) => Uint8Array.from([...b, 0]), /unexpected bytes/],
    ['a label out of range', (b: Uint8Array) => { const c = b.slice(); c[c.length - 1] = 9; return c; }, /label 9/],
    ['another version', (b: Uint8Array) => { const c = b.slice(); c[4] = 7; return c; }, /version 7/],
  ])('rejects %s with a clear message', (_name, corrupt, message) => {
    expect(() => decodeDatasetFile(corrupt(tiny()), 'x.bin')).toThrow(DatasetFormatError);
    expect(() => decodeDatasetFile(corrupt(tiny()), 'x.bin')).toThrow(message);
  });
});

describe('seeded randomness', () => {
  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const sa = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(sa);
    expect([c(), c(), c()]).not.toEqual(sa);
  });

  it('derives distinct non-zero seeds per purpose', () => {
    const seeds = new Set(['split', 'shuffle', 'layer-0', 'layer-1'].map((p) => deriveSeed(42, p)));
    expect(seeds.size).toBe(4);
    for (const s of seeds) expect(s).toBeGreaterThan(0);
    expect(deriveSeed(42, 'split')).toBe(deriveSeed(42, 'split'));
  });

  it('permutes every index exactly once', () => {
    const p = Array.from(permutation(100, mulberry32(1)));
    expect([...p].sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
  });
});

describe('synthetic datasets and split', () => {
  it.each(['spiral', 'circles', 'xor', 'blobs'] as const)('generates %s reproducibly with every class present', (id) => {
    const a = syntheticDataset(id, 300, 0.1, 5);
    const b = syntheticDataset(id, 300, 0.1, 5);
    expect(a.x).toEqual(b.x);
    expect(new Set(a.y).size).toBe(a.numClasses);
    expect(syntheticDataset(id, 300, 0.1, 6).x).not.toEqual(a.x);
  });

  it('splits by seed into disjoint parts of the asked size', () => {
    const d = syntheticDataset('xor', 500, 0, 1);
    const s1 = splitDataset(d, 0.2, 3);
    const s2 = splitDataset(d, 0.2, 3);
    expect(exampleCount(s1.test)).toBe(100);
    expect(exampleCount(s1.train)).toBe(400);
    expect(s1.test.x).toEqual(s2.test.x);
    expect(splitDataset(d, 0.2, 4).test.x).not.toEqual(s1.test.x);
  });
});
