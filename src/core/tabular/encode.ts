/**
 * A table becomes a dataset: the label column gives the classes, numeric features are
 * standardised, categorical ones one-hot encoded, and missing values imputed, all with statistics
 * from the training split only (so nothing about the test rows leaks into training).
 */
import { splitIndices, takeExamples, type Dataset, type SplitDataset } from '../data/dataset';
import { cellNumber, isMissing, TableError, type Table } from './table';

export type ColumnKind = 'numeric' | 'categorical' | 'ignored';

export interface ColumnInfo {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly missing: number;
  /** Distinct values of a categorical column, most frequent first. */
  readonly categories: readonly string[];
  /** Why an ignored column was left out. */
  readonly reason: string | null;
}

export interface TableSettings {
  /** The label column's name; '' means the last column. */
  readonly label: string;
  /** Feature columns; empty means every column but the label. */
  readonly features: readonly string[];
  readonly testFraction: number;
  readonly seed: number;
}

export interface TabularDataset {
  readonly split: SplitDataset;
  readonly classes: readonly string[];
  readonly label: string;
  readonly columns: readonly ColumnInfo[];
  /** One name per input feature (`colour=red` for a one-hot feature). */
  readonly featureNames: readonly string[];
  /** How a row became the model's input: what the Try panel encodes a typed row with. */
  readonly encoding: RowEncoding;
  /** What the lab did that the user should know: imputed cells, dropped rows, left-out columns. */
  readonly notices: readonly string[];
}

/** A categorical feature with more distinct values than this is left out (free text, ids). */
export const MAX_CATEGORIES = 20;
/** At most this many classes (labels are stored as one byte). */
export const MAX_CLASSES = 100;
/** A column whose values are at least this share numbers is numeric; other cells in it are errors. */
const NUMERIC_SHARE = 0.8;

/** The detected kind of every column, for the preview. */
export function describeColumns(table: Table): ColumnInfo[] {
  return table.header.map((name, c) => describeColumn(table, c, name));
}

function describeColumn(table: Table, c: number, name: string): ColumnInfo {
  let missing = 0;
  let numbers = 0;
  const counts = new Map<string, number>();
  for (const row of table.rows) {
    const cell = row[c] as string;
    if (isMissing(cell)) missing++;
    else {
      if (cellNumber(cell, table.decimalComma[c] ?? false) !== null) numbers++;
      if (counts.size <= MAX_CLASSES) counts.set(cell, (counts.get(cell) ?? 0) + 1);
    }
  }
  const present = table.rows.length - missing;
  const categories = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([v]) => v);
  if (present === 0) return { name, kind: 'ignored', missing, categories: [], reason: 'every value is missing' };
  if (numbers / present >= NUMERIC_SHARE) return { name, kind: 'numeric', missing, categories: numbers === present ? [] : categories, reason: null };
  if (counts.size > MAX_CATEGORIES) return { name, kind: 'ignored', missing, categories: [], reason: `it has more than ${MAX_CATEGORIES} distinct values (free text or an id?)` };
  return { name, kind: 'categorical', missing, categories, reason: null };
}

/** Builds the training and test datasets from a table. Throws a TableError naming what is wrong and where. */
export function buildTabular(table: Table, settings: TableSettings, name: string): TabularDataset {
  const columns = describeColumns(table);
  const labelIndex = pickLabel(table, settings.label);
  const notices: string[] = [];
  const rows = table.rows.map((_, i) => i).filter((i) => !isMissing((table.rows[i] as readonly string[])[labelIndex] as string));
  if (rows.length < table.rows.length) notices.push(`${table.rows.length - rows.length} row(s) without a label (column "${table.header[labelIndex]}") were left out.`);
  const classes = classesOf(table, labelIndex, rows);
  const featureIndices = pickFeatures(table, columns, settings.features, labelIndex, notices);
  const order = splitIndices(rows.length, settings.testFraction, settings.seed);
  const trainRows = Array.from(order.train, (k) => rows[k] as number);
  const features = featureIndices.map((c) => encoderFor(table, c, columns[c] as ColumnInfo, trainRows, notices));
  const encoding: RowEncoding = { features, size: features.reduce((n, f) => n + widthOf(f), 0) };
  const all = encodeRows(table, rows, encoding, labelIndex, classes, name);
  return {
    split: { train: takeExamples(all, order.train, `${name} (train)`), test: takeExamples(all, order.test, `${name} (test)`) },
    classes,
    label: table.header[labelIndex] as string,
    columns,
    featureNames: features.flatMap(namesOf),
    encoding,
    notices,
  };
}

