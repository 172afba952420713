/**
 * The columns of the compare table: one list drives the on-screen table, sorting, the terminal
 * table and the CSV export, and documents each CSV column (the README lists them from here).
 */
import { valueToText } from '../config/link';
import { FIELDS, getPath } from '../config/schema';
import type { CompareRow } from './table';
import { lessonAnswersText } from './lesson';

export type Cell = string | number | null;

export interface Column {
  /** Also the CSV header. */
  readonly id: string;
  readonly label: string;
  /** What the CSV column holds, with its unit. */
  readonly doc: string;
  readonly value: (row: CompareRow) => Cell;
  /** Shown in the on-screen and terminal tables (every column goes to the CSV). */
  readonly shown?: boolean;
  /** Shown on screen only when some row has a value (a column most sets do not have). */
  readonly shownWhenAny?: boolean;
}

const setting = (key: string) => {
  const spec = FIELDS.find((f) => f.key === key)!;
  return (r: CompareRow) => valueToText(spec, getPath(r.config, spec.path));
};

/** Every column, in CSV order. */
export const COLUMNS: readonly Column[] = [
  { id: 'nickname', label: 'who', doc: 'the nickname typed when the result was shared (may be empty)', value: (r) => r.nick, shown: true },
  { id: 'mine', label: 'mine', doc: '"yes" for the runs of this browser', value: (r) => (r.mine ? 'yes' : '') },
  { id: 'dataset', label: 'dataset', doc: 'dataset of the experiment', value: setting('dataset'), shown: true },
  { id: 'hidden', label: 'hidden', doc: 'hidden units per layer, comma-separated', value: setting('hidden'), shown: true },
  { id: 'batch_size', label: 'batch', doc: 'batch size', value: (r) => r.config.train.batchSize, shown: true },
  { id: 'epochs', label: 'epochs', doc: 'epochs completed', value: (r) => r.summary.metrics.epochs, shown: true },
  { id: 'learning_rate', label: 'lr', doc: 'learning rate', value: (r) => r.config.train.learningRate },
  { id: 'optimizer', label: 'optimizer', doc: 'sgd, momentum or adam', value: (r) => r.config.train.optimizer },
  { id: 'policy', label: 'policy', doc: 'scheduling policy, or "not scheduled"', value: (r) => (r.config.schedule.mode === 'off' ? 'not scheduled' : r.config.schedule.policy), shown: true },
  { id: 'precision', label: 'precision', doc: 'export precision setting (float32, float16, uint8)', value: (r) => r.config.compress.precision },
  { id: 'backend', label: 'backend', doc: 'backend the run really used (webgpu, webgl, wasm, cpu)', value: (r) => r.summary.backend, shown: true },
  { id: 'device', label: 'device', doc: 'device profile used for the energy estimate', value: (r) => r.summary.device, shown: true },
  { id: 'adapter', label: 'adapter', doc: 'WebGPU adapter vendor and architecture, empty without one', value: (r) => [r.summary.adapter.vendor, r.summary.adapter.architecture].filter(Boolean).join(' ') },
  { id: 'test_accuracy', label: 'accuracy %', doc: 'test accuracy after the last epoch, percent', value: (r) => (r.accuracy === null ? null : r.accuracy * 100), shown: true },
  { id: 'train_loss', label: 'loss', doc: 'mean training loss of the last epoch', value: (r) => r.summary.metrics.loss },
  { id: 'energy_wh', label: 'Wh', doc: 'estimated energy, typical, watt-hours', value: (r) => r.wh, shown: true },
  { id: 'energy_wh_low', label: 'Wh low', doc: 'low end of the energy range (low profile row), Wh', value: (r) => r.summary.energy?.lowWh ?? null },
  { id: 'energy_wh_high', label: 'Wh high', doc: 'high end of the energy range (high profile row), Wh', value: (r) => r.summary.energy?.highWh ?? null },
  { id: 'energy_method', label: 'method', doc: 'timestamp-query, duty-cycle, mixed or none', value: (r) => r.summary.energy?.method ?? null },
  { id: 'wh_per_1000_samples', label: 'Wh/1k samples', doc: 'energy per 1,000 training samples, Wh (compares devices for one model)', value: (r) => r.whPer1000, shown: true },
  { id: 'gco2e', label: 'gCO2e', doc: 'estimated emissions, typical, grams CO2-equivalent', value: (r) => r.gCO2e, shown: true },
  { id: 'gco2e_low', label: 'gCO2e low', doc: 'low end of the emissions range, g', value: (r) => r.summary.carbon?.low ?? null },
  { id: 'gco2e_high', label: 'gCO2e high', doc: 'high end of the emissions range, g', value: (r) => r.summary.carbon?.high ?? null },
  { id: 'carbon_provider', label: 'carbon source', doc: 'intensity source actually used (offline after a fallback)', value: (r) => r.summary.carbon?.provider ?? null },
  { id: 'carbon_region', label: 'region', doc: "the source's own region code", value: (r) => r.summary.carbon?.region ?? null },
  { id: 'carbon_signal', label: 'signal', doc: 'average or marginal intensity', value: (r) => r.summary.carbon?.signal ?? null },
  { id: 'intensity_g_per_kwh', label: 'g/kWh', doc: 'energy-weighted mean grid intensity, gCO2e/kWh', value: (r) => r.summary.carbon?.intensity ?? null },
  { id: 'schedule_saving', label: 'saving', doc: "schedule's saving against running at once, fraction (0.3 = 30%)", value: (r) => r.summary.schedule?.saving ?? null },
  { id: 'sparsity', label: 'sparsity', doc: 'exact zeros in the exported kernels, fraction', value: (r) => r.summary.compression?.sparsity ?? null },
  { id: 'export_gzip_bytes', label: 'gzip B', doc: 'exported model, gzipped, bytes', value: (r) => r.summary.compression?.gzipBytes ?? null },
  { id: 'deploy_pick', label: 'deploy', doc: 'recommended deployment: backend/precision/batch', value: (r) => (r.summary.deployment ? `${r.summary.deployment.backend}/${r.summary.deployment.precision}/${r.summary.deployment.batchSize}` : null) },
  { id: 'lesson_answers', label: 'lesson answers', doc: 'the lesson id, steps done and each answer, when the student shared their lesson record', value: (r) => lessonAnswersText(r.summary.lesson), shownWhenAny: true },
  { id: 'samples_trained', label: 'samples', doc: 'training samples processed (throughput x training seconds)', value: (r) => r.samples },
  { id: 'wall_seconds', label: 's', doc: 'seconds spent training', value: (r) => r.summary.metrics.wall },
  { id: 'outcome', label: 'outcome', doc: 'finished or stopped', value: (r) => r.summary.outcome },
  { id: 'app_version', label: 'app', doc: 'lab version that produced the result', value: (r) => r.summary.app },
  { id: 'created_at', label: 'created', doc: 'when the result was made, ISO 8601 UTC', value: (r) => r.summary.at },
  { id: 'experiment_link', label: 'link', doc: 'the link that opens the experiment (hash part, "#..." on the lab page)', value: (r) => `#${r.summary.link}` },
];

