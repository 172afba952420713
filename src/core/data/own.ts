/**
 * Your own data (issue 15): what kind of file it is, what the page is shown about it, and what a
 * link keeps of it (name, fingerprint, shape and class names; never the data). Pure: the worker
 * reads the files, the page renders the preview.
 */
import { isOwnData, type ExperimentConfig, type ImageSize, type OwnDatasetId } from '../config/schema';
import type { ColumnKind, RowEncoding } from '../tabular/encode';
import { DATASET_MAGIC } from './format';

/** How a file is read: a CSV/TSV table, a zip of class folders, or the lab's binary format. */
export type OwnFileKind = 'table' | 'zip' | 'catd';

/** Sniffs a file's kind from its first bytes (a zip starts "PK\x03\x04", the lab's format "CATD"); anything else is read as text. */
export function ownFileKind(bytes: Uint8Array): OwnFileKind {
  const start = String.fromCharCode(...bytes.subarray(0, 4));
  if (start === 'PK\x03\x04' || start === 'PK\x05\x06') return 'zip';
  if (start === DATASET_MAGIC) return 'catd';
  return 'table';
}

/** The dataset kind a file trains as: a table is a table, a zip or a binary file holds images. */
export const datasetKindOf = (kind: OwnFileKind): OwnDatasetId => (kind === 'table' ? 'table' : 'images');

/** The settings that change how own data is read (and so the training data it gives). */
export interface OwnDataSettings {
  readonly label: string;
  readonly features: readonly string[];
  readonly imageSize: ImageSize;
  readonly testFraction: number;
  readonly seed: number;
}

export function ownDataSettings(config: ExperimentConfig): OwnDataSettings {
  const { label, features, imageSize, testFraction } = config.data;
  return { label, features: [...features], imageSize, testFraction, seed: config.train.seed };
}

/** One column of a table as the preview shows it. */
export interface ColumnPreview {
  readonly name: string;
  readonly kind: ColumnKind | 'label';
  readonly missing: number;
  readonly reason: string | null;
}

/** What the page shows of loaded data, and what the link keeps of it. */
export interface OwnDataPreview {
  readonly kind: OwnDatasetId;
  readonly fileKind: OwnFileKind;
  readonly name: string;
  /** Hex SHA-256 of the file's bytes (for images added one by one: of the zip they were packed into). */
  readonly fingerprint: string;
  readonly bytes: number;
  /** Shape of one example, e.g. [7] for a table with seven features or [28, 28, 1]. */
  readonly shape: readonly number[];
  readonly classes: readonly string[];
  /** Examples per class, train and test together. */
  readonly counts: readonly number[];
  readonly trainExamples: number;
  readonly testExamples: number;
  /** Tables: the label column, every column's detected kind, and the header with the first rows. */
  readonly label: string | null;
  readonly columns: readonly ColumnPreview[];
  readonly head: readonly (readonly string[])[];
  /** Tables: how a row is encoded (with the training split's statistics), for the Try panel; null for images. */
  readonly encoding: RowEncoding | null;
  /** Everything the lab did that the user should know: imputed cells, columns left out, images resized or skipped. */
  readonly notices: readonly string[];
  /** Paths of images that could not be decoded (skipped). */
  readonly corrupt: readonly string[];
  /** Milliseconds spent parsing or decoding, and hashing (the benchmark reads them). */
  readonly parseMs: number;
  readonly hashMs: number;
}

/** Writes what identifies loaded data into the config; images default to the CNN. */
export function applyOwnData(config: ExperimentConfig, preview: OwnDataPreview): void {
  const wasImages = config.data.dataset === 'images';
  Object.assign(config.data, {
    dataset: preview.kind,
    name: preview.name,
    fingerprint: preview.fingerprint,
    shape: [...preview.shape],
    classes: [...preview.classes],
    url: '',
  });
  if (preview.kind === 'table') config.model.kind = 'mlp';
  else if (!wasImages) config.model.kind = 'cnn';
}

/** Whether a config trains on own data that it names by fingerprint. */
export const needsOwnData = (config: ExperimentConfig): boolean => isOwnData(config.data.dataset);

/** The first 12 hex digits, enough to tell two files apart on screen. */
export const shortFingerprint = (hex: string): string => hex.slice(0, 12);

/** The message for a file that is not the one a link was made with. */
export function fingerprintMismatch(wantName: string, want: string, gotName: string, got: string): string {
  return `${gotName} is not the file this link was made with: its SHA-256 starts ${shortFingerprint(got)}, the link's file "${wantName}" starts ${shortFingerprint(want)}. Nothing was loaded; choose the same file.`;
}

/** Examples per class in labels `y` (0..numClasses-1). */
export function classCountsOf(labels: readonly ArrayLike<number>[], numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const y of labels) {
    for (let i = 0; i < y.length; i++) {
      const k = y[i] as number;
      counts[k] = (counts[k] ?? 0) + 1;
    }
  }
  return counts;
}
