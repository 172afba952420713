/**
 * Post-training weight quantization: IEEE 754 half precision, and 8-bit affine
 * (value = q * scale + min, the form tfjs decodes) per tensor or per output channel.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The IEEE 754 binary16 bit pattern nearest to `x`, rounding half to even. `x` is first
 * rounded to float32 (weights are float32). Handles subnormals, overflow to +-Infinity,
 * signed zeros and NaN (kept as a quiet NaN).
 */
export function float16Bits(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200 | (mantissa >>> 13));
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Below 2^-25 even round-to-nearest gives zero.
    if (halfExponent < -10) return sign;
    const m = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    return sign | roundShift(m, shift);
  }
  // A carry out of the mantissa correctly bumps the exponent, up to 0x7c00 (Infinity).
  return sign | roundShift((halfExponent << 23) | mantissa, 13);
}

/** The number a binary16 bit pattern stands for (exact). */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

/** Encodes every value as binary16 (see `float16Bits`). */
export function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float16Bits(values[i]!);
  return out;
}

/** Decodes binary16 patterns; every half value is exactly representable in float32. */
export function fromFloat16(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16Value(bits[i]!);
  return out;
}

function roundShift(m: number, shift: number): number {
  const kept = m >>> shift;
  const rest = m & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept;
}

/** 8-bit affine parameters: value = q * scale + min, q in 0..255, min = -zeroPoint * scale. */
export interface AffineParams {
  readonly scale: number;
  readonly min: number;
  /** The q that decodes to exactly 0. */
  readonly zeroPoint: number;
}

/** A tensor quantized per tensor: one AffineParams for all values. */
export interface QuantizedTensor {
  readonly q: Uint8Array;
  readonly params: AffineParams;
}

/** A tensor quantized per output channel (the last axis): channel c of value i is i % channels. */
export interface QuantizedPerChannel {
  readonly q: Uint8Array;
  readonly channels: number;
  readonly params: readonly AffineParams[];
}

const LEVELS = 255;

/**
 * Affine parameters covering [lo, hi] (widened to include 0) with 0 exactly representable.
 * Instead of nudging min after the fact (which can push the top of the range out of reach and
 * clip it), this picks the integer zero point whose smallest covering scale is least, so every
 * value in [lo, hi] is within scale / 2 of its decoded value. min is stored as -(zeroPoint *
 * scale), so a decoder computing q * scale + min in float64, as tfjs does, gets exactly 0 at
 * q = zeroPoint. An all-zero range gets scale 1, min 0.
 */
export function affineParams(lo: number, hi: number): AffineParams {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
    throw new RangeError(`cannot quantize the range [${lo}, ${hi}]`);
  }
  const low = Math.min(lo, 0);
  const high = Math.max(hi, 0);
  if (low === 0 && high === 0) return { scale: 1, min: 0, zeroPoint: 0 };
  if (low === 0) return withZeroPoint(0, high / LEVELS);
  if (high === 0) return withZeroPoint(LEVELS, -low / LEVELS);
  const ideal = (LEVELS * -low) / (high - low);
  let best = withZeroPoint(1, coveringScale(1, low, high));
  for (const candidate of [Math.floor(ideal), Math.ceil(ideal)]) {
    const zp = Math.min(LEVELS - 1, Math.max(1, candidate));
    const scale = coveringScale(zp, low, high);
    if (scale < best.scale) best = withZeroPoint(zp, scale);
  }
  return best;
}

function coveringScale(zeroPoint: number, low: number, high: number): number {
  return Math.max(-low / zeroPoint, high / (LEVELS - zeroPoint));
}

function withZeroPoint(zeroPoint: number, scale: number): AffineParams {
  // 0 - 0 would give -0 for zeroPoint 0; keep min a plain 0.
  return { scale, min: zeroPoint === 0 ? 0 : -(zeroPoint * scale), zeroPoint };
}

/** q = clamp(round((x - min) / scale), 0, 255). */
export function quantizeValue(x: number, params: AffineParams): number {
  const q = Math.round((x - params.min) / params.scale);
  return q < 0 ? 0 : q > LEVELS ? LEVELS : q;
}

/** Quantizes a whole tensor with one scale and min over its full range. */
export function quantizePerTensor(values: Float32Array): QuantizedTensor {
  const [lo, hi] = range(values, 0, 1);
  const params = affineParams(lo, hi);
  const q = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) q[i] = quantizeValue(values[i]!, params);
  return { q, params };
}

/** q * scale + min into a Float32Array, computed in float64 exactly as tfjs's decodeWeights does. */
export function dequantizePerTensor(quantized: QuantizedTensor): Float32Array {
  const { q, params } = quantized;
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = q[i]! * params.scale + params.min;
  return out;
}

/**
 * Quantizes with one scale and min per output channel, the last axis of `shape`
 * (Dense kernel [in, out], Conv2D kernel [h, w, in, out]); a 1-D tensor (a bias) gets one
 * parameter set per element.
 */
export function quantizePerChannel(values: Float32Array, shape: readonly number[]): QuantizedPerChannel {
  const channels = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== values.length || channels <= 0) {
    throw new RangeError(`shape [${shape.join(', ')}] does not match ${values.length} values`);
  }
  const params: AffineParams[] = [];
  for (let c = 0; c < channels; c++) {
    const [lo, hi] = range(values, c, channels);
    params.push(affineParams(lo, hi));
  }
  const q = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) q[i] = quantizeValue(values[i]!, params[i % channels]!);
  return { q, channels, params };
}

/** Decodes a per-channel tensor: q * scale[c] + min[c] with c = i % channels. */
export function dequantizePerChannel(quantized: QuantizedPerChannel): Float32Array {
  const { q, channels, params } = quantized;
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) {
    const p = params[i % channels]!;
    out[i] = q[i]! * p.scale + p.min;
  }
  return out;
}

/** Which quantization to simulate. */
export type QuantizationMode = 'float16' | 'uint8' | 'uint8-per-channel';

/**
 * The values a model would run with after quantizing and dequantizing `values`: what the lab
 * evaluates to measure the accuracy drop of a precision.
 */
export function quantizeDequantize(values: Float32Array, shape: readonly number[], mode: QuantizationMode): Float32Array {
  switch (mode) {
    case 'float16':
      return fromFloat16(toFloat16(values));
    case 'uint8':
      return dequantizePerTensor(quantizePerTensor(values));
    case 'uint8-per-channel':
      return dequantizePerChannel(quantizePerChannel(values, shape));
  }
}

/** [min, max] over values[start], values[start + stride], ...; [0, 0] when empty. */
function range(values: Float32Array, start: number, stride: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < values.length; i += stride) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (Number.isNaN(v)) throw new RangeError(`value ${i} is NaN; it cannot be quantized to 8 bits`);
  }
  return lo > hi ? [0, 0] : [lo, hi];
}
