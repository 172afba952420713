import { describe, expect, it } from 'vitest';
import { digitFromImage, inkFromImage, inputKind, inputProblem, parseRow, topClass, valuesIn } from './input';

/** An RGBA image of `w` x `h` filled with `background`, with the pixels `inked` set to `ink` (gray levels 0..255). */
function image(w: number, h: number, background: number, ink: number, inked: (x: number, y: number) => boolean): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = inked(x, y) ? ink : background;
      rgba.set([v, v, v, 255], (y * w + x) * 4);
    }
  }
  return rgba;
}

const bar = (x: number) => x >= 40 && x < 50;

describe('inputKind', () => {
  it.each([
    [[28, 28, 1], 'mnist', 'digit'],
    [[28, 28, 1], 'own-images', 'image'],
    [[32, 32, 3], 'mnist', 'image'],
    [[2], 'blobs', 'row'],
    [[7], 'table', 'row'],
  ] as const)('shape %j of %s is collected as a %s', (shape, dataset, kind) => {
    expect(inputKind(shape, dataset)).toBe(kind);
  });
});

describe('inputProblem', () => {
  it('accepts an input of the shape', () => {
    expect(valuesIn([28, 28, 1])).toBe(784);
    expect(inputProblem(new Float32Array(784), [28, 28, 1])).toBeNull();
  });
  it('names the count when the shape does not fit', () => {
    expect(inputProblem(new Float32Array(3), [2])).toBe('The input has 3 values, but the model takes 2 (shape [2]); nothing was classified.');
  });
  it('names the first value that is not finite', () => {
    expect(inputProblem(Float32Array.of(1, Number.NaN), [2])).toMatch(/^Value 2 of the input is NaN/);
  });
});

describe('parseRow', () => {
  it('reads numbers, a decimal comma as a point', () => {
    const row = parseRow(['0.6', '-0,25'], ['x', 'y']);
    expect('values' in row && Array.from(row.values)).toEqual([Math.fround(0.6), -0.25]);
  });
  it('names an empty field', () => {
    expect(parseRow(['1', ' '], ['x', 'y'])).toEqual({ error: 'y is empty: type a number; nothing was classified.' });
  });
  it('names a field that is not a number', () => {
    expect(parseRow(['abc', '1'], ['x', 'y'])).toEqual({ error: 'x is "abc", not a number; nothing was classified.' });
    expect(parseRow(['1,2,3', '1'], ['x', 'y'])).toEqual({ error: 'x is "1,2,3", not a number; nothing was classified.' });
  });
});

describe('topClass', () => {
  it('is the largest probability, the first on a tie', () => {
    expect(topClass([0.1, 0.7, 0.2])).toBe(1);
    expect(topClass([0.5, 0.5])).toBe(0);
    expect(topClass([])).toBe(-1);
  });
});

describe('inkFromImage', () => {
  it('reads dark strokes on grey paper as ink and the paper as none', () => {
    const ink = inkFromImage(image(100, 100, 200, 20, bar), 100, 100);
    expect(ink[50 * 100 + 45]).toBeCloseTo(1, 5);
    expect(ink[50 * 100 + 10]).toBe(0);
  });
  it('reads light strokes on black (an MNIST-style image) as ink', () => {
    const ink = inkFromImage(image(100, 100, 0, 255, bar), 100, 100);
    expect(ink[50 * 100 + 45]).toBeCloseTo(1, 5);
    expect(ink[50 * 100 + 10]).toBe(0);
  });
  it('gives no ink for a blank image', () => {
    expect(digitFromImage(image(50, 50, 230, 230, () => false), 50, 50)).toBeNull();
  });
  it('turns a photo of a bar into a centred 28x28 digit with the same polarity either way', () => {
    const light = digitFromImage(image(100, 100, 220, 30, bar), 100, 100);
    const dark = digitFromImage(image(100, 100, 10, 240, bar), 100, 100);
    expect(light).not.toBeNull();
    expect(Array.from(dark ?? [])).toEqual(Array.from(light ?? []));
    // A vertical bar fills the 20-pixel box's height, in the middle columns.
    const column = (x: number) => Array.from({ length: 28 }, (_, y) => light?.[y * 28 + x] ?? 0).reduce((a, b) => a + b, 0);
    expect(column(14)).toBeGreaterThan(15);
    expect(column(3)).toBe(0);
  });
});
