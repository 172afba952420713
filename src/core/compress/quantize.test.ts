import { describe, expect, it } from 'vitest';
import {
  affineParams,
  dequantizePerChannel,
  dequantizePerTensor,
  float16Bits,
  float16Value,
  fromFloat16,
  quantizeDequantize,
  quantizePerChannel,
  quantizePerTensor,
  toFloat16,
} from './quantize';
import { mulberry32 as rng } from '../data/prng';


function uniform(n: number, lo: number, hi: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/**
 * The largest amount by which |values[i] - back[i]| exceeds bound(i), allowing on top the
 * float32 rounding of the decoded value; <= 0 when every value is within its bound.
 */
function worstExcess(values: Float32Array, back: Float32Array, bound: (i: number) => number): number {
  let worst = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const slack = Math.abs(values[i]!) * 2 ** -23 + 1e-30;
    worst = Math.max(worst, Math.abs(values[i]! - back[i]!) - bound(i) - slack);
  }
  return worst;
}

describe('float16', () => {
  it('encodes known values to their IEEE 754 binary16 bit patterns', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff], // largest finite half
      [2 ** -14, 0x0400], // smallest normal
      [1023 * 2 ** -24, 0x03ff], // largest subnormal
      [2 ** -24, 0x0001], // smallest subnormal
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
      [1e-10, 0x0000],
      [1e6, 0x7c00],
    ];
    for (const [x, bits] of cases) expect(float16Bits(x), `${x}`).toBe(bits);
  });

  it('rounds halfway cases to even', () => {
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00); // between 0x3c00 and 0x3c01: even is 0x3c00
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // between 0x3c01 and 0x3c02
    expect(float16Bits(65520)).toBe(0x7c00); // halfway between 65504 and 2^16: overflows to Infinity
    expect(float16Bits(65519)).toBe(0x7bff);
    expect(float16Bits(2 ** -25)).toBe(0x0000); // half the smallest subnormal: even is 0
    expect(float16Bits(3 * 2 ** -25)).toBe(0x0002);
    expect(float16Bits(Math.fround(2 ** -25 * (1 + 2 ** -20)))).toBe(0x0001);
  });

  it('keeps NaN as NaN', () => {
    const bits = float16Bits(Number.NaN);
    expect(bits & 0x7c00).toBe(0x7c00);
    expect(bits & 0x3ff).not.toBe(0);
    expect(float16Value(bits)).toBeNaN();
  });

  it('round-trips every non-NaN half bit pattern exactly', () => {
    const mismatches: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = float16Value(bits);
      if (!Number.isNaN(value) && float16Bits(value) !== bits) mismatches.push(bits);
    }
    expect(mismatches).toEqual([]);
  });

  it('picks the nearest half for random float32 values', () => {
    const values = uniform(20_000, -65_000, 65_000, 1);
    const small = uniform(20_000, -1e-4, 1e-4, 2);
    const notNearest: number[] = [];
    for (const v of [...values, ...small]) {
      const bits = float16Bits(v);
      const err = Math.abs(float16Value(bits) - v);
      // The neighbours one step either side are no closer.
      for (const other of [bits - 1, bits + 1]) {
        if (other < 0 || other > 0xffff || (other & 0x7fff) >= 0x7c00) continue;
        if (Math.abs(float16Value(other) - v) < err) notNearest.push(v);
      }
    }
    expect(notNearest).toEqual([]);
  });

  it('encodes and decodes whole arrays', () => {
    const values = Float32Array.of(0, -0, 1.5, -3.25, 1e-7, 70_000);
    const bits = toFloat16(values);
    expect(bits).toBeInstanceOf(Uint16Array);
    expect([...fromFloat16(bits)]).toEqual([0, -0, 1.5, -3.25, float16Value(float16Bits(1e-7)), Infinity]);
  });
});

