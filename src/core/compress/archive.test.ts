import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildExportZip, readExportZip, readModelFiles, ZIP_LIMITS } from './archive';
import { crc32, crc32Hex } from './crc32';
import { ModelFileError, WEIGHTS_FILE_NAME, writeLayersModel } from './manifest';

const topology = { class_name: 'Sequential', config: { name: 'tiny', layers: [] } };
const model = writeLayersModel(topology, [
  { name: 'k', shape: [4, 3], values: Float32Array.from({ length: 12 }, (_, i) => (i % 4 === 0 ? 0 : Math.sin(i))) },
  { name: 'b', shape: [3], values: Float32Array.of(0.1, 0.2, 0.3) },
], { precision: (w) => (w.name === 'k' ? 'uint8' : 'float16') });
const metadataJson = JSON.stringify({ config: { seed: 42 }, metrics: { accuracy: 0.97 } });
const runCsv = 'step,loss\n0,2.3\n1,1.9\n';
const zip = buildExportZip({ model, metadataJson, runCsv });

describe('crc32', () => {
  it('gives the CRC-32/ISO-HDLC check value', () => {
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
    expect(crc32Hex(new Uint8Array(0))).toBe('00000000');
  });
});

describe('buildExportZip and readExportZip', () => {
  it('round-trips the model, metadata and run CSV', () => {
    const read = readExportZip(zip);
    expect(read.metadataJson).toBe(metadataJson);
    expect(read.runCsv).toBe(runCsv);
    expect(read.model.modelJson).toEqual(model.modelJson);
    expect(new Uint8Array(read.model.weightData)).toEqual(model.weightsBin);
  });

  it('writes the same bytes for the same input', () => {
    expect(buildExportZip({ model, metadataJson, runCsv })).toEqual(zip);
  });

  it('reads a model.json inside one folder, with weights beside it and no side files', () => {
    const nested = zipSync({ export: { 'model.json': strToU8(model.modelJsonText), [WEIGHTS_FILE_NAME]: model.weightsBin } });
    const read = readExportZip(nested);
    expect(read.metadataJson).toBeNull();
    expect(read.model.weightSpecs).toHaveLength(2);
  });
});

describe('readExportZip on damaged input', () => {
  const expectModelFileError = (bytes: Uint8Array, message: RegExp) => {
    expect(() => readExportZip(bytes)).toThrow(ModelFileError);
    expect(() => readExportZip(bytes)).toThrow(message);
  };

  it('says a file that is not a zip is not a zip', () => {
    expectModelFileError(strToU8('{"format": "layers-model"}'), /not a zip archive/);
    expectModelFileError(new Uint8Array(0), /not a zip archive/);
  });

  it('says a truncated zip is truncated or corrupted', () => {
    for (const keep of [10, zip.length >> 1, zip.length - 30, zip.length - 1]) {
      expect(() => readExportZip(zip.slice(0, keep)), `kept ${keep}`).toThrow(ModelFileError);
      expect(() => readExportZip(zip.slice(0, keep))).toThrow(/truncated|corrupted/);
    }
  });

  it('catches a flipped byte in a stored entry by its CRC-32', () => {
    const stored = zipSync({ 'model.json': strToU8(model.modelJsonText), [WEIGHTS_FILE_NAME]: model.weightsBin }, { level: 0 });
    const at = indexOf(stored, model.weightsBin) + 3;
    const damaged = stored.slice();
    damaged[at]! ^= 0xff;
    expectModelFileError(damaged, new RegExp(`"${WEIGHTS_FILE_NAME}" is corrupted \\(CRC-32 mismatch\\)`));
  });

  it('catches a flipped byte inside compressed data', () => {
    const big = writeLayersModel(topology, [{ name: 'k', shape: [4000], values: Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i)) }]);
    const bytes = buildExportZip({ model: big, metadataJson, runCsv });
    const damaged = bytes.slice();
    damaged[bytes.length >> 1]! ^= 0x5a;
    expectModelFileError(damaged, /corrupted/);
  });

  it('says when there is no model.json, or two', () => {
    expectModelFileError(zipSync({ 'weights.bin': new Uint8Array(4) }), /no model.json/);
    const two = zipSync({ a: { 'model.json': strToU8('{}') }, b: { 'model.json': strToU8('{}') } });
    expectModelFileError(two, /2 model.json files/);
  });

  it('says when model.json is not JSON or not UTF-8', () => {
    expectModelFileError(zipSync({ 'model.json': strToU8('{"format": "layers-mo') }), /model.json is not valid JSON/);
    expectModelFileError(zipSync({ 'model.json': Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d) }), /not UTF-8/);
  });

  it('says when the weights file is missing or shorter than the manifest', () => {
    expectModelFileError(zipSync({ 'model.json': strToU8(model.modelJsonText) }), /is missing/);
    const short = zipSync({ 'model.json': strToU8(model.modelJsonText), [WEIGHTS_FILE_NAME]: model.weightsBin.slice(0, 5) });
    expectModelFileError(short, /truncated/);
  });
});

