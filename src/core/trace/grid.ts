/**
 * From rows (strictly increasing times, values already in gCO2/kWh) to evenly spaced points:
 * the step, the cap on the filled length, and resampling when rows fall off the step grid.
 */
import { gramsPerKWh } from '../units';
import { TraceError } from './error';
import type { TracePoint } from './types';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Most points a trace may have after its gaps are filled: 2 million is 22 years of hourly data or
 * 19 years at 5 minutes, and about 100 MB of points in memory. A gap that would need more is
 * refused instead of filled (a three-row file whose last row is centuries later asked for billions).
 */
export const MAX_TRACE_POINTS = 2_000_000;

/** The data rows of a trace file, in file order, with the file line of each. */
export interface TraceRows {
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
  readonly lines: readonly number[];
}

/** Points on the step grid, and what it took to put the rows there. */
export interface GriddedTrace {
  readonly points: TracePoint[];
  /** Steps no row fell in, inserted as null points. */
  readonly insertedPoints: number;
  /** Rows whose time is not a whole number of steps after the first row. */
  readonly offGridRows: number;
  /** Steps that held more than one row, and so took the mean of their values. */
  readonly mergedIntervals: number;
}

/** Most common positive difference between consecutive times (the smaller on a tie): the trace's step. */
export function inferStep(times: readonly number[]): number {
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

/** "1 h", "30 min", "15 s". */
export const stepText = (stepMs: number): string =>
  stepMs % HOUR_MS === 0 ? `${stepMs / HOUR_MS} h` : stepMs % 60_000 === 0 ? `${stepMs / 60_000} min` : `${stepMs / 1000} s`;

const durationText = (ms: number): string =>
  ms >= 365 * DAY_MS ? `${Math.round(ms / (365.25 * DAY_MS))} years` : ms >= 2 * DAY_MS ? `${Math.round(ms / DAY_MS)} days` : `${Math.round(ms / 60_000)} min`;

/**
 * Throws TraceError when filling the rows onto `stepMs` would make more than `maxPoints` points,
 * naming the largest gap and the line after it.
 */
export function checkFilledLength(rows: TraceRows, stepMs: number, fileName: string, maxPoints = MAX_TRACE_POINTS): void {
  const { times, lines } = rows;
  const first = times[0] ?? 0;
  const total = Math.floor(((times[times.length - 1] ?? first) - first) / stepMs) + 1;
  if (total <= maxPoints) return;
  let worst = 1;
  for (let i = 2; i < times.length; i++) {
    if ((times[i] ?? 0) - (times[i - 1] ?? 0) > (times[worst] ?? 0) - (times[worst - 1] ?? 0)) worst = i;
  }
  const gap = (times[worst] ?? 0) - (times[worst - 1] ?? 0);
  throw new TraceError(
    fileName,
    lines[worst] ?? null,
    `this row is ${durationText(gap)} after the previous one (line ${lines[worst - 1]}, ${new Date(times[worst - 1] ?? 0).toISOString()}); ` +
      `filling the gaps at the ${stepText(stepMs)} step would make ${total.toLocaleString('en')} points, more than the ` +
      `${maxPoints.toLocaleString('en')} a trace may have. Nothing was loaded; remove the far-off rows or split the file.`,
  );
}

/**
 * Puts the rows on the grid of `stepMs` starting at the first row: step k covers
 * [first + k*step, first + (k+1)*step) and takes the mean of the known values of the rows in it
 * (null when it has rows but no known value, or no row at all). Rows already on the grid come out
 * unchanged, one point each. Call checkFilledLength first.
 */
export function gridRows(rows: TraceRows, stepMs: number): GriddedTrace {
  const { times, values } = rows;
  const first = times[0] ?? 0;
  const points: TracePoint[] = [];
  let insertedPoints = 0;
  let offGridRows = 0;
  let mergedIntervals = 0;
  let step = -1;
  let sum = 0;
  let known = 0;
  let rowsInStep = 0;
  const flush = (): void => {
    if (step >= 0) points.push({ time: first + step * stepMs, intensity: known > 0 ? gramsPerKWh(sum / known) : null });
  };
  for (let i = 0; i < times.length; i++) {
    const offset = (times[i] ?? 0) - first;
    const k = Math.floor(offset / stepMs);
    if (offset % stepMs !== 0) offGridRows++;
    if (k !== step) {
      flush();
      for (let j = step + 1; j < k; j++) points.push({ time: first + j * stepMs, intensity: null });
      insertedPoints += Math.max(0, k - step - 1);
      step = k;
      sum = 0;
      known = 0;
      rowsInStep = 0;
    }
    if (++rowsInStep === 2) mergedIntervals++;
    const v = values[i];
    if (v !== null && v !== undefined) {
      sum += v;
      known++;
    }
  }
  flush();
  return { points, insertedPoints, offGridRows, mergedIntervals };
}
