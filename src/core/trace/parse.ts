import { gramsPerKWh } from '../units';
import type { Trace, TraceLayout, TracePoint } from './types';

/** A malformed trace file; the message names the file and, where there is one, the 1-based line. */
export class TraceError extends Error {
  constructor(
    readonly fileName: string,
    readonly line: number | null,
    detail: string,
  ) {
    super(line === null ? `${fileName}: ${detail}` : `${fileName}, line ${line}: ${detail}`);
    this.name = 'TraceError';
  }
}

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
}

const HOUR_MS = 3_600_000;

interface Layout {
  readonly layout: TraceLayout;
  readonly timeColumn: number;
  readonly intensityColumn: number;
  readonly columnCount: number;
  readonly description: string;
  /** Column of Electricity Maps' "Data Estimated" flag, to count estimated rows. */
  readonly estimatedColumn: number | null;
}

const normalise = (header: string): string => header.trim().toLowerCase().replace(/₂/g, '2').replace(/\s+/g, ' ');

const TIME_HEADERS = new Set([
  'timestamp',
  'time',
  'datetime',
  'date',
  'date_time',
  'datetime (utc)',
  'timestamp (utc)',
  'time (utc)',
  'utc',
  'period_start',
  'start',
  'from',
]);

const isIntensityHeader = (h: string): boolean =>
  /gco2|g\/kwh|intensity|carbon|co2|emission/.test(h) || h === 'ci' || h === 'avg_ci' || h === 'value';

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
      description:
        lca >= 0
          ? `Electricity Maps export, using the life-cycle column "${header[lca]?.trim()}"`
          : `Electricity Maps export, using the direct column "${header[direct]?.trim()}" (no life-cycle column)`,
    };
  }

  if (columnCount === 2 && TIME_HEADERS.has(h[0] ?? '') && isIntensityHeader(h[1] ?? '')) {
    return {
      layout: 'two-column',
      timeColumn: 0,
      intensityColumn: 1,
      columnCount,
      estimatedColumn: null,
      description: `two-column CSV ("${header[0]?.trim()}", "${header[1]?.trim()}" read as gCO2/kWh)`,
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
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses an ISO-8601-like timestamp ("2022-01-01 00:00:00+00:00", "2022-01-01T00:00Z",
 * "2022-01-01 00:00:00"). A timestamp without a zone is read as UTC, because both Electricity Maps
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

/** Most common positive difference between consecutive times; the trace's step. */
function inferStep(times: readonly number[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const d = (times[i] ?? 0) - (times[i - 1] ?? 0);
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = HOUR_MS;
  let bestCount = 0;
  for (const [d, n] of counts) {
    if (n > bestCount || (n === bestCount && d < best)) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

const baseName = (fileName: string): string =>
  (fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.[^.]*$/, '') || fileName;

/**
 * Parses a carbon-intensity trace from CSV text, recognising its layout from the header:
 * the dc-rl layout (timestamp,WND,...,avg_CI), a two-column CSV (timestamp, gCO2/kWh) or an
 * Electricity Maps hourly export (life-cycle column preferred, direct as fallback).
 *
 * The step is the most common difference between consecutive timestamps (the smaller on a tie).
 * Hole policy: a row with a timestamp and an empty intensity becomes a point with null intensity,
 * never zero; timestamps that skip whole steps get null points inserted. Use `fillHoles` to fill them.
 * Throws TraceError (file name and 1-based line) on a malformed row: wrong number of cells, a bad
 * timestamp, a non-numeric or negative intensity, or times that repeat, go backwards or fall off
 * the step grid. Pure; no I/O.
 */
export function parseTrace(text: string, fileName: string): ParsedTrace {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw new TraceError(fileName, null, 'the file is empty');
  const header = splitCsvLine(lines[headerIndex] ?? '');
  if (header === null) throw new TraceError(fileName, headerIndex + 1, 'unclosed quote in the header');
  const layout = recognise(header, fileName);

  const times: number[] = [];
  const values: (number | null)[] = [];
  const lineNumbers: number[] = [];
  let emptyRows = 0;
  let estimatedRows = 0;

  for (let i = headerIndex + 1; i < lines.length; i++) {
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
    if (Number.isNaN(time)) throw new TraceError(fileName, lineNo, `cannot read the timestamp "${timeText}"`);

    const valueText = (cells[layout.intensityColumn] ?? '').trim();
    let value: number | null = null;
    if (valueText === '') {
      emptyRows++;
    } else {
      value = Number(valueText);
      if (!Number.isFinite(value)) {
        throw new TraceError(fileName, lineNo, `intensity "${valueText}" is not a number`);
      }
      if (value < 0) throw new TraceError(fileName, lineNo, `intensity ${value} is negative`);
    }
    if (layout.estimatedColumn !== null && /^(true|1|yes)$/i.test((cells[layout.estimatedColumn] ?? '').trim())) {
      estimatedRows++;
    }
    const prev = times[times.length - 1];
    if (prev !== undefined && time <= prev) {
      throw new TraceError(
        fileName,
        lineNo,
        time === prev ? `timestamp "${timeText}" repeats the previous row` : `timestamp "${timeText}" goes backwards`,
      );
    }
    times.push(time);
    values.push(value);
    lineNumbers.push(lineNo);
  }
  if (times.length === 0) throw new TraceError(fileName, null, 'no data rows after the header');

  const stepMs = inferStep(times);
  const points: TracePoint[] = [];
  let insertedPoints = 0;
  for (let i = 0; i < times.length; i++) {
    const time = times[i] ?? 0;
    if (i > 0) {
      const gap = time - (times[i - 1] ?? 0);
      if (gap % stepMs !== 0) {
        throw new TraceError(
          fileName,
          lineNumbers[i] ?? null,
          `timestamp is ${gap / 60_000} min after the previous row, not a multiple of the ${stepMs / 60_000}-min step`,
        );
      }
      for (let t = (times[i - 1] ?? 0) + stepMs; t < time; t += stepMs) {
        points.push({ time: t, intensity: null });
        insertedPoints++;
      }
    }
    const v = values[i];
    points.push({ time, intensity: v === null || v === undefined ? null : gramsPerKWh(v) });
  }

  const stepText = stepMs % HOUR_MS === 0 ? `${stepMs / HOUR_MS} h` : `${stepMs / 60_000} min`;
  const parts = [
    `recognised as ${layout.description}`,
    `${points.length} points every ${stepText} from ${new Date(points[0]?.time ?? 0).toISOString()}`,
  ];
  if (emptyRows > 0) parts.push(`${emptyRows} empty rows kept as holes`);
  if (insertedPoints > 0) parts.push(`${insertedPoints} missing timestamps inserted as holes`);
  if (estimatedRows > 0) parts.push(`${estimatedRows} rows estimated by Electricity Maps`);

  return {
    trace: { name: baseName(fileName), layout: layout.layout, stepMs, points },
    layout: layout.layout,
    note: parts.join('; '),
    emptyRows,
    insertedPoints,
  };
}
