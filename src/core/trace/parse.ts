import { checkFileSize, FILE_CAPS, FileTooLargeError } from '../files/caps';
import { TraceError } from './error';
import { checkFilledLength, gridRows, inferStep, stepText, type TraceRows } from './grid';
import type { Trace, TraceLayout } from './types';
import { GRAMS_PER_KWH, intensityUnitOf, type IntensityUnit } from './unit';

export { TraceError } from './error';

/** A parsed trace with what the loader recognised and what it did to the data. */
export interface ParsedTrace {
  readonly trace: Trace;
  readonly layout: TraceLayout;
  /** One human-readable paragraph, e.g. "recognised as Electricity Maps hourly export ...". */
  readonly note: string;
  /** Rows that carried a timestamp but no intensity; kept as null points. */
  readonly emptyRows: number;
  /** Points inserted as null where the timestamps skipped one or more steps. */
  readonly insertedPoints: number;
  /** The unit the intensity column was read in, e.g. "kgCO2/kWh" (values are converted to g/kWh). */
  readonly unit: string;
  /** What the user should know about the data: a unit conversion, a resampling, an implausible median. Also in `note`. */
  readonly notices: readonly string[];
}


interface Layout {
  readonly layout: TraceLayout;
  readonly timeColumn: number;
  readonly intensityColumn: number;
  readonly columnCount: number;
  readonly description: string;
  /** Column of Electricity Maps' "Data Estimated" flag, to count estimated rows. */
  readonly estimatedColumn: number | null;
  readonly unit: IntensityUnit;
}

const normalise = (header: string): string => header.trim().toLowerCase().replace(/₂/g, '2').replace(/\s+/g, ' ');

/** Names of the time column: ours, Electricity Maps', WattTime's (`point_time`) and EIA's (`period`). */
const TIME_HEADERS = new Set([
  'timestamp',
  'time',
  'datetime',
  'date',
  'date_time',
  'datetime_utc',
  'timestamp_utc',
  'time_utc',
  'date_utc',
  'datetime (utc)',
  'timestamp (utc)',
  'time (utc)',
  'date (utc)',
  'utc',
  'period',
  'period (utc)',
  'period_start',
  'interval_start',
  'start_time',
  'point_time',
  'start',
  'from',
]);

const isIntensityHeader = (h: string): boolean =>
  /g\/kwh|intensity|carbon|co2|emission|moer|\/mwh|per_[km]wh/.test(h) || ['ci', 'avg_ci', 'value'].includes(h);

/**
 * Recognises the layout from the header cells. The dc-rl layout is the one of
 * HewlettPackard/dc-rl `data/CarbonIntensity/*_NG_&_avgCI.csv` (see /work/shared/traces/README.md).
 * The Electricity Maps columns are those their data portal lists for its CSV downloads
 * (electricitymaps.com/data-portal): "Datetime (UTC)", ..., "Carbon Intensity gCO₂eq/kWh (direct)",
 * "Carbon Intensity gCO₂eq/kWh (life cycle assessment)" (older files: "(LCA)"), ...
 */
