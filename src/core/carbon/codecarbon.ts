import type { EnergyReport } from '../energy/power';
import type { Component } from '../energy/profile-types';

/**
 * The columns of CodeCarbon's `emissions.csv`, in order, as CodeCarbon 3.3.0 writes them (the
 * header of a real 3.3.0 run kept in mlco2/codecarbon's CLI ci-report tests; meanings in its
 * docs/reference/output.md). Units: duration s, emissions kg CO2eq, emissions_rate kg/s, *_power
 * mean W, *_energy and energy_consumed kWh, water_consumed L, ram sizes GB.
 */
export const CODECARBON_COLUMNS = [
  'timestamp',
  'project_name',
  'run_id',
  'experiment_id',
  'duration',
  'emissions',
  'emissions_rate',
  'cpu_power',
  'gpu_power',
  'ram_power',
  'cpu_energy',
  'gpu_energy',
  'ram_energy',
  'energy_consumed',
  'water_consumed',
  'country_name',
  'country_iso_code',
  'region',
  'cloud_provider',
  'cloud_region',
  'os',
  'python_version',
  'codecarbon_version',
  'cpu_count',
  'cpu_model',
  'gpu_count',
  'gpu_model',
  'longitude',
  'latitude',
  'ram_total_size',
  'tracking_mode',
  'cpu_utilization_percent',
  'gpu_utilization_percent',
  'ram_utilization_percent',
  'ram_used_gb',
  'on_cloud',
  'pue',
  'wue',
] as const;

/** One column name. */
export type CodeCarbonColumn = (typeof CODECARBON_COLUMNS)[number];

/** One row: a number, a string, or null for a value the lab does not know (written as an empty field). */
export type CodeCarbonRow = Readonly<Record<CodeCarbonColumn, string | number | null>>;

/** What the lab knows about a finished run, to fill one row. */
export interface RunLog {
  /** When the run ended (CodeCarbon stamps the row when it writes it), ms since the epoch. */
  readonly endedAt: number;
  readonly projectName: string;
  readonly runId: string;
  readonly experimentId: string;
  /** Measured seconds of training. */
  readonly durationS: number;
  readonly energy: EnergyReport;
  /** Mean power per component over the run, in W (see `meanPower`). */
  readonly meanPowerW: Readonly<Record<Component, number>>;
  /** Typical carbon estimate, in grams. */
  readonly gCO2e: number;
  readonly countryName: string;
  /** ISO 3166-1 alpha-3, as CodeCarbon writes it. */
  readonly countryIsoCode: string;
  readonly region: string;
  /** e.g. the browser's platform string; free text. */
  readonly os: string;
  readonly cpuCount: number;
  readonly cpuModel: string;
  readonly gpuCount: number;
  readonly gpuModel: string;
  readonly ramTotalGB: number;
  readonly cpuUtilizationPercent?: number | null;
  readonly gpuUtilizationPercent?: number | null;
}

/** CodeCarbon's timestamp format, `%Y-%m-%dT%H:%M:%S`, written here in UTC. */
export const codeCarbonTimestamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19);

/**
 * One emissions.csv row for a run. Fields the browser cannot know (Python version, location,
 * cloud) are left empty; water is 0 as CodeCarbon writes it when no WUE is set.
 */
export function codeCarbonRow(run: RunLog): CodeCarbonRow {
  const kg = run.gCO2e / 1000;
  const e = run.energy.byComponent;
  return {
    timestamp: codeCarbonTimestamp(run.endedAt),
    project_name: run.projectName,
    run_id: run.runId,
    experiment_id: run.experimentId,
    duration: run.durationS,
    emissions: kg,
    emissions_rate: run.durationS > 0 ? kg / run.durationS : 0,
    cpu_power: run.meanPowerW.cpu,
    gpu_power: run.meanPowerW.gpu,
    ram_power: run.meanPowerW.ram,
    cpu_energy: e.cpu,
    gpu_energy: e.gpu,
    ram_energy: e.ram,
    energy_consumed: e.cpu + e.gpu + e.ram,
    water_consumed: 0,
    country_name: run.countryName,
    country_iso_code: run.countryIsoCode,
    region: run.region,
    cloud_provider: null,
    cloud_region: null,
    os: run.os,
    python_version: null,
    codecarbon_version: null,
    cpu_count: run.cpuCount,
    cpu_model: run.cpuModel,
    gpu_count: run.gpuCount,
    gpu_model: run.gpuModel,
    longitude: null,
    latitude: null,
    ram_total_size: run.ramTotalGB,
    tracking_mode: 'machine',
    cpu_utilization_percent: run.cpuUtilizationPercent ?? null,
    gpu_utilization_percent: run.gpuUtilizationPercent ?? null,
    ram_utilization_percent: null,
    ram_used_gb: null,
    on_cloud: 'N',
    pue: run.energy.pue,
    wue: 0,
  };
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, with quotes doubled.
 * Text starting with =, +, -, @, tab or CR gets a leading apostrophe so spreadsheets do not run
 * it as a formula (OWASP, "CSV Injection"); numbers are written as they are.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The rows as emissions.csv text: header, then one line per row. Lines end in LF as CodeCarbon's
 * own file does (it writes through pandas); RFC 4180 readers accept that too.
 */
export function toCodeCarbonCsv(rows: readonly CodeCarbonRow[]): string {
  const lines = [CODECARBON_COLUMNS.join(','), ...rows.map((row) => CODECARBON_COLUMNS.map((c) => csvField(row[c])).join(','))];
  return `${lines.join('\n')}\n`;
}

/** The same rows as a JSON array of objects with CodeCarbon's column names, in column order. */
export function toCodeCarbonJson(rows: readonly CodeCarbonRow[]): string {
  const ordered = rows.map((row) => Object.fromEntries(CODECARBON_COLUMNS.map((c) => [c, row[c]])));
  return JSON.stringify(ordered, null, 2);
}
