/**
 * TensorFlow.js layers-model files: write a `model.json` and its weights `.bin` that a plain
 * `tf.loadLayersModel` decodes with no code of ours, and read such files back with clear errors
 * when they are damaged.
 *
 * Format: tfjs-core src/io/types.ts (ModelJSON, WeightsManifestConfig, WeightsManifestEntry)
 * and src/io/io_utils.ts (decodeWeights) at tag tfjs-v4.22.0. Weights are stored back to back in
 * manifest order, no padding; each takes size x bytes-per-element of its quantization dtype if it
 * has one (uint8 1, uint16 2, float16 2), else of its dtype (float32 4, int32 4, bool 1). A
 * uint8/uint16 weight decodes as q * scale + min (float64 arithmetic, stored as float32).
 * Multi-byte values use the platform byte order, little-endian wherever tfjs runs.
 */
import { dequantizePerTensor, fromFloat16, quantizePerTensor, toFloat16 } from './quantize';
import { orderUnitsForGzip } from './permute';
import { quantizeShared } from './share';

/** A weight tensor as the writer takes it and the decoder returns it: row-major float32 values. */
export interface NamedWeight {
  /** The name tfjs gave it when saving, e.g. 'dense_Dense1/kernel'. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** How one weight is stored in the file. Per-channel 8-bit has no tfjs encoding (see README). */
export type WeightPrecision = 'float32' | 'float16' | 'uint8';

/** tfjs `WeightsManifestEntry['quantization']`. */
export interface WeightQuantization {
  readonly dtype: 'uint8' | 'uint16' | 'float16';
  readonly scale?: number;
  readonly min?: number;
}

/** tfjs `WeightsManifestEntry`. */
export interface WeightsManifestEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly group?: 'model' | 'optimizer';
  readonly quantization?: WeightQuantization;
}

/** tfjs `WeightsManifestGroupConfig`: weights stored across the files in `paths`, in order. */
export interface WeightsManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightsManifestEntry[];
}

/** The parts of tfjs `ModelJSON` a layers model uses. */
export interface LayersModelJson {
  readonly format: 'layers-model';
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  /** The Keras-style topology tfjs writes: {class_name, config, keras_version, backend}. */
  readonly modelTopology: Readonly<Record<string, unknown>>;
  readonly weightsManifest: readonly WeightsManifestGroup[];
  readonly trainingConfig?: unknown;
  readonly userDefinedMetadata?: Readonly<Record<string, unknown>>;
}

/** What `writeLayersModel` produces. */
export interface LayersModelFiles {
  readonly modelJson: LayersModelJson;
  /** `modelJson` serialised: the bytes of model.json. */
  readonly modelJsonText: string;
  /** The bytes of the single weights file named in the manifest. */
  readonly weightsBin: Uint8Array;
  readonly weightsFileName: string;
  /**
   * The weights exactly as tfjs will decode them from the file: evaluate these to report the
   * accuracy of what was exported, not of a simulation of it.
   */
  readonly decoded: readonly NamedWeight[];
}

/** Options for `writeLayersModel`. */
export interface WriteOptions {
  /** One precision for all weights, or a choice per weight. Default 'float32'. */
  readonly precision?: WeightPrecision | ((weight: NamedWeight) => WeightPrecision);
  /** Who generated the model; pass the tfjs-layers version string. */
  readonly generatedBy?: string;
  /** Who converted it; tfjs writes null for unconverted models. */
  readonly convertedBy?: string | null;
  readonly userDefinedMetadata?: Readonly<Record<string, unknown>>;
  readonly weightsFileName?: string;
  /**
   * Weight sharing for uint8 kernels: at most this many nonzero levels per kernel, on its uint8
   * grid (share.ts). 0 or absent: every weight rounds to its own nearest code. Biases are not shared.
   */
  readonly sharedLevels?: number;
  /**
   * Reorder the hidden units of Dense layers (permute.ts `orderUnitsForGzip`) before encoding: the
   * same network, whose pruned kernels gzip smaller. The file's weights then differ from the
   * model's by that permutation (the decoded weights are the file's). Default false.
   */
  readonly orderUnits?: boolean;
}