function pickLabel(table: Table, label: string): number {
  if (label === '') return table.header.length - 1;
  const i = table.header.indexOf(label);
  if (i < 0) throw new TableError(`There is no column "${label}" to use as the label; the columns are ${table.header.map((h) => `"${h}"`).join(', ')}.`);
  return i;
}

function classesOf(table: Table, labelIndex: number, rows: readonly number[]): string[] {
  const counts = new Map<string, number>();
  for (const i of rows) {
    const v = (table.rows[i] as readonly string[])[labelIndex] as string;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    if (counts.size > MAX_CLASSES) throw new TableError(`The label column "${table.header[labelIndex]}" has more than ${MAX_CLASSES} distinct values: is it the right column? Choose the label column.`);
  }
  const labelName = table.header[labelIndex];
  if (counts.size < 2) throw new TableError(`The label column "${labelName}" has only one class${counts.size ? ` ("${[...counts.keys()][0]}")` : ''}: a classifier needs at least two. Choose another label column.`);
  const rare = [...counts.entries()].filter(([, n]) => n < 2);
  if (rare.length) throw new TableError(`Class ${rare.slice(0, 5).map(([v]) => `"${v}"`).join(', ')} of the label column "${labelName}" has fewer than 2 examples, so it cannot be in both training and test data. Add examples or remove those rows.`);
  return [...counts.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

function pickFeatures(table: Table, columns: readonly ColumnInfo[], wanted: readonly string[], labelIndex: number, notices: string[]): number[] {
  for (const w of wanted) if (!table.header.includes(w)) throw new TableError(`There is no feature column "${w}"; the columns are ${table.header.map((h) => `"${h}"`).join(', ')}.`);
  const chosen = table.header.map((_, i) => i).filter((i) => i !== labelIndex && (wanted.length === 0 || wanted.includes(table.header[i] as string)));
  const used = chosen.filter((i) => {
    const col = columns[i] as ColumnInfo;
    if (col.kind === 'ignored') notices.push(`Column "${col.name}" was left out: ${col.reason}.`);
    return col.kind !== 'ignored';
  });
  if (used.length === 0) throw new TableError('No column can be used as a feature: every feature column is empty or free text.');
  return used;
}

/**
 * How one feature column becomes model inputs, with the training split's statistics: a numeric
 * value is standardised (missing: the median), a categorical one one-hot (missing: the mode).
 * Plain data, so it crosses the worker boundary and is kept with the preview.
 */
export type FeatureEncoding =
  | { readonly kind: 'numeric'; readonly name: string; readonly column: number; readonly decimalComma: boolean; readonly mean: number; readonly sd: number; readonly median: number }
  | { readonly kind: 'categorical'; readonly name: string; readonly column: number; readonly categories: readonly string[]; readonly mode: string };

/** The encoding of every feature column, in input order; `size` values per row. */
export interface RowEncoding {
  readonly features: readonly FeatureEncoding[];
  readonly size: number;
}

/** One feature's value: a number (numeric), a category (categorical), or null for missing. */
export type FeatureValue = number | string | null;

/** Model inputs a feature takes: 1, or one per category. */
export const widthOf = (f: FeatureEncoding): number => (f.kind === 'numeric' ? 1 : f.categories.length);

/** Input names of a feature (`colour=red` for a one-hot one). */
const namesOf = (f: FeatureEncoding): string[] => (f.kind === 'numeric' ? [f.name] : f.categories.map((v) => `${f.name}=${v}`));

/** Writes one feature's inputs into `out` at `at` (zeros there are assumed): the one encoder training and the Try panel share. */
export function writeFeature(f: FeatureEncoding, value: FeatureValue, out: Float32Array, at: number): void {
  if (f.kind === 'numeric') {
    out[at] = ((typeof value === 'number' ? value : f.median) - f.mean) / f.sd;
    return;
  }
  const i = f.categories.indexOf(typeof value === 'string' ? value : f.mode);
  if (i >= 0) out[at + i] = 1;
}

/** A table cell as a feature value: missing cells are null; a numeric cell is read with its column's decimal mark. */
export function cellValue(f: FeatureEncoding, cell: string): FeatureValue {
  if (isMissing(cell)) return null;
  return f.kind === 'numeric' ? cellNumber(cell, f.decimalComma) : cell;
}

/** Encodes one row given as one value per feature (in `encoding.features` order), exactly as training did. */
export function encodeRow(encoding: RowEncoding, values: readonly FeatureValue[]): Float32Array {
  const out = new Float32Array(encoding.size);
  writeRow(encoding, (_, i) => values[i] ?? null, out, 0);
  return out;
}

/** Writes every feature of one row into `out` from `at`, each value given by `valueOf`. */
function writeRow(encoding: RowEncoding, valueOf: (f: FeatureEncoding, i: number) => FeatureValue, out: Float32Array, at: number): void {
  encoding.features.forEach((f, i) => {
    writeFeature(f, valueOf(f, i), out, at);
    at += widthOf(f);
  });
}

/** A typical row: each numeric feature's training median, each categorical one's training mode. */
export function typicalRow(encoding: RowEncoding): FeatureValue[] {
  return encoding.features.map((f) => (f.kind === 'numeric' ? f.median : f.mode));
}

function encoderFor(table: Table, c: number, col: ColumnInfo, trainRows: readonly number[], notices: string[]): FeatureEncoding {
  const cells = trainRows.map((i) => (table.rows[i] as readonly string[])[c] as string);
  if (col.kind === 'numeric') return numericEncoder(table, c, col, cells, notices);
  const present = cells.filter((x) => !isMissing(x));
  const mode = mostFrequent(present) ?? (col.categories[0] as string);
  if (col.missing > 0) notices.push(`Column "${col.name}": ${col.missing} missing value(s) were filled with the most frequent value in the training data, "${mode}".`);
  return { kind: 'categorical', name: col.name, column: c, categories: col.categories, mode };
}

function numericEncoder(table: Table, c: number, col: ColumnInfo, cells: readonly string[], notices: string[]): FeatureEncoding {
  const comma = table.decimalComma[c] ?? false;
  checkNumeric(table, c, comma);
  const values = cells.filter((x) => !isMissing(x)).map((x) => cellNumber(x, comma)).filter((x): x is number => x !== null);
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted.length ? (sorted[Math.floor((sorted.length - 1) / 2)] as number + (sorted[Math.ceil((sorted.length - 1) / 2)] as number)) / 2 : 0;
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length)) || 1;
  if (col.missing > 0) notices.push(`Column "${col.name}": ${col.missing} missing value(s) were filled with the training data's median, ${median}.`);
  return { kind: 'numeric', name: col.name, column: c, decimalComma: comma, mean, sd, median };
}

