import { describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { loadOwnFiles, packClassFiles, readOwnFile, readTable, storedOwnData, unzipImages } from './own-data';
import { exampleCount } from '../src/core/data/dataset';
import { encodeDatasetFile } from '../src/core/data/format';

const settings = { label: '', features: [], testFraction: 0.2, seed: 3 };

describe('own data in the worker', () => {
  it('streams a large table through the builder in chunks', () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `${i % 97},${(i * 7) % 13},${i % 3 === 0 ? 'a' : 'b'}`);
    const d = readTable(strToU8(`x,y,label\n${rows.join('\n')}\n`), 'big.csv', settings).tabular;
    expect(exampleCount(d.split.train) + exampleCount(d.split.test)).toBe(60_000);
    expect(d.classes).toEqual(['a', 'b']);
  });

  it('names a ragged row found in a later chunk', () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => (i === 45_000 ? '1,2' : `${i},${i},a${i % 2}`));
    expect(() => readTable(strToU8(`x,y,label\n${rows.join('\n')}`), 'ragged.csv', settings)).toThrow(/Line 45002 has 2 fields/);
  });

  it('keeps only the images of a zip, and names a file that is not a zip', () => {
    const zip = zipSync({ 'cats/1.png': new Uint8Array([1]), 'cats/notes.txt': strToU8('hi'), 'dogs/a.jpg': new Uint8Array([2]) });
    expect([...unzipImages(zip, 'pets.zip').keys()].sort()).toEqual(['cats/1.png', 'dogs/a.jpg']);
    expect(() => unzipImages(strToU8('not a zip'), 'x.zip')).toThrow(/x.zip is not a readable zip file/);
  });
});

describe('own files', () => {
  const csv = strToU8('a;b;colour;label\n1,5;2;red;x\n3,5;;blue;y\n2;4;red;x\n8;9;blue;y\n5,5;1;red;x\n6;2;blue;y\n');
  const settings2 = { label: '', features: [], imageSize: '28-gray' as const, testFraction: 0.34, seed: 3 };

  it('packs the same images into the same zip whatever order they come in', () => {
    const a = { path: 'cats/1.png', bytes: new Uint8Array([1, 2]) };
    const b = { path: 'dogs/1.png', bytes: new Uint8Array([3]) };
    expect(packClassFiles([a, b])).toEqual(packClassFiles([b, a]));
  });

  it('previews a table: its columns with their kinds, the first rows and the notices', async () => {
    const { preview, split } = await readOwnFile(csv, 't.csv', 'f'.repeat(64), settings2);
    expect(preview.kind).toBe('table');
    expect(preview.columns.map((c) => c.kind)).toEqual(['numeric', 'numeric', 'categorical', 'label']);
    expect(preview.head[1]).toEqual(['1,5', '2', 'red', 'x']);
    expect(preview.counts).toEqual([3, 3]);
    expect(preview.shape).toEqual([4]);
    expect(preview.notices.join(' ')).toContain('Column "b": 1 missing value(s)');
    expect(exampleCount(split.train) + exampleCount(split.test)).toBe(6);
  });

  it('refuses a file whose fingerprint is not the one the link names, and names both', async () => {
    const request = { files: [{ path: 't.csv', bytes: csv }], name: 't.csv', settings: settings2, expected: { name: 'orig.csv', fingerprint: '0'.repeat(64) } };
    await expect(loadOwnFiles(request)).rejects.toThrow(/t.csv is not the file this link was made with: .* the link's file "orig.csv" starts 000000000000/);
  });

  it('refuses an empty file', async () => {
    await expect(loadOwnFiles({ files: [{ path: 'e.csv', bytes: new Uint8Array() }], name: 'e.csv', settings: settings2, expected: null })).rejects.toThrow('e.csv is empty');
  });

  it('trains when this browser cannot keep the file, and says a reload will ask for it', async () => {
    // Node has no IndexedDB: the store fails as a private window's would.
    const preview = await loadOwnFiles({ files: [{ path: 't.csv', bytes: csv }], name: 't.csv', settings: settings2, expected: null });
    expect(preview.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(preview.notices.at(-1)).toContain('could not be kept in this browser');
  });

  it('reads the lab binary format as images named by class number', async () => {
    const labels = Uint8Array.from({ length: 10 }, (_, i) => i % 2);
    const bytes = encodeDatasetFile({ rows: 2, cols: 2, channels: 1, numClasses: 2, pixels: new Uint8Array(40), labels });
    const { preview } = await readOwnFile(bytes, 'd.bin', 'e'.repeat(64), settings2);
    expect(preview).toMatchObject({ kind: 'images', fileKind: 'catd', classes: ['0', '1'], counts: [5, 5], shape: [2, 2, 1] });
  });
});

describe('own data read again', () => {
  it('reads the last file again with other settings even where nothing could be kept', async () => {
    const csv = strToU8('a,b,label\n1,5,x\n2,6,y\n3,7,x\n4,8,y\n5,9,x\n6,1,y\n');
    const settings = { label: '', features: [], imageSize: '28-gray' as const, testFraction: 0.34, seed: 3 };
    const first = await loadOwnFiles({ files: [{ path: 't.csv', bytes: csv }], name: 't.csv', settings, expected: null });
    const again = await storedOwnData(first.fingerprint, { ...settings, features: ['a'] });
    expect(again?.preview.shape).toEqual([1]);
    expect(await storedOwnData('9'.repeat(64), settings)).toBeNull();
  });
});
