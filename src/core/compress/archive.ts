/**
 * The export zip: model.json, the weights .bin, metadata.json and the run's CSV, built with
 * fflate; and the reader that takes such a zip (or any zip holding a tfjs layers model) apart,
 * checking every entry's CRC-32 so a damaged download fails with a clear error.
 */
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { formatBytes } from '../files/caps';
import { crc32 } from './crc32';
import { ModelFileError, parseLayersModel, type LayersModelFiles, type ParsedLayersModel } from './manifest';

/** File names inside the export zip. */
export const EXPORT_ENTRY_NAMES = {
  modelJson: 'model.json',
  metadata: 'metadata.json',
  runCsv: 'run.csv',
} as const;

/** What goes into the export zip. */
export interface ExportBundle {
  readonly model: Pick<LayersModelFiles, 'modelJsonText' | 'weightsBin' | 'weightsFileName'>;
  /** metadata.json text: config, share link, labels, metrics, energy and carbon report. */
  readonly metadataJson: string;
  /** The run's CSV log. */
  readonly runCsv: string;
  /** Timestamp stored on every entry; pass the run's end time. Default 1980-01-01 (the ZIP epoch), so output bytes are reproducible. */
  readonly modifiedAt?: Date;
}

/** Builds the export zip (DEFLATE level 6). */
export function buildExportZip(bundle: ExportBundle): Uint8Array {
  const mtime = bundle.modifiedAt ?? new Date(1980, 0, 1);
  const files: Zippable = {
    [EXPORT_ENTRY_NAMES.modelJson]: strToU8(bundle.model.modelJsonText),
    [bundle.model.weightsFileName]: bundle.model.weightsBin,
    [EXPORT_ENTRY_NAMES.metadata]: strToU8(bundle.metadataJson),
    [EXPORT_ENTRY_NAMES.runCsv]: strToU8(bundle.runCsv),
  };
  return zipSync(files, { level: 6, mtime });
}

/** A model read back from a zip, plus the export's side files when present. */
export interface ImportedExport {
  readonly model: ParsedLayersModel;
  /** metadata.json text next to model.json, or null when the zip has none. */
  readonly metadataJson: string | null;
  readonly runCsv: string | null;
}

/**
 * Caps on what a zip may unpack to, checked on the central directory before anything is unpacked
 * (fflate allocates each entry at the size the directory declares and never grows it, so these
 * bound the memory; a lying smaller size fails the CRC-32). Chosen for this lab: an export holds
 * 4 entries and the lab's models are a few MiB; tfjs shards weights at 4 MiB, so 1000 entries
 * allow a 4 GiB model, far beyond the total cap.
 */
export interface ZipLimits {
  readonly entries: number;
  readonly entryBytes: number;
  readonly totalBytes: number;
}
export const ZIP_LIMITS: ZipLimits = {
  entries: 1000,
  entryBytes: 128 * 1024 * 1024,
  totalBytes: 256 * 1024 * 1024,
};

/**
 * Reads a zip holding a tfjs layers model: model.json at the top or in one folder, with its
 * weight files beside it. Throws ModelFileError when the bytes are not a zip, the zip is
 * truncated, ZIP64 or over ZIP_LIMITS (a zip bomb: refused before unpacking), an entry fails its
 * CRC-32, there is no model.json (or more than one), model.json is not valid, or the weights do
 * not match its manifest.
 */
export function readExportZip(bytes: Uint8Array, limits: ZipLimits = ZIP_LIMITS): ImportedExport {
  const expected = centralDirectoryCrcs(bytes, limits);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new ModelFileError(`the zip is corrupted and cannot be unpacked (${(e as Error).message})`);
  }
  for (const [name, crc] of expected) {
    const data = entries[name];
    if (data === undefined) throw new ModelFileError(`zip entry "${name}" could not be unpacked`);
    if (crc32(data) !== crc) throw new ModelFileError(`zip entry "${name}" is corrupted (CRC-32 mismatch)`);
  }
  const modelPaths = Object.keys(entries).filter((n) => n === 'model.json' || n.endsWith('/model.json'));
  if (modelPaths.length === 0) throw new ModelFileError('the zip holds no model.json');
  if (modelPaths.length > 1) throw new ModelFileError(`the zip holds ${modelPaths.length} model.json files: ${modelPaths.join(', ')}`);
  const modelPath = modelPaths[0]!;
  const folder = modelPath.slice(0, modelPath.length - 'model.json'.length);
  const siblings = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(entries)) {
    if (name.startsWith(folder) && name !== modelPath) siblings.set(name.slice(folder.length), data);
  }
  const model = parseLayersModel(utf8(entries[modelPath]!, 'model.json'), siblings);
  const side = (name: string): string | null => {
    const data = siblings.get(name);
    return data === undefined ? null : utf8(data, name);
  };
  return { model, metadataJson: side(EXPORT_ENTRY_NAMES.metadata), runCsv: side(EXPORT_ENTRY_NAMES.runCsv) };
}

