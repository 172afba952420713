/**
 * The compare table: one row per run, sortable, groupable by any setting with mean and range per
 * group, the Pareto front of accuracy against gCO2e or Wh, energy per 1,000 training samples, and
 * notes where a difference comes from the hardware rather than the setting.
 */
import { parseLink, valueToText } from '../config/link';
import { FIELDS, getPath, type ExperimentConfig } from '../config/schema';
import { paretoFront } from '../objective/pareto';
import type { CompareEntry } from './extract';
import type { ResultSummary } from './summary';

/** One run in the table. Figures are null where the run did not report them. */
export interface CompareRow {
  readonly key: string;
  readonly summary: ResultSummary;
  readonly config: ExperimentConfig;
  readonly mine: boolean;
  readonly nick: string;
  /** Test accuracy, 0-1. */
  readonly accuracy: number | null;
  readonly wh: number | null;
  readonly gCO2e: number | null;
  /** Training samples processed. */
  readonly samples: number;
  /** Wh per 1,000 training samples: the figure that compares devices fairly for one model. */
  readonly whPer1000: number | null;
}

/** A row; pass `config` when it is already parsed from the entry's link (parsing costs about a millisecond). */
export function rowFromEntry(entry: CompareEntry, mine = false, config: ExperimentConfig = parseLink(entry.summary.link).config): CompareRow {
  const s = entry.summary;
  const samples = s.metrics.samples;
  const wh = s.energy?.wh ?? null;
  return {
    key: entry.key,
    summary: s,
    config,
    mine,
    nick: s.nick,
    accuracy: s.metrics.acc,
    wh,
    gCO2e: s.carbon?.g ?? null,
    samples,
    whPer1000: wh !== null && samples > 0 ? (wh * 1000) / samples : null,
  };
}

/** A setting rows can be grouped by. */
export interface GroupSetting {
  readonly id: string;
  readonly label: string;
  readonly value: (row: CompareRow) => string;
}

const fieldSetting = (key: string, label: string): GroupSetting => {
  const spec = FIELDS.find((f) => f.key === key)!;
  return { id: key, label, value: (r) => valueToText(spec, getPath(r.config, spec.path)) };
};

/** The settings offered first, then every other field of the experiment by its link key. */
export const GROUP_SETTINGS: readonly GroupSetting[] = (() => {
  const named: GroupSetting[] = [
    fieldSetting('batch', 'batch size'),
    fieldSetting('hidden', 'hidden units'),
    { id: 'policy', label: 'scheduling policy', value: (r) => (r.config.schedule.mode === 'off' ? 'not scheduled' : r.config.schedule.policy) },
    fieldSetting('precision', 'export precision'),
    { id: 'ran-on', label: 'backend (ran on)', value: (r) => r.summary.backend },
    { id: 'device', label: 'device', value: (r) => r.summary.device || 'unknown device' },
  ];
  const taken = new Set(named.map((g) => g.id));
  return [...named, ...FIELDS.filter((f) => !taken.has(f.key) && f.key !== 'v').map((f) => fieldSetting(f.key, f.key))];
})();

export function groupSetting(id: string): GroupSetting | undefined {
  return GROUP_SETTINGS.find((g) => g.id === id);
}

/** Mean, smallest and largest of the figures that are known. */
export interface Spread {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function spread(values: readonly (number | null)[]): Spread | null {
  const xs = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (xs.length === 0) return null;
  return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

export interface RowGroup {
  readonly value: string;
  readonly rows: readonly CompareRow[];
  readonly accuracy: Spread | null;
  readonly wh: Spread | null;
  readonly gCO2e: Spread | null;
  readonly whPer1000: Spread | null;
  /** The hardware the group ran on: "backend on device". */
  readonly hardware: readonly string[];
}

const hardwareOf = (r: CompareRow) => `${r.summary.backend} on ${r.summary.device || 'unknown device'}`;
const collator = new Intl.Collator('en', { numeric: true });

/** Groups rows by a setting's value (numeric order for numbers). */
export function groupRows(rows: readonly CompareRow[], setting: GroupSetting): RowGroup[] {
  const byValue = new Map<string, CompareRow[]>();
  for (const r of rows) {
    const value = setting.value(r);
    const list = byValue.get(value);
    if (list) list.push(r);
    else byValue.set(value, [r]);
  }
  return [...byValue.entries()]
    .sort(([a], [b]) => collator.compare(a, b))
    .map(([value, rs]) => ({
      value,
      rows: rs,
      accuracy: spread(rs.map((r) => r.accuracy)),
      wh: spread(rs.map((r) => r.wh)),
      gCO2e: spread(rs.map((r) => r.gCO2e)),
      whPer1000: spread(rs.map((r) => r.whPer1000)),
      hardware: [...new Set(rs.map(hardwareOf))].sort(),
    }));
}

/**
 * Where energy differences come from the hardware rather than the setting: groups that ran on
 * different hardware, and the same experiment whose energy differs between devices.
 */
export function hardwareNotes(rows: readonly CompareRow[], setting: GroupSetting | null): string[] {
  const notes: string[] = [];
  if (setting && setting.id !== 'ran-on' && setting.id !== 'device') {
    const groups = groupRows(rows, setting);
    const sets = new Set(groups.map((g) => g.hardware.join(' + ')));
    if (groups.length > 1 && sets.size > 1) {
      const where = groups.map((g) => `${setting.label} ${g.value}: ${g.hardware.join(', ')}`).join('; ');
      notes.push(`The groups ran on different hardware (${where}), so part of their difference in Wh and gCO2e comes from the hardware, not the ${setting.label}. Compare Wh per 1,000 samples, or group by device.`);
    }
  }
  const byExperiment = new Map<string, CompareRow[]>();
  for (const r of rows) byExperiment.set(r.summary.link, [...(byExperiment.get(r.summary.link) ?? []), r]);
  for (const rs of byExperiment.values()) {
    const hardware = new Set(rs.map(hardwareOf));
    const wh = spread(rs.map((r) => r.wh));
    if (hardware.size > 1 && wh && wh.min > 0 && wh.max / wh.min > 1.1) {
      const who = rs.map((r) => r.nick || r.key).join(', ');
      notes.push(`The same experiment (${who}) used ${fmt(wh.min)}-${fmt(wh.max)} Wh on ${[...hardware].join(', ')}: with identical settings, that difference is the hardware's.`);
    }
  }
  return notes;
}

const fmt = (x: number) => Number(x.toPrecision(3)).toString();

/** Keys of the rows on the Pareto front of accuracy against `cost` (gCO2e or Wh). */
export function paretoKeys(rows: readonly CompareRow[], cost: 'gCO2e' | 'wh'): Set<string> {
  const points = rows.map((r) => ({ accuracy: r.accuracy ?? Number.NaN, cost: r[cost] ?? Number.NaN }));
  return new Set(paretoFront(points).map((i) => rows[i]!.key));
}
