/**
 * The user's own data, read in the worker: a CSV/TSV table streamed through papaparse, or images
 * from class folders decoded with createImageBitmap and OffscreenCanvas. The rules (column kinds,
 * encoding, class folders, resizing) are pure functions in src/core.
 */
import Papa from 'papaparse';
import { unzipSync } from 'fflate';
import { buildTabular, type TableSettings, type TabularDataset } from '../src/core/tabular/encode';
import { detectDelimiter, TableBuilder, TableError } from '../src/core/tabular/table';
import { classFolders, ImageSetError, type ClassFolders } from '../src/core/images/folders';
import { sizeNotice, toExample, type ImageShape } from '../src/core/images/pixels';
import { splitIndices, takeExamples, type Dataset, type SplitDataset } from '../src/core/data/dataset';

/** The largest file the lab reads (a browser tab holds the whole dataset in memory). */
export const MAX_OWN_FILE_BYTES = 200 * 1024 * 1024;
/** Rows handed to the table builder at a time. */
const CHUNK_BYTES = 1 << 20;

function checkSize(bytes: Uint8Array, name: string): void {
  if (bytes.byteLength > MAX_OWN_FILE_BYTES) throw new TableError(`${name} is ${(bytes.byteLength / 1048576).toFixed(0)} MB; the lab reads files of at most ${MAX_OWN_FILE_BYTES / 1048576} MB. Nothing was loaded.`);
}

/** Reads a CSV/TSV file into training and test data. Throws a TableError naming what is wrong. */
export function readTable(bytes: Uint8Array, name: string, settings: TableSettings): TabularDataset {
  checkSize(bytes, name);
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
  return buildTabular(builder.finish(), settings, name);
}

/** Image files of a zip, by path; entries over the caps are refused before they are inflated. */
export function unzipImages(bytes: Uint8Array, name: string): Map<string, Uint8Array> {
  checkSize(bytes, name);
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        total += f.originalSize;
        if (f.originalSize > 50 * 1024 * 1024 || total > MAX_OWN_FILE_BYTES * 2) throw new ImageSetError(`${name} unpacks to more than ${MAX_OWN_FILE_BYTES * 2 / 1048576} MB (at ${f.name}); the lab reads at most that. Nothing was loaded.`);
        return /\.(png|jpe?g|webp)$/i.test(f.name);
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
  for (const [i, f] of set.files.entries()) {
    const pixels = await decode(files.get(f.path) as Uint8Array);
    if (!pixels) corrupt.push(f.path);
    else {
      x.set(toExample(pixels.data, pixels.width, pixels.height, shape), labels.length * featureSize);
      labels.push(f.label);
      sizes.push({ width: pixels.width, height: pixels.height });
    }
    if (i % 50 === 49) onProgress?.(i + 1, set.files.length);
  }
  const counts = set.classes.map((_, c) => labels.filter((l) => l === c).length);
  const thin = set.classes.filter((_, c) => (counts[c] as number) < 2);
  if (thin.length) throw new ImageSetError(`After skipping ${corrupt.length} file(s) that could not be decoded, class ${thin.map((c) => `"${c}"`).join(', ')} has fewer than 2 images.`);
  const all: Dataset = { name, inputShape: [shape.size, shape.size, shape.channels], numClasses: set.classes.length, x: x.subarray(0, labels.length * featureSize), y: Uint8Array.from(labels) };
  const { train, test } = splitIndices(labels.length, testFraction, seed);
  const notices = [sizeNotice(sizes, shape), corrupt.length ? `${corrupt.length} file(s) could not be decoded and were skipped: ${corrupt.slice(0, 5).join(', ')}${corrupt.length > 5 ? ', ...' : ''}.` : null].filter((n): n is string => n !== null);
  return { split: { train: takeExamples(all, train, `${name} (train)`), test: takeExamples(all, test, `${name} (test)`) }, classes: set.classes, counts, corrupt, notices };
}
