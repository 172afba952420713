import { describe, expect, it } from 'vitest';
import {
  decodeWeights,
  ModelFileError,
  parseLayersModel,
  parseModelJson,
  WEIGHTS_FILE_NAME,
  weightByteLength,
  writeLayersModel,
  type NamedWeight,
} from './manifest';

const topology = { class_name: 'Sequential', config: { name: 'tiny', layers: [] }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' };

const weights: NamedWeight[] = [
  { name: 'dense_Dense1/kernel', shape: [3, 2], values: Float32Array.of(0.5, -0.25, 0, 0.125, -1, 0.75) },
  { name: 'dense_Dense1/bias', shape: [2], values: Float32Array.of(0.01, -0.02) },
  { name: 'dense_Dense2/kernel', shape: [2, 1], values: Float32Array.of(0, 3) },
];

const precisions = { 'dense_Dense1/kernel': 'uint8', 'dense_Dense1/bias': 'float32', 'dense_Dense2/kernel': 'float16' } as const;

function mixed() {
  return writeLayersModel(topology, weights, { precision: (w) => precisions[w.name as keyof typeof precisions], generatedBy: 'TensorFlow.js tfjs-layers v4.22.0' });
}

describe('writeLayersModel', () => {
  it('writes the model.json fields tfjs expects', () => {
    const files = mixed();
    const json = JSON.parse(files.modelJsonText);
    expect(json.format).toBe('layers-model');
    expect(json.generatedBy).toBe('TensorFlow.js tfjs-layers v4.22.0');
    expect(typeof json.convertedBy).toBe('string');
    expect(json.modelTopology).toEqual(topology);
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual([WEIGHTS_FILE_NAME]);
    const [k1, b1, k2] = json.weightsManifest[0].weights;
    expect(k1).toMatchObject({ name: 'dense_Dense1/kernel', shape: [3, 2], dtype: 'float32', quantization: { dtype: 'uint8' } });
    expect(typeof k1.quantization.scale).toBe('number');
    expect(k1.quantization.min).toBeLessThan(0);
    expect(b1).toEqual({ name: 'dense_Dense1/bias', shape: [2], dtype: 'float32' });
    expect(k2).toEqual({ name: 'dense_Dense2/kernel', shape: [2, 1], dtype: 'float32', quantization: { dtype: 'float16' } });
  });

  it('packs the weights back to back: 6 uint8 + 2 float32 + 2 float16 bytes', () => {
    expect(mixed().weightsBin.length).toBe(6 + 8 + 4);
  });

  it('reports the exact values tfjs will decode, and they keep zeros zero', () => {
    const files = mixed();
    const parsed = parseLayersModel(files.modelJsonText, new Map([[WEIGHTS_FILE_NAME, files.weightsBin]]));
    const decoded = decodeWeights(parsed.weightSpecs, new Uint8Array(parsed.weightData));
    expect(decoded).toEqual(files.decoded);
    expect(files.decoded[0]!.values[2]).toBe(0);
    expect(files.decoded[2]!.values[0]).toBe(0);
    expect(files.decoded[1]!.values).toEqual(weights[1]!.values);
  });

  it('copies float32 values so later changes to the source do not leak into the export', () => {
    const values = Float32Array.of(1, 2);
    const files = writeLayersModel(topology, [{ name: 'w', shape: [2], values }]);
    values[0] = 9;
    expect(files.decoded[0]!.values[0]).toBe(1);
  });

  it('rejects a shape that does not match the values, and duplicate names', () => {
    expect(() => writeLayersModel(topology, [{ name: 'w', shape: [3], values: new Float32Array(2) }])).toThrow(/shape \[3\]/);
    expect(() => writeLayersModel(topology, [weights[1]!, weights[1]!])).toThrow(/twice/);
  });
});

describe('weightByteLength', () => {
  it('uses the quantization dtype when there is one', () => {
    expect(weightByteLength({ name: 'a', shape: [10, 3], dtype: 'float32' })).toBe(120);
    expect(weightByteLength({ name: 'a', shape: [10, 3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 1, min: 0 } })).toBe(30);
    expect(weightByteLength({ name: 'a', shape: [10, 3], dtype: 'float32', quantization: { dtype: 'float16' } })).toBe(60);
    expect(weightByteLength({ name: 'a', shape: [], dtype: 'int32' })).toBe(4);
  });
});

describe('parseModelJson and parseLayersModel errors', () => {
  const good = mixed();
  const bins = new Map([[WEIGHTS_FILE_NAME, good.weightsBin]]);
  /** model.json as loose JSON, to damage on purpose. */
  interface LooseEntry { name: string; shape: number[]; dtype: string; quantization?: { dtype: string; scale?: number; min?: number } }
  interface LooseJson { format?: string; modelTopology?: unknown; weightsManifest?: { paths: string[]; weights: LooseEntry[] }[] }
  const withManifest = (edit: (json: LooseJson, group: { paths: string[]; weights: LooseEntry[] }) => void) => {
    const json = JSON.parse(good.modelJsonText) as LooseJson;
    edit(json, json.weightsManifest![0]!);
    return JSON.stringify(json);
  };

  it('names invalid and truncated JSON', () => {
    expect(() => parseModelJson('{"format": "layers-model", "modelTop')).toThrow(ModelFileError);
    expect(() => parseModelJson(good.modelJsonText.slice(0, 40))).toThrow(/not valid JSON.*truncated/);
    expect(() => parseModelJson('[1, 2]')).toThrow(/JSON object/);
  });

  it('refuses graph models and files without a topology or manifest', () => {
    expect(() => parseModelJson(withManifest((j) => { j.format = 'graph-model'; }))).toThrow(/only "layers-model"/);
    expect(() => parseModelJson(withManifest((j) => { delete j.modelTopology; }))).toThrow(/no modelTopology/);
    expect(() => parseModelJson(withManifest((j) => { delete j.weightsManifest; }))).toThrow(/no weightsManifest/);
  });

  it('names malformed manifest entries', () => {
    expect(() => parseModelJson(withManifest((_, g) => { g.paths = []; }))).toThrow(/paths/);
    expect(() => parseModelJson(withManifest((_, g) => { g.weights[0]!.shape = [3, -2]; }))).toThrow(/invalid shape/);
    expect(() => parseModelJson(withManifest((_, g) => { g.weights[1]!.dtype = 'string'; }))).toThrow(/unsupported dtype "string"/);
    expect(() => parseModelJson(withManifest((_, g) => { delete g.weights[0]!.quantization!.scale; }))).toThrow(/lacks a finite scale and min/);
    expect(() => parseModelJson(withManifest((_, g) => { g.weights[0]!.quantization!.dtype = 'int8'; }))).toThrow(/unknown quantization dtype "int8"/);
    expect(() => parseModelJson(withManifest((_, g) => { g.weights[2]!.name = 'dense_Dense1/bias'; }))).toThrow(/appears twice/);
  });

  it('says when a weights file is missing', () => {
    expect(() => parseLayersModel(good.modelJsonText, new Map())).toThrow(/"group1-shard1of1.bin" named in model.json is missing/);
  });

  it('says when the weights are truncated or do not match the manifest', () => {
    const short = new Map([[WEIGHTS_FILE_NAME, good.weightsBin.slice(0, 10)]]);
    expect(() => parseLayersModel(good.modelJsonText, short)).toThrow(/hold 10 bytes but model.json describes 18: the weights are truncated/);
    const long = new Map([[WEIGHTS_FILE_NAME, new Uint8Array(30)]]);
    expect(() => parseLayersModel(good.modelJsonText, long)).toThrow(/does not match this model.json/);
  });

  it('finds a weights file by its name when the manifest path has a folder', () => {
    const text = withManifest((_, g) => { g.paths = ['./weights/group1-shard1of1.bin']; });
    expect(parseLayersModel(text, bins).weightData.byteLength).toBe(18);
  });

  it('concatenates a group sharded over several files in manifest order', () => {
    const text = withManifest((_, g) => { g.paths = ['a.bin', 'b.bin']; });
    const files = new Map([['b.bin', good.weightsBin.slice(7)], ['a.bin', good.weightsBin.slice(0, 7)]]);
    expect(new Uint8Array(parseLayersModel(text, files).weightData)).toEqual(good.weightsBin);
  });
});
