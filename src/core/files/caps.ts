/**
 * Size caps for every file the lab reads (uploads and downloads), checked in one place so each
 * input refuses an oversized file before reading it, with a message that names the cap.
 */

const MIB = 1024 * 1024;

/** What kind of file is read; each has its own cap. */
export type FileKind = 'trace' | 'model' | 'dataset';

/**
 * Caps in bytes. Chosen for this lab, not taken from elsewhere: a year of 5-minute rows in an
 * Electricity Maps export is about 20 MiB of CSV (the bundled hourly traces are under 1 MiB); a
 * model the lab trains exports to under 10 MiB; the built-in MNIST file is 7.5 MiB, and a dataset
 * becomes 4x larger as float32 in the worker, so 256 MiB of bytes already needs 1 GiB there.
 */
export const FILE_CAPS: Readonly<Record<FileKind, number>> = {
  trace: 32 * MIB,
  model: 128 * MIB,
  dataset: 256 * MIB,
};

const LABELS: Readonly<Record<FileKind, string>> = {
  trace: 'a carbon-intensity trace',
  model: 'a model zip',
  dataset: 'a dataset file',
};

/** A file over its cap; the message names the file, its size and the cap. */
export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';
  constructor(
    readonly kind: FileKind,
    readonly fileName: string,
    readonly bytes: number,
    readonly cap: number,
  ) {
    super(`${fileName} is ${formatBytes(bytes)}, more than the ${formatBytes(cap)} allowed for ${LABELS[kind]}; it was not read.`);
  }
}

/** Bytes in the largest fitting binary unit, e.g. "32 MiB", "1.5 GiB", "900 bytes". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = unit === 0 ? String(value) : String(Math.round(value * 10) / 10);
  return `${rounded} ${units[unit]}`;
}

/** Throws FileTooLargeError when `bytes` (a file's size, or a download's announced length) is over the kind's cap. */
export function checkFileSize(kind: FileKind, fileName: string, bytes: number, cap: number = FILE_CAPS[kind]): void {
  if (!(bytes <= cap)) throw new FileTooLargeError(kind, fileName, bytes, cap);
}

/** The message for a file over its cap, or null when it fits; for inputs that show a message rather than throw. */
export function fileSizeProblem(kind: FileKind, fileName: string, bytes: number): string | null {
  try {
    checkFileSize(kind, fileName, bytes);
    return null;
  } catch (e) {
    return (e as FileTooLargeError).message;
  }
}
