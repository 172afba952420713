/**
 * Magnitude pruning masks: keep the k largest-magnitude weights of a tensor, zero the rest.
 *
 * Each layer is pruned to its own target (per-layer, as TFMOT's prune_low_magnitude does), not
 * against one global threshold. Masks are Float32Arrays of 0 and 1 so a worker can hand one
 * straight to `tf.tensor(mask, shape)` and multiply.
 */
import { fraction, type Fraction } from '../units';

/** A weight tensor to prune, flattened in row-major order. */
export interface PrunableWeight {
  readonly name: string;
  readonly values: Float32Array;
}

/** A magnitude mask and how it was chosen. */
export interface MagnitudeMask {
  /** 1 where the weight is kept, 0 where it is pruned. */
  readonly mask: Float32Array;
  /** The k-th largest magnitude; 0 when k is 0 or the tensor is empty. */
  readonly threshold: number;
  /** Weights kept (k). */
  readonly kept: number;
  readonly total: number;
  /** Fraction of mask entries that are 0: (total - kept) / total. */
  readonly sparsity: Fraction;
}

/** A mask for one named layer weight. */
export interface LayerMask extends MagnitudeMask {
  readonly name: string;
}

/**
 * How many weights to keep: k = round((1 - sparsity) * n), rounding half to even as
 * TFMOT's `tf.math.round` does (pruning_impl.Pruning._update_mask). Unlike TFMOT, k is not
 * raised to at least 1, so sparsity 1 zeroes the whole tensor.
 */
export function keepCount(total: number, sparsity: number): number {
  if (!(sparsity >= 0 && sparsity <= 1)) throw new RangeError(`sparsity must be in [0, 1], got ${sparsity}`);
  return Math.min(total, Math.max(0, roundHalfToEven((1 - sparsity) * total)));
}

/**
 * The k-th largest magnitude |x| in `values` (k from 1), in expected O(n) by quickselect on a
 * Float32Array copy. Throws RangeError on NaN weights (they have no rank) or k outside [1, n].
 */
export function kthLargestMagnitude(values: Float32Array, k: number): number {
  const n = values.length;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k must be an integer in [1, ${n}], got ${k}`);
  const magnitudes = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const m = Math.abs(values[i]!);
    if (Number.isNaN(m)) throw new RangeError(`weight ${i} is NaN; magnitudes cannot be ranked`);
    magnitudes[i] = m;
  }
  // The k-th largest sits at ascending index n - k.
  return selectAscending(magnitudes, n - k);
}

/**
 * The mask that keeps exactly k = keepCount(n, sparsity) weights: every weight with
 * |x| > threshold, where threshold is the k-th largest magnitude, and then weights with
 * |x| == threshold in index order until k are kept. TFMOT keeps every tie (|x| >= threshold)
 * and so can prune fewer than asked; breaking ties by index hits the target exactly and is
 * deterministic. Already-zero weights rank lowest and are pruned first.
 */
export function magnitudeMask(values: Float32Array, sparsity: number): MagnitudeMask {
  const total = values.length;
  const kept = keepCount(total, sparsity);
  const mask = new Float32Array(total);
  if (kept === 0) return { mask, threshold: 0, kept, total, sparsity: sparsityOf(kept, total) };
  const threshold = kthLargestMagnitude(values, kept);
  let above = 0;
  for (let i = 0; i < total; i++) if (Math.abs(values[i]!) > threshold) above++;
  let tiesToKeep = kept - above;
  for (let i = 0; i < total; i++) {
    const m = Math.abs(values[i]!);
    if (m > threshold) mask[i] = 1;
    else if (m === threshold && tiesToKeep > 0) {
      mask[i] = 1;
      tiesToKeep--;
    }
  }
  return { mask, threshold, kept, total, sparsity: sparsityOf(kept, total) };
}

/**
 * One mask per layer, each layer pruned to its own target. `sparsity` is one target for all
 * layers or a function from layer name to target (e.g. to skip small layers with 0).
 */
export function layerMasks(
  weights: readonly PrunableWeight[],
  sparsity: number | ((name: string) => number),
): LayerMask[] {
  return weights.map((w) => {
    const target = typeof sparsity === 'number' ? sparsity : sparsity(w.name);
    return { name: w.name, ...magnitudeMask(w.values, target) };
  });
}

/** values * mask, element-wise, into `out` (a new array unless given; may be `values` itself). */
export function applyMask(values: Float32Array, mask: Float32Array, out = new Float32Array(values.length)): Float32Array {
  if (mask.length !== values.length || out.length !== values.length) {
    throw new RangeError(`mask length ${mask.length} and output length ${out.length} must equal values length ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) out[i] = mask[i] === 0 ? 0 : values[i]!;
  return out;
}