function recognise(header: readonly string[], fileName: string): Layout {
  const h = header.map(normalise);
  const columnCount = h.length;

  if (h[0] === 'timestamp' && h[columnCount - 1] === 'avg_ci' && h.includes('ng')) {
    return {
      layout: 'dc-rl',
      timeColumn: 0,
      intensityColumn: columnCount - 1,
      columnCount,
      estimatedColumn: null,
      unit: GRAMS_PER_KWH,
      description: 'dc-rl layout (timestamp, generation by fuel, avg_CI in gCO2/kWh)',
    };
  }

  const emTime = h.indexOf('datetime (utc)');
  if (emTime >= 0 && h.some((c) => c.startsWith('carbon intensity gco2eq/kwh'))) {
    // Life-cycle intensity is preferred: it is the figure Electricity Maps shows by default in its
    // app and API, and counts the emissions of building plants (solar, wind, nuclear are not zero).
    const lca = h.findIndex((c) => /^carbon intensity gco2eq\/kwh \((lca|life ?cycle.*)\)$/.test(c));
    const direct = h.indexOf('carbon intensity gco2eq/kwh (direct)');
    const intensityColumn = lca >= 0 ? lca : direct;
    if (intensityColumn < 0) {
      throw new TraceError(fileName, 1, 'Electricity Maps header without a life-cycle or direct intensity column');
    }
    const estimated = h.indexOf('data estimated');
    return {
      layout: 'electricity-maps',
      timeColumn: emTime,
      intensityColumn,
      columnCount,
      estimatedColumn: estimated >= 0 ? estimated : null,
      unit: GRAMS_PER_KWH,
      description:
        lca >= 0
          ? `Electricity Maps export, using the life-cycle column "${header[lca]?.trim()}"`
          : `Electricity Maps export, using the direct column "${header[direct]?.trim()}" (no life-cycle column)`,
    };
  }

  // A second column with unit text (brackets, "/", "per") counts too, so an unknown unit is named.
  if (columnCount === 2 && TIME_HEADERS.has(h[0] ?? '') && (isIntensityHeader(h[1] ?? '') || /[([/]|\bper\b/.test(h[1] ?? ''))) {
    const name = header[1]?.trim() ?? '';
    const unit = intensityUnitOf(name);
    if ('unrecognised' in unit) {
      throw new TraceError(
        fileName,
        1,
        `the intensity column "${name}" is in "${unit.unrecognised}", a unit the lab does not know; ` +
          'it reads gCO2/kWh, kgCO2/kWh and lb/MWh (or g, kg, t per MWh). Nothing was loaded.',
      );
    }
    const read = unit.assumed ? 'read as gCO2/kWh' : unit.toGramsPerKWh === 1 ? 'in gCO2/kWh' : `in ${unit.label}`;
    return {
      layout: 'two-column',
      timeColumn: 0,
      intensityColumn: 1,
      columnCount,
      estimatedColumn: null,
      unit,
      description: `two-column CSV ("${header[0]?.trim()}", "${name}" ${read})`,
    };
  }

  throw new TraceError(
    fileName,
    1,
    `unrecognised header "${header.join(',')}"; expected the dc-rl layout (timestamp,...,avg_CI), ` +
      'a two-column CSV (timestamp, gCO2/kWh) or an Electricity Maps export',
  );
}

/** Splits one CSV line, honouring double quotes (RFC 4180); returns null on an unclosed quote. */
function splitCsvLine(line: string): string[] | null {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  if (quoted) return null;
  cells.push(cell);
  return cells;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses an ISO-8601-like timestamp ("2022-01-01 00:00:00+00:00", "2022-01-01T00:00Z",
 * "2022-01-01 00:00:00", or EIA's hourly "2022-01-01T05"). A timestamp without a zone is read as UTC, because both Electricity Maps
 * ("Datetime (UTC)") and dc-rl write UTC. Returns NaN when the text is not a valid timestamp.
 */
export function parseTimestamp(text: string): number {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return Number.NaN;
  const [, y, mo, d, hh = '0', mm = '0', ss = '0', frac = '', zone = ''] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(hh);
  const minute = Number(mm);
  const second = Number(ss);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return Number.NaN;
  const local = Date.UTC(Number(y), month - 1, day, hour, minute, second, Number(frac.slice(0, 3).padEnd(3, '0')));
  if (new Date(local).getUTCDate() !== day) return Number.NaN; // e.g. 2022-02-30
  if (zone === '' || zone.toUpperCase() === 'Z') return local;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return local - sign * offsetMinutes * 60_000;
}

const baseName = (fileName: string): string =>
  (fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.[^.]*$/, '') || fileName;


/** Plausible medians in gCO2/kWh, from issue 12: real grids' averages lie far inside (Ember's country averages run from about 10 to about 900). */
const PLAUSIBLE_MEDIAN = { low: 1, high: 3000 } as const;

interface ReadRows extends TraceRows {
  readonly emptyRows: number;
  readonly estimatedRows: number;
}

/** Reads the data rows after the header: times strictly increasing, values in gCO2/kWh or null. */
function readRows(lines: readonly string[], from: number, layout: Layout, fileName: string): ReadRows {
  const times: number[] = [];
  const values: (number | null)[] = [];
  const lineNumbers: number[] = [];
  let emptyRows = 0;
  let estimatedRows = 0;
  for (let i = from; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    const cells = splitCsvLine(raw);
    if (cells === null) throw new TraceError(fileName, lineNo, 'unclosed quote');
    if (cells.length !== layout.columnCount) {
      throw new TraceError(fileName, lineNo, `expected ${layout.columnCount} cells, found ${cells.length}`);
    }
    const timeText = (cells[layout.timeColumn] ?? '').trim();
    const time = parseTimestamp(timeText);
    if (Number.isNaN(time)) throw new TraceError(fileName, lineNo, `cannot read the timestamp "${timeText.slice(0, 60)}"`);

    const valueText = (cells[layout.intensityColumn] ?? '').trim();
    let value: number | null = null;
    if (valueText === '') {
      emptyRows++;
    } else {
      value = Number(valueText);
      if (!Number.isFinite(value)) throw new TraceError(fileName, lineNo, `intensity "${valueText.slice(0, 60)}" is not a number`);
      if (value < 0) throw new TraceError(fileName, lineNo, `intensity ${value} is negative`);
      value *= layout.unit.toGramsPerKWh;
    }
    if (layout.estimatedColumn !== null && /^(true|1|yes)$/i.test((cells[layout.estimatedColumn] ?? '').trim())) estimatedRows++;
    const prev = times[times.length - 1];
    if (prev !== undefined && time <= prev) {
      const what = time === prev ? 'repeats the previous row' : 'goes backwards';
      throw new TraceError(fileName, lineNo, `timestamp "${timeText}" ${what}`);
    }
    times.push(time);
    values.push(value);
    lineNumbers.push(lineNo);
  }
  if (times.length === 0) throw new TraceError(fileName, null, 'no data rows after the header');
  return { times, values, lines: lineNumbers, emptyRows, estimatedRows };
}

/** The median of the known intensities, or null when there is none. */
function medianOf(points: Trace['points']): number | null {
  const known = Float64Array.from(points.flatMap((p) => (p.intensity === null ? [] : [p.intensity])));
  if (known.length === 0) return null;
  known.sort();
  const mid = known.length >> 1;
  return known.length % 2 === 1 ? (known[mid] as number) : ((known[mid - 1] as number) + (known[mid] as number)) / 2;
}

/**
 * Parses a carbon-intensity trace from CSV text, recognising its layout from the header:
 * the dc-rl layout (timestamp,WND,...,avg_CI), a two-column CSV (a time and an intensity, in
 * gCO2/kWh, kgCO2/kWh or lb/MWh as its header says; converted to gCO2/kWh) or an Electricity
 * Maps hourly export (life-cycle column preferred, direct as fallback).
 *
 * The step is the most common difference between consecutive timestamps (the smaller on a tie).
 * Rows off that step's grid (the step changes inside the file) are resampled onto it: each step
 * takes the mean of its rows, and a notice says so. Hole policy: a row with a timestamp and an
 * empty intensity becomes a point with null intensity, never zero; steps without a row get null
 * points inserted. Use `fillHoles` to fill them.
 * Throws TraceError (file name and 1-based line) on a file over FILE_CAPS.trace, a header whose
 * unit is unknown, a malformed row (wrong number of cells, a bad timestamp, a non-numeric or
 * negative intensity, times that repeat or go backwards) or gaps that would fill past
 * MAX_TRACE_POINTS. Pure; no I/O.
 */
export function parseTrace(text: string, fileName: string): ParsedTrace {
  try {
    checkFileSize('trace', fileName, text.length, FILE_CAPS.trace);
  } catch (e) {
    if (e instanceof FileTooLargeError) throw new TraceError(fileName, null, `the file ${e.message.slice(fileName.length + 1)}`);
    throw e;
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw new TraceError(fileName, null, 'the file is empty');
  const header = splitCsvLine(lines[headerIndex] ?? '');
  if (header === null) throw new TraceError(fileName, headerIndex + 1, 'unclosed quote in the header');
  const layout = recognise(header, fileName);
  const rows = readRows(lines, headerIndex + 1, layout, fileName);

  const stepMs = inferStep(rows.times);
  checkFilledLength(rows, stepMs, fileName);
  const { points, insertedPoints, offGridRows, mergedIntervals } = gridRows(rows, stepMs);

  const notices: string[] = [];
  const { unit } = layout;
  if (unit.toGramsPerKWh !== 1) notices.push(`intensities converted from ${unit.label} to gCO2/kWh (x ${unit.toGramsPerKWh})`);
  if (offGridRows > 0) {
    notices.push(
      `the step changes inside the file: ${offGridRows} rows are off the ${stepText(stepMs)} step, so the trace was resampled onto it ` +
        `(each ${stepText(stepMs)} takes the mean of its rows; ${mergedIntervals} held more than one)`,
    );
  }
  const median = medianOf(points);
  if (median !== null && (median < PLAUSIBLE_MEDIAN.low || median > PLAUSIBLE_MEDIAN.high)) {
    notices.push(
      `warning: the median intensity is ${Math.round(median * 1000) / 1000} gCO2/kWh, outside the plausible ${PLAUSIBLE_MEDIAN.low} to ` +
        `${PLAUSIBLE_MEDIAN.high.toLocaleString('en')}; check the unit of the column "${header[layout.intensityColumn]?.trim()}"`,
    );
  }

  const parts = [
    `recognised as ${layout.description}`,
    `${points.length} points every ${stepText(stepMs)} from ${new Date(points[0]?.time ?? 0).toISOString()}`,
  ];
  if (rows.emptyRows > 0) parts.push(`${rows.emptyRows} empty rows kept as holes`);
  if (insertedPoints > 0) parts.push(`${insertedPoints} missing timestamps inserted as holes`);
  if (rows.estimatedRows > 0) parts.push(`${rows.estimatedRows} rows estimated by Electricity Maps`);
  parts.push(...notices);

  return {
    trace: { name: baseName(fileName), layout: layout.layout, stepMs, points },
    layout: layout.layout,
    note: parts.join('; '),
    emptyRows: rows.emptyRows,
    insertedPoints,
    unit: unit.label,
    notices,
  };
}

/** What an upload input hands over; a browser `File` is one. */
export interface TraceFile {
  readonly name: string;
  readonly size: number;
  text(): Promise<string>;
}

/**
 * Reads an uploaded trace: refuses a file over FILE_CAPS.trace before reading it, then parses it.
 * Never throws: a problem comes back as the message to show.
 */
export async function readTraceFile(file: TraceFile): Promise<{ ok: true; text: string; parsed: ParsedTrace } | { ok: false; message: string }> {
  try {
    checkFileSize('trace', file.name, file.size);
    const text = await file.text();
    return { ok: true, text, parsed: parseTrace(text, file.name) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