describe('affineParams', () => {
  it('makes zero exactly representable for any range', () => {
    const r = rng(4);
    for (let i = 0; i < 1000; i++) {
      const lo = -r() * 10 ** (3 * r() - 2);
      const hi = r() * 10 ** (3 * r() - 2);
      const p = affineParams(lo, hi);
      expect(p.zeroPoint).toBe(Math.round(p.zeroPoint));
      expect(p.zeroPoint * p.scale + p.min).toBe(0);
      // The range is covered, so nothing is clipped.
      expect(p.min).toBeLessThanOrEqual(lo * (1 - 1e-12));
      expect(255 * p.scale + p.min).toBeGreaterThanOrEqual(hi * (1 - 1e-12));
      // And nearly all 256 levels are used: at most one level is lost to the zero constraint.
      expect(p.scale).toBeLessThanOrEqual((hi - lo) / 254);
    }
  });

  it('handles one-signed and empty ranges', () => {
    expect(affineParams(0.5, 2)).toEqual({ scale: 2 / 255, min: 0, zeroPoint: 0 });
    const negative = affineParams(-3, -1);
    expect(negative.zeroPoint).toBe(255);
    expect(255 * negative.scale + negative.min).toBe(0);
    expect(affineParams(0, 0)).toEqual({ scale: 1, min: 0, zeroPoint: 0 });
  });

  it('rejects non-finite ranges', () => {
    expect(() => affineParams(-Infinity, 1)).toThrow(RangeError);
    expect(() => affineParams(Number.NaN, 1)).toThrow(RangeError);
  });
});

describe('8-bit per tensor', () => {
  it('stays within scale / 2 of every value', () => {
    for (const [lo, hi, seed] of [[-0.3, 1.7, 1], [-2, 0.01, 2], [0.2, 0.9, 3], [-1e-3, 1e-3, 4]] as const) {
      const values = uniform(10_000, lo, hi, seed);
      const quantized = quantizePerTensor(values);
      const back = dequantizePerTensor(quantized);
      expect(worstExcess(values, back, () => quantized.params.scale / 2)).toBeLessThanOrEqual(0);
    }
  });

  it('keeps pruned zeros exactly zero', () => {
    const values = uniform(5000, -0.37, 1.3, 5);
    for (let i = 0; i < values.length; i += 3) values[i] = 0;
    values[1] = -0;
    const quantized = quantizePerTensor(values);
    const back = dequantizePerTensor(quantized);
    for (let i = 0; i < values.length; i += 3) {
      expect(quantized.q[i]).toBe(quantized.params.zeroPoint);
      expect(back[i]).toBe(0);
    }
    expect(back[1]).toBe(0);
  });

  it('rejects NaN', () => {
    expect(() => quantizePerTensor(Float32Array.of(1, Number.NaN))).toThrow(/NaN/);
  });
});

describe('8-bit per output channel', () => {
  it('quantizes the last axis of a Conv2D kernel [h, w, in, out] with its own range', () => {
    const shape = [3, 3, 2, 4];
    const values = uniform(3 * 3 * 2 * 4, -1, 1, 6);
    // Channel 3 has a range 1000 times smaller than the others.
    for (let i = 3; i < values.length; i += 4) values[i]! /= 1000;
    const quantized = quantizePerChannel(values, shape);
    expect(quantized.channels).toBe(4);
    expect(quantized.params[3]!.scale).toBeLessThan(quantized.params[0]!.scale / 500);
    const back = dequantizePerChannel(quantized);
    expect(worstExcess(values, back, (i) => quantized.params[i % 4]!.scale / 2)).toBeLessThanOrEqual(0);
  });

  it('beats per-tensor error on the narrow columns of a Dense kernel [in, out]', () => {
    const values = uniform(64 * 8, -1, 1, 7);
    // Column c spans about +-2^-c.
    for (let i = 0; i < values.length; i++) values[i]! *= 2 ** -(i % 8);
    const perTensor = quantizeDequantize(values, [64, 8], 'uint8');
    const perChannel = quantizeDequantize(values, [64, 8], 'uint8-per-channel');
    const columnError = (a: Float32Array, c: number) => {
      let sum = 0;
      for (let i = c; i < a.length; i += 8) sum += (a[i]! - values[i]!) ** 2;
      return sum;
    };
    expect(columnError(perChannel, 7)).toBeLessThan(columnError(perTensor, 7) / 1000);
  });

  it('keeps zeros exactly zero in every channel', () => {
    const values = uniform(20 * 6, -0.5, 2, 8);
    for (let i = 0; i < values.length; i += 2) values[i] = 0;
    const back = quantizeDequantize(values, [20, 6], 'uint8-per-channel');
    for (let i = 0; i < values.length; i += 2) expect(back[i]).toBe(0);
  });

  it('rejects a shape that does not match the values', () => {
    expect(() => quantizePerChannel(new Float32Array(10), [3, 3])).toThrow(RangeError);
  });
});

describe('quantizeDequantize', () => {
  it('simulates float16 with half-precision error', () => {
    const values = uniform(1000, -4, 4, 9);
    const back = quantizeDequantize(values, [1000], 'float16');
    expect(worstExcess(values, back, (i) => Math.abs(values[i]!) * 2 ** -11 + 2 ** -25)).toBeLessThanOrEqual(0);
  });
});
