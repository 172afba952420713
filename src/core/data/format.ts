/**
 * The lab's compact binary dataset format ("CATD"), used for the built-in MNIST file and for
 * any larger image dataset served elsewhere. Little-endian throughout.
 *
 *   offset size  field
 *   0      4     magic "CATD"
 *   4      1     format version (1)
 *   5      1     channels
 *   6      2     rows (uint16)
 *   8      2     cols (uint16)
 *   10     2     number of classes (uint16)
 *   12     4     number of examples N (uint32)
 *   16     N*rows*cols*channels  pixels, uint8, example-major, row-major, channels last
 *   ...    N     labels, uint8
 */
import type { Dataset } from './dataset';

export const DATASET_MAGIC = 'CATD';
export const DATASET_FORMAT_VERSION = 1;
export const DATASET_HEADER_BYTES = 16;

/** A dataset file that cannot be read, with a message saying what is wrong with it. */
export class DatasetFormatError extends Error {
  override name = 'DatasetFormatError';
}

/** Raw contents of a dataset file: pixels stay uint8 until training needs floats. */
export interface ImageDataFile {
  readonly rows: number;
  readonly cols: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

/** Writes a dataset file. */
export function encodeDatasetFile(file: ImageDataFile): Uint8Array {
  const n = file.labels.length;
  const pixelBytes = n * file.rows * file.cols * file.channels;
  if (file.pixels.length !== pixelBytes) throw new DatasetFormatError(`expected ${pixelBytes} pixel bytes, got ${file.pixels.length}`);
  const out = new Uint8Array(DATASET_HEADER_BYTES + pixelBytes + n);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = DATASET_MAGIC.charCodeAt(i);
  view.setUint8(4, DATASET_FORMAT_VERSION);
  view.setUint8(5, file.channels);
  view.setUint16(6, file.rows, true);
  view.setUint16(8, file.cols, true);
  view.setUint16(10, file.numClasses, true);
  view.setUint32(12, n, true);
  out.set(file.pixels, DATASET_HEADER_BYTES);
  out.set(file.labels, DATASET_HEADER_BYTES + pixelBytes);
  return out;
}

/**
 * Reads a dataset file, checking every header field and the exact length, so a truncated
 * download or a file in another format is reported rather than trained on.
 * @param source the file's name or URL, used in error messages.
 */
export function decodeDatasetFile(bytes: Uint8Array, source: string): ImageDataFile {
  const fail = (what: string): never => {
    throw new DatasetFormatError(`The dataset file ${source} cannot be used: ${what}.`);
  };
  if (bytes.length < DATASET_HEADER_BYTES) fail(`it is ${bytes.length} bytes long, shorter than the ${DATASET_HEADER_BYTES}-byte header`);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== DATASET_MAGIC) fail(`it does not start with "${DATASET_MAGIC}" (is it an HTML error page or another format?)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(4);
  if (version !== DATASET_FORMAT_VERSION) fail(`format version ${version} is not supported (expected ${DATASET_FORMAT_VERSION})`);
  const channels = view.getUint8(5);
  const rows = view.getUint16(6, true);
  const cols = view.getUint16(8, true);
  const numClasses = view.getUint16(10, true);
  const n = view.getUint32(12, true);
  if (channels < 1 || rows < 1 || cols < 1) fail(`its image shape ${rows}x${cols}x${channels} is empty`);
  if (numClasses < 2 || numClasses > 256) fail(`it declares ${numClasses} classes (2 to 256 allowed)`);
  if (n < 2) fail(`it holds ${n} examples (at least 2 needed)`);
  const pixelBytes = n * rows * cols * channels;
  const expected = DATASET_HEADER_BYTES + pixelBytes + n;
  if (bytes.length < expected) fail(`it is truncated: ${bytes.length} bytes where the header promises ${expected}`);
  if (bytes.length > expected) fail(`it has ${bytes.length - expected} unexpected bytes after the labels`);
  const pixels = bytes.subarray(DATASET_HEADER_BYTES, DATASET_HEADER_BYTES + pixelBytes);
  const labels = bytes.subarray(DATASET_HEADER_BYTES + pixelBytes);
  for (let i = 0; i < n; i++) if ((labels[i] as number) >= numClasses) fail(`example ${i} has label ${labels[i]}, but there are only ${numClasses} classes`);
  return { rows, cols, channels, numClasses, pixels, labels };
}

/** Converts a decoded image file to a float dataset (pixels scaled to [0, 1]). */
export function datasetFromImageFile(file: ImageDataFile, name: string): Dataset {
  const x = new Float32Array(file.pixels.length);
  for (let i = 0; i < x.length; i++) x[i] = (file.pixels[i] as number) / 255;
  return { name, inputShape: [file.rows, file.cols, file.channels], numClasses: file.numClasses, x, y: file.labels.slice() };
}
