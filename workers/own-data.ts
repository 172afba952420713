/**
 * The user's own data, read in the worker: a CSV/TSV table streamed through papaparse, images
 * from class folders decoded with createImageBitmap and OffscreenCanvas, or a file in the lab's
 * binary format. The rules (column kinds, encoding, class folders, resizing) are pure functions
 * in src/core; the bytes are kept in IndexedDB under their SHA-256 (own-data-store.ts).
 */
import Papa from 'papaparse';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { ExperimentConfig } from '../src/core/config/schema';
import { buildTabular, type TableSettings, type TabularDataset } from '../src/core/tabular/encode';
import { detectDelimiter, TableBuilder, TableError, type Table } from '../src/core/tabular/table';
import { classFolders, ImageSetError, MAX_IMAGES, type ClassFolders } from '../src/core/images/folders';
import { GRAY_28, RGB_32, sizeNotice, toExample, type ImageShape } from '../src/core/images/pixels';
import { splitDataset, splitIndices, takeExamples, type Dataset, type SplitDataset } from '../src/core/data/dataset';
import { datasetFromImageFile, decodeDatasetFile } from '../src/core/data/format';
import { sha256Hex } from '../src/core/data/fingerprint';
import { checkFileSize, formatBytes } from '../src/core/files/caps';
import { ZIP_LIMITS } from '../src/core/compress/archive';
import { classCountsOf, datasetKindOf, fingerprintMismatch, ownDataSettings, ownFileKind, shortFingerprint, type OwnDataPreview, type OwnDataSettings } from '../src/core/data/own';
import { storedOwnFile, storeOwnFile } from './own-data-store';

/** Rows handed to the table builder at a time. */
const CHUNK_BYTES = 1 << 20;

/** Reads a CSV/TSV file into training and test data. Throws a TableError naming what is wrong. */
export function readTable(bytes: Uint8Array, name: string, settings: TableSettings): { table: Table; tabular: TabularDataset } {
  checkFileSize('dataset', name, bytes.byteLength);
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(text.slice(0, 64_000));
  const builder = new TableBuilder(delimiter);
  let failure: unknown = null;
  const config = {
    delimiter,
    chunkSize: CHUNK_BYTES,
    chunk: (chunk: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
      try {
        builder.add(chunk.data);
      } catch (e) {
        failure = e;
        parser.abort();
      }
    },
  };
  // papaparse streams a string in chunks too (synchronously); its types only declare `chunk` for files.
  Papa.parse<string[]>(text, config as Papa.ParseConfig<string[]>);
  if (failure) throw failure;
  const table = builder.finish();
  return { table, tabular: buildTabular(table, settings, name) };
}

/** Image files of a zip, by path; entries over the zip caps (ZIP_LIMITS) are refused before they are inflated. */
export function unzipImages(bytes: Uint8Array, name: string): Map<string, Uint8Array> {
  checkFileSize('dataset', name, bytes.byteLength);
  let total = 0;
  let count = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        const image = /\.(png|jpe?g|webp)$/i.test(f.name);
        total += f.originalSize;
        count += image ? 1 : 0;
        if (f.originalSize > ZIP_LIMITS.entryBytes) throw new ImageSetError(`${name}: ${f.name} unpacks to ${formatBytes(f.originalSize)}, more than the ${formatBytes(ZIP_LIMITS.entryBytes)} allowed for one file in a zip. Nothing was loaded.`);
        if (total > ZIP_LIMITS.totalBytes) throw new ImageSetError(`${name} unpacks to more than ${formatBytes(ZIP_LIMITS.totalBytes)} (at ${f.name}), the most the lab unpacks. Nothing was loaded.`);
        if (count > MAX_IMAGES) throw new ImageSetError(`${name} holds more than ${MAX_IMAGES.toLocaleString('en')} images, the most the lab trains on. Nothing was loaded.`);
        return image;
      },
    });
  } catch (e) {
    if (e instanceof ImageSetError) throw e;
    throw new ImageSetError(`${name} is not a readable zip file (${(e as Error).message}). Nothing was loaded.`);
  }
  return new Map(Object.entries(files));
}

export interface ImageDataset {
  readonly split: SplitDataset;
  readonly classes: readonly string[];
  /** Per-class image counts after undecodable files were skipped. */
  readonly counts: readonly number[];
  /** Paths of files that could not be decoded, and were skipped. */
  readonly corrupt: readonly string[];
  readonly notices: readonly string[];
}

/** Images decoded concurrently (the browser decodes them on its own threads); the order of the examples stays the files' order. */
const DECODE_AT_ONCE = 16;

/** Decodes one image file to RGBA pixels, or null when the browser cannot decode it. */
async function decode(bytes: Uint8Array): Promise<{ data: Uint8ClampedArray; width: number; height: number } | null> {
  try {
    const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    return { data: ctx.getImageData(0, 0, canvas.width, canvas.height).data, width: canvas.width, height: canvas.height };
  } catch {
    return null;
  }
}

