/**
 * Weight sharing on the uint8 affine grid: the nonzero weights of a tensor are clustered into a
 * few levels (1-D k-means, linear initialisation, as in Deep Compression: Han, Mao and Dally,
 * ICLR 2016, section 3), and each level is snapped to the tensor's 8-bit affine grid. The file
 * then holds standard uint8 quantization (`value = q * scale + min`) that plain tfjs decodes, but
 * only `levels` distinct nonzero bytes, which gzip's Huffman stage codes in a few bits each.
 * Zeros stay exactly zero (pruned weights remain pruned). Pure.
 */
import { affineParams, quantizeValue, type QuantizedTensor } from './quantize';

/** Lloyd iterations; 1-D k-means on a few levels settles well before this. */
const ITERATIONS = 30;

/** Centroids of 1-D k-means over `values` with `k` clusters, initialised evenly between min and max. */
export function kMeans1d(values: Float32Array, k: number): number[] {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`k must be a whole number >= 1, got ${k}`);
  if (values.length === 0) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const centroids = Array.from({ length: k }, (_, i) => (k === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (k - 1)));
  const sums = new Float64Array(k);
  const counts = new Uint32Array(k);
  for (let it = 0; it < ITERATIONS; it++) {
    sums.fill(0);
    counts.fill(0);
    for (const v of values) {
      const c = nearest(centroids, v);
      sums[c]! += v;
      counts[c]! += 1;
    }
    let moved = false;
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue; // An empty cluster keeps its place.
      const next = sums[c]! / counts[c]!;
      if (next !== centroids[c]) moved = true;
      centroids[c] = next;
    }
    if (!moved) break;
  }
  return centroids;
}

/**
 * The levels to share `nonzero` weights on: the distinct values themselves when there are at
 * most `levels` of them (weights already shared while training keep exactly their levels), else
 * the `kMeans1d` centroids.
 */
export function sharedLevels(nonzero: Float32Array, levels: number): number[] {
  const distinct = new Set<number>();
  for (const v of nonzero) {
    distinct.add(v);
    if (distinct.size > levels) return kMeans1d(nonzero, levels);
  }
  return [...distinct].sort((a, b) => a - b);
}

/** For each weight, the index of its nearest level in `levels`, or -1 for an exact zero (pruned). */
export function levelAssignment(values: Float32Array, levels: readonly number[]): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] === 0 ? -1 : nearest(levels, values[i]!);
  return out;
}

function nearest(centroids: readonly number[], v: number): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const d = Math.abs(centroids[c]! - v);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Quantizes a tensor onto at most `levels` nonzero codes of its uint8 affine grid (plus the
 * exact zero). A level that would round onto the zero code moves one code away from it, on its
 * own side, so no nonzero weight is silently pruned.
 */
export function quantizeShared(values: Float32Array, levels: number): QuantizedTensor {
  let lo = 0;
  let hi = 0;
  const nonzero: number[] = [];
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`cannot quantize a weight of ${v}`);
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    if (v !== 0) nonzero.push(v);
  }
  const params = affineParams(lo, hi);
  const codes = [...new Set(sharedLevels(Float32Array.from(nonzero), levels).map((c) => {
    const q = quantizeValue(c, params);
    return q !== params.zeroPoint ? q : c > 0 ? Math.min(255, q + 1) : Math.max(0, q - 1);
  }))].sort((a, b) => a - b);
  const levelValues = codes.map((q) => q * params.scale + params.min);
  const q = new Uint8Array(values.length).fill(params.zeroPoint);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== 0) q[i] = codes[nearest(levelValues, v)]!;
  }
  return { q, params };
}
