import { describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { readTable, unzipImages } from './own-data';
import { exampleCount } from '../src/core/data/dataset';

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