/** tfjs's name for the only shard of the only weight group. */
export const WEIGHTS_FILE_NAME = 'group1-shard1of1.bin';

/** A model file that cannot be read: the message says which file and what is wrong. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
}

// tfjs-core src/io/types.ts DTYPE_VALUE_SIZE_MAP.
const BYTES_PER_ELEMENT: Readonly<Record<string, number>> = {
  float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2,
};

/**
 * Encodes `weights` (in the order tfjs's model.weights lists them) at the chosen precisions
 * into one weight group with one file. Throws RangeError on a bad shape, a duplicate name or a
 * weight that cannot be quantized (NaN, infinity).
 */
export function writeLayersModel(
  modelTopology: Readonly<Record<string, unknown>>,
  weights: readonly NamedWeight[],
  options: WriteOptions = {},
): LayersModelFiles {
  if (typeof modelTopology !== 'object' || modelTopology === null || Array.isArray(modelTopology)) {
    throw new RangeError('modelTopology must be the JSON object tfjs produces for a layers model');
  }
  const weightsFileName = options.weightsFileName ?? WEIGHTS_FILE_NAME;
  const seen = new Set<string>();
  const entries: WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  const decoded: NamedWeight[] = [];
  for (const weight of options.orderUnits === true ? orderUnitsForGzip(modelTopology, weights) : weights) {
    checkWeight(weight, seen);
    const precision = typeof options.precision === 'function'
      ? options.precision(weight)
      : options.precision ?? 'float32';
    const shape = [...weight.shape];
    if (precision === 'float32') {
      const copy = Float32Array.from(weight.values);
      entries.push({ name: weight.name, shape, dtype: 'float32' });
      chunks.push(new Uint8Array(copy.buffer));
      decoded.push({ name: weight.name, shape, values: copy });
    } else if (precision === 'float16') {
      const bits = toFloat16(weight.values);
      entries.push({ name: weight.name, shape, dtype: 'float32', quantization: { dtype: 'float16' } });
      chunks.push(new Uint8Array(bits.buffer));
      decoded.push({ name: weight.name, shape, values: fromFloat16(bits) });
    } else {
      const share = (options.sharedLevels ?? 0) > 0 && weight.name.endsWith('/kernel');
      const quantized = share ? quantizeShared(weight.values, options.sharedLevels as number) : quantizePerTensor(weight.values);
      const { scale, min } = quantized.params;
      entries.push({ name: weight.name, shape, dtype: 'float32', quantization: { dtype: 'uint8', scale, min } });
      chunks.push(quantized.q);
      decoded.push({ name: weight.name, shape, values: dequantizePerTensor(quantized) });
    }
  }
  const modelJson: LayersModelJson = {
    format: 'layers-model',
    generatedBy: options.generatedBy ?? 'TensorFlow.js tfjs-layers',
    convertedBy: options.convertedBy === undefined ? 'carbon-aware-training-lab compress' : options.convertedBy,
    modelTopology,
    weightsManifest: [{ paths: [weightsFileName], weights: entries }],
    ...(options.userDefinedMetadata ? { userDefinedMetadata: options.userDefinedMetadata } : {}),
  };
  return {
    modelJson,
    modelJsonText: JSON.stringify(modelJson),
    weightsBin: concatBytes(chunks),
    weightsFileName,
    decoded,
  };
}

/** Bytes a manifest entry takes in the weights file. */
export function weightByteLength(entry: WeightsManifestEntry): number {
  const dtype = entry.quantization ? entry.quantization.dtype : entry.dtype;
  return elementCount(entry.shape) * BYTES_PER_ELEMENT[dtype]!;
}