/** Decodes the images of class folders into a split dataset; undecodable files are named and skipped. */
export async function readImages(files: ReadonlyMap<string, Uint8Array>, name: string, shape: ImageShape, testFraction: number, seed: number, onProgress?: (done: number, total: number) => void): Promise<ImageDataset> {
  const set: ClassFolders = classFolders([...files.keys()]);
  const featureSize = shape.size * shape.size * shape.channels;
  const x = new Float32Array(set.files.length * featureSize);
  const labels: number[] = [];
  const corrupt: string[] = [];
  const sizes: { width: number; height: number }[] = [];
  for (let start = 0; start < set.files.length; start += DECODE_AT_ONCE) {
    const batch = set.files.slice(start, start + DECODE_AT_ONCE);
    const decoded = await Promise.all(batch.map((f) => decode(files.get(f.path) as Uint8Array)));
    decoded.forEach((pixels, k) => {
      const f = batch[k] as (typeof batch)[number];
      if (!pixels) return void corrupt.push(f.path);
      x.set(toExample(pixels.data, pixels.width, pixels.height, shape), labels.length * featureSize);
      labels.push(f.label);
      sizes.push({ width: pixels.width, height: pixels.height });
    });
    onProgress?.(start + batch.length, set.files.length);
  }
  const counts = set.classes.map((_, c) => labels.filter((l) => l === c).length);
  const thin = set.classes.filter((_, c) => (counts[c] as number) < 2);
  if (thin.length) throw new ImageSetError(`After skipping ${corrupt.length} file(s) that could not be decoded (${corrupt.slice(0, 3).join(', ')}), class ${thin.map((c) => `"${c}"`).join(', ')} has fewer than 2 images. Nothing was loaded.`);
  const all: Dataset = { name, inputShape: [shape.size, shape.size, shape.channels], numClasses: set.classes.length, x: x.subarray(0, labels.length * featureSize), y: Uint8Array.from(labels) };
  const { train, test } = splitIndices(labels.length, testFraction, seed);
  const notices = [
    sizeNotice(sizes, shape),
    corrupt.length ? `${corrupt.length} file(s) could not be decoded and were skipped: ${corrupt.slice(0, 5).join(', ')}${corrupt.length > 5 ? ', ...' : ''}.` : null,
    set.skipped.length ? `${set.skipped.length} file(s) are not images in a class folder and were left out: ${set.skipped.slice(0, 3).join(', ')}${set.skipped.length > 3 ? ', ...' : ''}.` : null,
  ].filter((n): n is string => n !== null);
  return { split: { train: takeExamples(all, train, `${name} (train)`), test: takeExamples(all, test, `${name} (test)`) }, classes: set.classes, counts, corrupt, notices };
}

/** Own data read and split: what training uses, and what the page is shown. */
export interface LoadedOwnData {
  readonly split: SplitDataset;
  readonly preview: OwnDataPreview;
}

const shapeOf = (settings: OwnDataSettings): ImageShape => (settings.imageSize === '32-rgb' ? RGB_32 : GRAY_28);

/** The preview fields every kind shares, from the split. */
function basePreview(split: SplitDataset, name: string, bytes: Uint8Array, fingerprint: string, classes: readonly string[]) {
  return {
    name,
    fingerprint,
    bytes: bytes.byteLength,
    shape: split.train.inputShape,
    classes,
    counts: classCountsOf([split.train.y, split.test.y], classes.length),
    trainExamples: split.train.y.length,
    testExamples: split.test.y.length,
  };
}

/** Reads a table file into its split and preview. */
function tablePreview(bytes: Uint8Array, name: string, fingerprint: string, settings: OwnDataSettings) {
  const { table, tabular } = readTable(bytes, name, settings);
  const columns = tabular.columns.map((c) => ({ name: c.name, kind: c.name === tabular.label ? ('label' as const) : c.kind, missing: c.missing, reason: c.reason }));
  return {
    split: tabular.split,
    preview: { ...basePreview(tabular.split, name, bytes, fingerprint, tabular.classes), label: tabular.label, columns, head: [table.header, ...table.rows.slice(0, 5)], encoding: tabular.encoding, notices: tabular.notices, corrupt: [] as string[] },
  };
}

/** Reads a zip of class folders, or a file in the lab's binary format, into its split and preview. */
async function imagesPreview(bytes: Uint8Array, name: string, fingerprint: string, settings: OwnDataSettings, binary: boolean) {
  const empty = { label: null, columns: [], head: [], encoding: null };
  if (binary) {
    const split = splitDataset(datasetFromImageFile(decodeDatasetFile(bytes, name), name), settings.testFraction, settings.seed);
    const classes = Array.from({ length: split.train.numClasses }, (_, i) => String(i));
    return { split, preview: { ...basePreview(split, name, bytes, fingerprint, classes), ...empty, notices: [], corrupt: [] } };
  }
  const images = await readImages(unzipImages(bytes, name), name, shapeOf(settings), settings.testFraction, settings.seed);
  return { split: images.split, preview: { ...basePreview(images.split, name, bytes, fingerprint, images.classes), ...empty, notices: images.notices, corrupt: images.corrupt } };
}