/** Zeros in one layer's weights. */
export interface LayerSparsity {
  readonly name: string;
  readonly zeros: number;
  readonly total: number;
  /** zeros / total; 0 for an empty tensor. */
  readonly sparsity: Fraction;
}

/** Per-layer and overall sparsity, counted from the weights' exact zeros. */
export interface SparsityReport {
  readonly layers: readonly LayerSparsity[];
  readonly zeros: number;
  readonly total: number;
  /** All zeros over all weights, so large layers weigh more. */
  readonly overall: Fraction;
}

/** Counts exact zeros (+0 and -0) per layer and overall. */
export function sparsityReport(weights: readonly PrunableWeight[]): SparsityReport {
  let zeros = 0;
  let total = 0;
  const layers = weights.map((w) => {
    let z = 0;
    for (let i = 0; i < w.values.length; i++) if (w.values[i] === 0) z++;
    zeros += z;
    total += w.values.length;
    return { name: w.name, zeros: z, total: w.values.length, sparsity: ratio(z, w.values.length) };
  });
  return { layers, zeros, total, overall: ratio(zeros, total) };
}

function sparsityOf(kept: number, total: number): Fraction {
  return ratio(total - kept, total);
}

function ratio(part: number, whole: number): Fraction {
  return fraction(whole === 0 ? 0 : part / whole);
}

function roundHalfToEven(x: number): number {
  const r = Math.round(x);
  // Math.round rounds halves up; move exact halves that landed on an odd number down.
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The value that would sit at `index` if `a` were sorted ascending; reorders `a`.
 * Hoare-partition quickselect with a median-of-three pivot. Equal keys stop both scans, so
 * heavily tied input (many pruned zeros) still splits evenly. Falls back to a typed-array sort
 * if partitioning goes badly, which bounds the worst case at O(n log n).
 */
function selectAscending(a: Float32Array, index: number): number {
  let lo = 0;
  let hi = a.length - 1;
  let budget = 4 * Math.ceil(Math.log2(a.length + 1)) + 8;
  while (hi > lo) {
    if (budget-- === 0) {
      const rest = a.subarray(lo, hi + 1).sort();
      return rest[index - lo]!;
    }
    const pivot = medianOfThree(a[lo]!, a[(lo + hi) >>> 1]!, a[hi]!);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    // Now a[lo..j] <= pivot <= a[i..hi], and anything strictly between j and i equals pivot.
    if (index <= j) hi = j;
    else if (index >= i) lo = i;
    else return a[index]!;
  }
  return a[index]!;
}

function medianOfThree(x: number, y: number, z: number): number {
  if (x < y) return y < z ? y : x < z ? z : x;
  return x < z ? x : y < z ? z : y;
}

/**
 * The features (columns of a row-major `[examples, features]` matrix `x`) that are zero in every
 * example. In a Dense layer fed by them, their kernel rows only ever multiply zeros in training:
 * the gradient never moves them and they carry no information learnt from the data, so they can
 * be pruned first, at no cost on that data. (In MNIST, the border pixels.)
 */
export function alwaysZeroFeatures(x: Float32Array, features: number): number[] {
  if (!(Number.isInteger(features) && features >= 1) || x.length % features !== 0) {
    throw new RangeError(`x of length ${x.length} is not a whole number of rows of ${features} features`);
  }
  const seen = new Uint8Array(features);
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) seen[i % features] = 1;
  const zero: number[] = [];
  for (let f = 0; f < features; f++) if (seen[f] === 0) zero.push(f);
  return zero;
}