describe('readModelFiles', () => {
  it('reads model.json and weights picked as separate files', () => {
    const parsed = readModelFiles(strToU8(model.modelJsonText), new Map([[WEIGHTS_FILE_NAME, model.weightsBin]]));
    expect(parsed.weightData.byteLength).toBe(model.weightsBin.length);
  });

  it('gives the same clear errors for a truncated bin', () => {
    expect(() => readModelFiles(strToU8(model.modelJsonText), new Map([[WEIGHTS_FILE_NAME, model.weightsBin.slice(1)]]))).toThrow(/truncated/);
  });
});

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('needle not found');
}

describe('readExportZip on zip bombs', () => {
  /** Offset of the first central directory record (APPNOTE 4.3.16: EOCD offset 16). */
  const centralStart = (z: Uint8Array): number => {
    const view = new DataView(z.buffer, z.byteOffset, z.byteLength);
    return view.getUint32(z.length - 22 + 16, true);
  };
  const patch32 = (z: Uint8Array, at: number, value: number): Uint8Array => {
    const copy = z.slice();
    new DataView(copy.buffer).setUint32(at, value, true);
    return copy;
  };

  it('refuses an entry that unpacks past the entry cap before unpacking it', () => {
    const bomb = zipSync({ 'model.json': new Uint8Array(ZIP_LIMITS.entryBytes + 1) }, { level: 1 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const started = performance.now();
    expect(() => readExportZip(bomb)).toThrow(ModelFileError);
    expect(() => readExportZip(bomb)).toThrow(/zip entry "model\.json" unpacks to 128 MiB, more than the 128 MiB an entry may have: it looks like a zip bomb/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses entries that together unpack past the total cap', () => {
    const small = { entries: 10, entryBytes: 1000, totalBytes: 1500 };
    const zip = zipSync({ 'a.bin': new Uint8Array(900), 'b.bin': new Uint8Array(900) });
    expect(() => readExportZip(zip, small)).toThrow(/the zip's entries unpack to more than the 1.5 KiB allowed in all/);
  });

  it('refuses a zip with more entries than allowed', () => {
    const many = zipSync(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, new Uint8Array(1)])));
    expect(() => readExportZip(many, { ...ZIP_LIMITS, entries: 10 })).toThrow(/holds 12 entries, more than the 10 allowed/);
  });

  it('refuses a directory that declares 4 GiB for an entry (a lying header)', () => {
    const lying = patch32(zip, centralStart(zip) + 24, 0xfffffff0);
    expect(() => readExportZip(lying)).toThrow(/unpacks to 4 GiB/);
  });

  it('fails a directory that declares less than the entry holds on its CRC-32, never allocating more', () => {
    const data = strToU8('x'.repeat(5000));
    const z = zipSync({ 'model.json': data });
    const under = patch32(z, centralStart(z) + 24, 100);
    expect(() => readExportZip(under)).toThrow(ModelFileError);
  });
});