/** The columns to show on screen for these rows: the shown ones, and those shown when any row has a value. */
export function shownColumns(rows: readonly CompareRow[]): Column[] {
  return COLUMNS.filter((c) => c.shown || (c.shownWhenAny && rows.some((r) => c.value(r) !== null)));
}

export function column(id: string): Column | undefined {
  return COLUMNS.find((c) => c.id === id);
}

/** Rows sorted by a column; unknown figures last whatever the direction. */
export function sortRows(rows: readonly CompareRow[], columnId: string, direction: 'asc' | 'desc'): CompareRow[] {
  const col = column(columnId);
  if (!col) return [...rows];
  const sign = direction === 'asc' ? 1 : -1;
  const keyed = rows.map((row) => ({ row, cell: col.value(row) }));
  keyed.sort((a, b) => {
    const x = a.cell;
    const y = b.cell;
    if (x === null || x === '') return y === null || y === '' ? 0 : 1;
    if (y === null || y === '') return -1;
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x).localeCompare(String(y), 'en', { numeric: true });
  });
  return keyed.map((k) => k.row);
}

/** A cell as text: numbers at 4 significant digits. */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? Number(cell.toPrecision(4)).toString() : '';
  return cell;
}

function csvField(cell: Cell): string {
  let text = cell === null ? '' : typeof cell === 'number' ? String(cell) : cell;
  // A spreadsheet runs a cell that starts with = + - @ as a formula (OWASP "CSV injection").
  if (typeof cell === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV (RFC 4180, CRLF line ends), every column of COLUMNS, full precision. */
export function toCsv(rows: readonly CompareRow[], verification: (row: CompareRow) => string = () => ''): string {
  const header = [...COLUMNS.map((c) => c.id), 'verification'];
  const lines = rows.map((r) => [...COLUMNS.map((c) => csvField(c.value(r))), csvField(verification(r))].join(','));
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