/**
 * Reads model.json text and its weight files chosen separately (e.g. from a file picker). Same
 * checks and errors as `parseLayersModel`, plus a clear error when model.json is not UTF-8.
 */
export function readModelFiles(modelJson: Uint8Array, weightFiles: ReadonlyMap<string, Uint8Array>): ParsedLayersModel {
  return parseLayersModel(utf8(modelJson, 'model.json'), weightFiles);
}

function utf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ModelFileError(`${name} is not UTF-8 text; it may be corrupted`);
  }
}

// ZIP record layouts from PKWARE APPNOTE.TXT sections 4.3.12 (central directory file header)
// and 4.3.16 (end of central directory record).
const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_MIN_LENGTH = 22;
const MAX_COMMENT_LENGTH = 0xffff;

const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;

/** Entry name -> CRC-32 as the central directory records it (directories skipped), after checking the caps. */
function centralDirectoryCrcs(bytes: Uint8Array, limits: ZipLimits): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  const lowest = Math.max(0, bytes.length - EOCD_MIN_LENGTH - MAX_COMMENT_LENGTH);
  for (let i = bytes.length - EOCD_MIN_LENGTH; i >= lowest; i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new ModelFileError('the file is not a zip archive, or it is truncated (no end-of-central-directory record)');
  }
  const count = view.getUint16(eocd + 10, true);
  const start = view.getUint32(eocd + 16, true);
  const crcs = new Map<string, number>();
  // ZIP64 archives (over 4 GiB or 65535 entries) put the real counts elsewhere; fflate reads a
  // ZIP64 locator 20 bytes before the record. An export is never that large: refuse them.
  if (start === 0xffffffff || count === 0xffff || (eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR_SIGNATURE)) {
    throw new ModelFileError('the zip is a ZIP64 archive (over 4 GiB or 65,535 entries), far larger than any model the lab reads; nothing was unpacked');
  }
  if (count > limits.entries) {
    throw new ModelFileError(`the zip holds ${count} entries, more than the ${limits.entries} allowed; nothing was unpacked`);
  }
  let total = 0;
  let p = start;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL_SIGNATURE) {
      throw new ModelFileError('the zip is truncated or corrupted (bad central directory)');
    }
    const utf8Name = (view.getUint16(p + 8, true) & 0x800) !== 0;
    const crc = view.getUint32(p + 16, true);
    const size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    if (p + 46 + nameLength > eocd) throw new ModelFileError('the zip is truncated or corrupted (bad central directory)');
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLength);
    // Bit 11 marks a UTF-8 name; otherwise decode byte per character, as fflate does.
    const name = utf8Name ? new TextDecoder().decode(nameBytes) : String.fromCharCode(...nameBytes);
    checkEntrySize(name, size, (total += size), limits);
    if (!name.endsWith('/')) crcs.set(name, crc);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return crcs;
}

/** Throws ModelFileError when an entry, or the entries so far, unpack to more than the caps allow. */
function checkEntrySize(name: string, size: number, totalSoFar: number, limits: ZipLimits): void {
  const bomb = 'it looks like a zip bomb; nothing was unpacked, and what was loaded before is kept';
  const shown = name.length > 80 ? `${name.slice(0, 77)}...` : name;
  if (size > limits.entryBytes) {
    throw new ModelFileError(`zip entry "${shown}" unpacks to ${formatBytes(size)}, more than the ${formatBytes(limits.entryBytes)} an entry may have: ${bomb}`);
  }
  if (totalSoFar > limits.totalBytes) {
    throw new ModelFileError(`the zip's entries unpack to more than the ${formatBytes(limits.totalBytes)} allowed in all: ${bomb}`);
  }
}