/** A numeric column may hold numbers and missing cells only; the first other cell is named. */
function checkNumeric(table: Table, c: number, comma: boolean): void {
  const r = table.rows.findIndex((row) => !isMissing(row[c] as string) && cellNumber(row[c] as string, comma) === null);
  if (r < 0) return;
  const cell = (table.rows[r] as readonly string[])[c] as string;
  throw new TableError(`Line ${table.lines[r]}, column "${table.header[c]}": "${cell.slice(0, 40)}" is not a number, but the column's other values are. Fix or empty that cell (an empty cell is filled in); nothing was loaded.`);
}

function mostFrequent(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  let best: string | null = null;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (best === null || n > (counts.get(best) ?? 0)) best = v;
  }
  return best;
}

function encodeRows(table: Table, rows: readonly number[], encoding: RowEncoding, labelIndex: number, classes: readonly string[], name: string): Dataset {
  const x = new Float32Array(rows.length * encoding.size);
  const y = new Uint8Array(rows.length);
  rows.forEach((r, k) => {
    const row = table.rows[r] as readonly string[];
    writeRow(encoding, (f) => cellValue(f, row[f.column] as string), x, k * encoding.size);
    y[k] = classes.indexOf(row[labelIndex] as string);
  });
  return { name, inputShape: [encoding.size], numClasses: classes.length, x, y };
}
