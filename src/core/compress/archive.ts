/**
 * The export zip: model.json, the weights .bin, metadata.json and the run's CSV, built with
 * fflate; and the reader that takes such a zip (or any zip holding a tfjs layers model) apart,
 * checking every entry's CRC-32 so a damaged download fails with a clear error.
 */
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
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
 * Reads a zip holding a tfjs layers model: model.json at the top or in one folder, with its
 * weight files beside it. Throws ModelFileError when the bytes are not a zip, the zip is
 * truncated or an entry fails its CRC-32, there is no model.json (or more than one), model.json
 * is not valid, or the weights do not match its manifest.
 */
export function readExportZip(bytes: Uint8Array): ImportedExport {
  const expected = centralDirectoryCrcs(bytes);
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

/** Entry name -> CRC-32 as the central directory records it (directories skipped). */
function centralDirectoryCrcs(bytes: Uint8Array): Map<string, number> {
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
  // ZIP64 archives (over 4 GiB or 65535 entries) put the real offset elsewhere; fflate's own
  // unpacking still checks those, and an export is never that large.
  if (start === 0xffffffff || count === 0xffff) return crcs;
  let p = start;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL_SIGNATURE) {
      throw new ModelFileError('the zip is truncated or corrupted (bad central directory)');
    }
    const utf8Name = (view.getUint16(p + 8, true) & 0x800) !== 0;
    const crc = view.getUint32(p + 16, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    if (p + 46 + nameLength > eocd) throw new ModelFileError('the zip is truncated or corrupted (bad central directory)');
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLength);
    // Bit 11 marks a UTF-8 name; otherwise decode byte per character, as fflate does.
    const name = utf8Name ? new TextDecoder().decode(nameBytes) : String.fromCharCode(...nameBytes);
    if (!name.endsWith('/')) crcs.set(name, crc);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return crcs;
}