/** A validated layers model, ready for `tf.io.fromMemory({modelTopology, weightSpecs, weightData})`. */
export interface ParsedLayersModel {
  readonly modelJson: LayersModelJson;
  /** All manifest entries, groups flattened in order (tfjs's `weightSpecs`). */
  readonly weightSpecs: readonly WeightsManifestEntry[];
  /** All weight files concatenated in manifest order (tfjs's `weightData`). */
  readonly weightData: ArrayBuffer;
}

/**
 * Parses and validates model.json text. Throws ModelFileError when it is not JSON, not a layers
 * model, or its weightsManifest is malformed (missing fields, bad shapes, unknown dtypes,
 * quantization without scale and min, duplicate names).
 */
export function parseModelJson(text: string): LayersModelJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFileError(`model.json is not valid JSON (${(e as Error).message}); the file may be truncated or corrupted`);
  }
  if (!isRecord(json)) throw new ModelFileError('model.json must hold a JSON object');
  if (json['format'] !== undefined && json['format'] !== 'layers-model') {
    throw new ModelFileError(`model.json has format "${String(json['format'])}"; only "layers-model" files can be loaded here`);
  }
  if (!isRecord(json['modelTopology'])) {
    throw new ModelFileError('model.json has no modelTopology object; it is not a tfjs layers model');
  }
  const manifest = json['weightsManifest'];
  if (!Array.isArray(manifest)) throw new ModelFileError('model.json has no weightsManifest array');
  const names = new Set<string>();
  manifest.forEach((group, g) => checkGroup(group, g, names));
  return { ...json, format: 'layers-model' } as unknown as LayersModelJson;
}

/**
 * Parses model.json and checks its weight files: every path in the manifest must be among
 * `files` (matched by exact path, else by file name), and each group's files together must hold
 * exactly the bytes its entries need. Throws ModelFileError naming the problem.
 */
export function parseLayersModel(modelJsonText: string, files: ReadonlyMap<string, Uint8Array>): ParsedLayersModel {
  const modelJson = parseModelJson(modelJsonText);
  const parts: Uint8Array[] = [];
  modelJson.weightsManifest.forEach((group, g) => {
    const groupParts = group.paths.map((path) => {
      const bytes = files.get(path) ?? files.get(baseName(path)) ?? findByBaseName(files, baseName(path));
      if (!bytes) throw new ModelFileError(`weights file "${path}" named in model.json is missing`);
      return bytes;
    });
    const have = groupParts.reduce((sum, b) => sum + b.length, 0);
    const need = group.weights.reduce((sum, w) => sum + weightByteLength(w), 0);
    const where = `weights file${group.paths.length > 1 ? 's' : ''} ${group.paths.map((p) => `"${p}"`).join(', ')} (group ${g + 1})`;
    if (have < need) {
      throw new ModelFileError(`${where} hold ${have} bytes but model.json describes ${need}: the weights are truncated`);
    }
    if (have > need) {
      throw new ModelFileError(`${where} hold ${have} bytes but model.json describes only ${need}: the weights file does not match this model.json`);
    }
    parts.push(...groupParts);
  });
  const weightData = concatBytes(parts);
  return {
    modelJson,
    weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
    weightData: weightData.buffer as ArrayBuffer,
  };
}

/**
 * Decodes float32 weights (plain, float16 or uint8/uint16 quantized) as tfjs's decodeWeights
 * does. `data` must be the concatenated weight files (see `parseLayersModel`).
 */