/** Reads own data from its bytes. Throws an error naming what is wrong and where; nothing is kept then. */
export async function readOwnFile(bytes: Uint8Array, name: string, fingerprint: string, settings: OwnDataSettings, hashMs = 0): Promise<LoadedOwnData> {
  const started = performance.now();
  const fileKind = ownFileKind(bytes);
  const read = fileKind === 'table' ? tablePreview(bytes, name, fingerprint, settings) : await imagesPreview(bytes, name, fingerprint, settings, fileKind === 'catd');
  return { split: read.split, preview: { ...read.preview, kind: datasetKindOf(fileKind), fileKind, parseMs: performance.now() - started, hashMs } };
}

/** A file the page hands over: its path (class folder and name, for images) and bytes. */
export interface OwnFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

// A fixed date, so the same images packed twice give the same bytes (and fingerprint).
const PACK_DATE = new Date('2000-01-01T00:00:00Z');

/**
 * Packs images added one by one, or a dropped folder, into one zip of class folders (stored,
 * sorted by path), so they have one fingerprint and are kept and re-checked as one file.
 */
export function packClassFiles(files: readonly OwnFile[]): Uint8Array {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const tree: Zippable = {};
  for (const f of sorted) tree[f.path] = [f.bytes, { level: 0, mtime: PACK_DATE }];
  return zipSync(tree);
}

/** The data read last: a second read of the same file with the same settings (the backend probe, then the run) is free. */
let cache: { readonly key: string; readonly data: LoadedOwnData } | null = null;
/** The file loaded last, so other settings can read it again where IndexedDB keeps nothing (a private window). */
let lastFile: { readonly fingerprint: string; readonly name: string; readonly bytes: Uint8Array } | null = null;
const cacheKey = (fingerprint: string, settings: OwnDataSettings) => `${fingerprint}|${JSON.stringify(settings)}`;

export interface OwnDataRequest {
  readonly files: readonly OwnFile[];
  /** The name shown and kept in the link (the file's, or the folder's). */
  readonly name: string;
  readonly settings: OwnDataSettings;
  /** The fingerprint (and file name) a link asks for; another file is refused, named. */
  readonly expected: { readonly name: string; readonly fingerprint: string } | null;
}

/** Reads files the user gave, checks them against what a link expects, keeps them in IndexedDB and returns the preview. */
export async function loadOwnFiles(request: OwnDataRequest): Promise<OwnDataPreview> {
  const single = request.files.length === 1 && !(request.files[0] as OwnFile).path.includes('/');
  const bytes = single ? (request.files[0] as OwnFile).bytes : packClassFiles(request.files);
  if (bytes.byteLength === 0) throw new TableError(`${request.name} is empty: there is nothing to train on. Nothing was loaded.`);
  checkFileSize('dataset', request.name, bytes.byteLength);
  const hashStart = performance.now();
  const fingerprint = await sha256Hex(bytes);
  const hashMs = performance.now() - hashStart;
  const { expected } = request;
  if (expected && expected.fingerprint !== '' && expected.fingerprint !== fingerprint) throw new Error(fingerprintMismatch(expected.name, expected.fingerprint, request.name, fingerprint));
  const data = await readOwnFile(bytes, request.name, fingerprint, request.settings, hashMs);
  cache = { key: cacheKey(fingerprint, request.settings), data };
  lastFile = { fingerprint, name: request.name, bytes };
  try {
    await storeOwnFile(fingerprint, { name: request.name, bytes });
    return data.preview;
  } catch (error) {
    return { ...data.preview, notices: [...data.preview.notices, `The file could not be kept in this browser (${(error as Error).message}); it trains now, but a reload will ask for it again.`] };
  }
}

/** Reads the data stored under a fingerprint with these settings; null when this browser does not have it. */
export async function storedOwnData(fingerprint: string, settings: OwnDataSettings): Promise<LoadedOwnData | null> {
  const key = cacheKey(fingerprint, settings);
  if (cache?.key === key) return cache.data;
  const stored = lastFile?.fingerprint === fingerprint ? lastFile : await storedOwnFile(fingerprint).catch(() => null);
  if (!stored) return null;
  const data = await readOwnFile(stored.bytes, stored.name, fingerprint, settings);
  cache = { key, data };
  return data;
}

/** The split own data of a config trains on. Throws, saying what to do, when this browser does not have the file. */
export async function ownDataset(config: ExperimentConfig): Promise<SplitDataset> {
  const { name, fingerprint } = config.data;
  if (fingerprint === '') throw new Error('This run is set to train on your own data, but no file is loaded: choose a table or images in the Data panel. Nothing was trained.');
  const data = await storedOwnData(fingerprint, ownDataSettings(config));
  if (!data) throw new Error(`This run trains on your own data "${name}" (SHA-256 ${shortFingerprint(fingerprint)}…), which is not in this browser: choose that file in the Data panel. Nothing was trained.`);
  return data.split;
}
