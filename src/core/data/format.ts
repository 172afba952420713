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
import { checkFileSize, FILE_CAPS, FileTooLargeError, formatBytes } from '../files/caps';
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

/** What the 16-byte header declares, checked field by field. */
export interface DatasetHeader {
  readonly rows: number;
  readonly cols: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly examples: number;
  /** Length of the whole file the header promises: header, pixels and labels. */
  readonly totalBytes: number;
}

const failure = (source: string) => (what: string): never => {
  throw new DatasetFormatError(`The dataset file ${source} cannot be used: ${what}.`);
};

/**
 * Reads and checks the 16-byte header (at least its first 16 bytes must be given). Throws
 * DatasetFormatError, naming `source`, for a short buffer, a wrong magic or version, an empty
 * shape, a class count outside 2..256 or fewer than 2 examples.
 */
export function decodeDatasetHeader(bytes: Uint8Array, source: string): DatasetHeader {
  const fail = failure(source);
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
  const examples = view.getUint32(12, true);
  if (channels < 1 || rows < 1 || cols < 1) fail(`its image shape ${rows}x${cols}x${channels} is empty`);
  if (numClasses < 2 || numClasses > 256) fail(`it declares ${numClasses} classes (2 to 256 allowed)`);
  if (examples < 2) fail(`it holds ${examples} examples (at least 2 needed)`);
  const totalBytes = DATASET_HEADER_BYTES + examples * rows * cols * channels + examples;
  return { rows, cols, channels, numClasses, examples, totalBytes };
}

/**
 * Reads a dataset file, checking every header field and the exact length, so a truncated
 * download or a file in another format is reported rather than trained on.
 * @param source the file's name or URL, used in error messages.
 */
export function decodeDatasetFile(bytes: Uint8Array, source: string): ImageDataFile {
  const fail = failure(source);
  const { rows, cols, channels, numClasses, examples: n, totalBytes: expected } = decodeDatasetHeader(bytes, source);
  const pixelBytes = expected - DATASET_HEADER_BYTES - n;
  if (bytes.length < expected) fail(`it is truncated: ${bytes.length} bytes where the header promises ${expected}`);
  if (bytes.length > expected) fail(`it has ${bytes.length - expected} unexpected bytes after the labels`);
  const pixels = bytes.subarray(DATASET_HEADER_BYTES, DATASET_HEADER_BYTES + pixelBytes);
  const labels = bytes.subarray(DATASET_HEADER_BYTES + pixelBytes);
  for (let i = 0; i < n; i++) if ((labels[i] as number) >= numClasses) fail(`example ${i} has label ${labels[i]}, but there are only ${numClasses} classes`);
  return { rows, cols, channels, numClasses, pixels, labels };
}

/** Throws DatasetFormatError with the cap's message when `bytes` is over the dataset cap. */
function checkCap(source: string, bytes: number, cap: number, what: string): void {
  try {
    checkFileSize('dataset', source, bytes, cap);
  } catch (e) {
    if (!(e instanceof FileTooLargeError)) throw e;
    throw new DatasetFormatError(`The dataset file ${source} cannot be used: ${what} ${formatBytes(bytes)}, more than the ${formatBytes(cap)} allowed for a dataset file; it was not downloaded.`);
  }
}

/**
 * Reads a dataset download as it streams: refuses a `Content-Length` over the cap before reading,
 * checks the 16-byte header as soon as it arrives, refuses a promised length over the cap, then
 * reads into one buffer of exactly that length and stops (cancelling the download) the moment
 * more arrives. Throws DatasetFormatError; returns the whole file, to pass to decodeDatasetFile.
 */
export async function readDatasetStream(
  body: ReadableStream<Uint8Array>,
  contentLength: string | null,
  source: string,
  cap: number = FILE_CAPS.dataset,
): Promise<Uint8Array> {
  const fail = failure(source);
  if (contentLength !== null && contentLength.trim() !== '') checkCap(source, Number(contentLength), cap, 'the server announces');
  const reader = body.getReader();
  const stop = (what: string): never => {
    void reader.cancel().catch(() => undefined);
    return fail(what);
  };
  let head: Uint8Array = new Uint8Array(0);
  let out: Uint8Array | null = null;
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (out === null) {
      head = concat(head, value);
      if (head.length < DATASET_HEADER_BYTES) continue;
      let header: DatasetHeader;
      try {
        header = decodeDatasetHeader(head, source);
        checkCap(source, header.totalBytes, cap, 'its header promises');
      } catch (e) {
        void reader.cancel().catch(() => undefined);
        throw e;
      }
      if (head.length > header.totalBytes) stop(`it has ${head.length - header.totalBytes} unexpected bytes after the labels`);
      out = new Uint8Array(header.totalBytes);
      out.set(head);
      received = head.length;
      continue;
    }
    if (received + value.length > out.length) stop(`it has more bytes than the ${out.length} its header promises`);
    out.set(value, received);
    received += value.length;
  }
  if (out === null) return head; // shorter than the header: decodeDatasetFile names that
  if (received < out.length) fail(`it is truncated: ${received} bytes where the header promises ${out.length}`);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const c = new Uint8Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}

/** Converts a decoded image file to a float dataset (pixels scaled to [0, 1]). */
export function datasetFromImageFile(file: ImageDataFile, name: string): Dataset {
  const x = new Float32Array(file.pixels.length);
  for (let i = 0; i < x.length; i++) x[i] = (file.pixels[i] as number) / 255;
  return { name, inputShape: [file.rows, file.cols, file.channels], numClasses: file.numClasses, x, y: file.labels.slice() };
}