export function decodeWeights(specs: readonly WeightsManifestEntry[], data: Uint8Array): NamedWeight[] {
  let offset = 0;
  return specs.map((spec) => {
    const length = weightByteLength(spec);
    if (offset + length > data.length) {
      throw new ModelFileError(`weight "${spec.name}" needs bytes ${offset}..${offset + length} but the weights hold ${data.length}`);
    }
    if (spec.dtype !== 'float32') throw new ModelFileError(`weight "${spec.name}" has dtype ${spec.dtype}; only float32 is decoded here`);
    // slice() copies, so the typed array views below are aligned.
    const bytes = data.slice(offset, offset + length);
    offset += length;
    const shape = [...spec.shape];
    const q = spec.quantization;
    if (!q) return { name: spec.name, shape, values: new Float32Array(bytes.buffer) };
    if (q.dtype === 'float16') return { name: spec.name, shape, values: fromFloat16(new Uint16Array(bytes.buffer)) };
    const ints = q.dtype === 'uint8' ? bytes : new Uint16Array(bytes.buffer);
    const values = new Float32Array(ints.length);
    for (let i = 0; i < ints.length; i++) values[i] = ints[i]! * q.scale! + q.min!;
    return { name: spec.name, shape, values };
  });
}

function checkWeight(weight: NamedWeight, seen: Set<string>): void {
  if (typeof weight.name !== 'string' || weight.name === '') throw new RangeError('every weight needs a name');
  if (seen.has(weight.name)) throw new RangeError(`weight name "${weight.name}" appears twice`);
  seen.add(weight.name);
  if (!weight.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`weight "${weight.name}" has an invalid shape [${weight.shape.join(', ')}]`);
  }
  const size = elementCount(weight.shape);
  if (size !== weight.values.length) {
    throw new RangeError(`weight "${weight.name}" has shape [${weight.shape.join(', ')}] (${size} values) but ${weight.values.length} values`);
  }
}

function checkGroup(group: unknown, g: number, names: Set<string>): void {
  const where = `weightsManifest[${g}]`;
  if (!isRecord(group)) throw new ModelFileError(`${where} is not an object`);
  const paths = group['paths'];
  if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && p !== '')) {
    throw new ModelFileError(`${where}.paths must be a non-empty list of file names`);
  }
  const weights = group['weights'];
  if (!Array.isArray(weights)) throw new ModelFileError(`${where}.weights must be a list`);
  weights.forEach((entry, i) => checkEntry(entry, `${where}.weights[${i}]`, names));
}

function checkEntry(entry: unknown, where: string, names: Set<string>): void {
  if (!isRecord(entry)) throw new ModelFileError(`${where} is not an object`);
  const name = entry['name'];
  if (typeof name !== 'string' || name === '') throw new ModelFileError(`${where} has no name`);
  if (names.has(name)) throw new ModelFileError(`weight "${name}" appears twice in model.json`);
  names.add(name);
  const shape = entry['shape'];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new ModelFileError(`weight "${name}" has an invalid shape ${JSON.stringify(shape)}`);
  }
  const dtype = entry['dtype'];
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
    throw new ModelFileError(`weight "${name}" has unsupported dtype ${JSON.stringify(dtype)}`);
  }
  const quantization = entry['quantization'];
  if (quantization === undefined) return;
  if (!isRecord(quantization)) throw new ModelFileError(`weight "${name}" has a malformed quantization`);
  const qDtype = quantization['dtype'];
  if (qDtype === 'float16') {
    if (dtype !== 'float32') throw new ModelFileError(`weight "${name}": float16 quantization needs dtype float32, not ${dtype}`);
  } else if (qDtype === 'uint8' || qDtype === 'uint16') {
    if (dtype === 'bool') throw new ModelFileError(`weight "${name}": a bool weight cannot be ${qDtype}-quantized`);
    const { scale, min } = quantization;
    if (typeof scale !== 'number' || !Number.isFinite(scale) || typeof min !== 'number' || !Number.isFinite(min)) {
      throw new ModelFileError(`weight "${name}" is ${qDtype}-quantized but lacks a finite scale and min`);
    }
  } else {
    throw new ModelFileError(`weight "${name}" has unknown quantization dtype ${JSON.stringify(qDtype)} (tfjs reads uint8, uint16, float16)`);
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function findByBaseName(files: ReadonlyMap<string, Uint8Array>, name: string): Uint8Array | undefined {
  for (const [path, bytes] of files) if (baseName(path) === name) return bytes;
  return undefined;
}

function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
