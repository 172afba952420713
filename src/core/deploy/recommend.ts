/** Which configuration to serve: the least energy that meets the latency target. Pure. */
import type { DeploymentRow } from './types';

/** What the user asks of a deployment. */
export interface DeploymentTarget {
  /** A batch's 95th-percentile latency must be at most this, ms. */
  readonly latencyTargetMs: number;
  /**
   * Variants whose test accuracy is more than this below the best variant's are not served
   * (fraction: 0.01 = one percentage point). Rows without an accuracy are never excluded.
   */
  readonly maxAccuracyDrop?: number;
}

/** The lab's default accuracy tolerance: one percentage point (a project choice). */
export const DEFAULT_MAX_ACCURACY_DROP = 0.01;

export interface DeploymentRecommendation {
  /** The configuration to serve; null only for an empty table. */
  readonly row: DeploymentRow | null;
  /** True when `row` meets the latency target. */
  readonly meetsTarget: boolean;
  /** Rows that meet the target (before the accuracy filter is applied, too: see `excluded`). */
  readonly meeting: number;
  /** Rows left out for losing too much accuracy. */
  readonly excluded: number;
  /** One or two sentences for the page and the result file. */
  readonly reason: string;
}

const fmtMs = (ms: number) => `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
const fmtWh = (wh: number) =>
  wh >= 0.1 ? `${wh.toPrecision(3)} Wh` : wh >= 1e-4 ? `${(wh * 1e3).toPrecision(3)} mWh` : `${(wh * 1e6).toPrecision(3)} µWh`;
export const describeRow = (r: DeploymentRow) => `${r.backend}, ${r.precision}, batch ${r.batchSize}`;

/** Ties on energy go to the faster row, then the smaller download, then the smaller batch. */
const byEnergy = (a: DeploymentRow, b: DeploymentRow) =>
  a.whPer1000 - b.whPer1000 || a.p95Ms - b.p95Ms || a.gzipBytes - b.gzipBytes || a.batchSize - b.batchSize;
const byLatency = (a: DeploymentRow, b: DeploymentRow) => a.p95Ms - b.p95Ms || a.whPer1000 - b.whPer1000;

/**
 * The row with the least energy per 1,000 inferences among those whose p95 latency meets the
 * target. It never returns a row that misses the target while another (accurate enough) row
 * meets it. When none meets it, it returns the lowest-latency row, with `meetsTarget` false and a
 * reason that says so.
 */
export function recommendDeployment(rows: readonly DeploymentRow[], target: DeploymentTarget): DeploymentRecommendation {
  const t = target.latencyTargetMs;
  if (!(t > 0)) throw new RangeError(`the latency target must be > 0 ms, got ${t}`);
  const drop = target.maxAccuracyDrop ?? DEFAULT_MAX_ACCURACY_DROP;
  const accuracies = rows.map((r) => r.accuracy).filter((a): a is number => a !== null);
  const best = accuracies.length > 0 ? Math.max(...accuracies) : null;
  const accurate = rows.filter((r) => best === null || r.accuracy === null || r.accuracy >= best - drop - 1e-12);
  const excluded = rows.length - accurate.length;
  const meeting = accurate.filter((r) => r.p95Ms <= t);
  const note = excluded > 0 ? ` ${excluded} row${excluded > 1 ? 's' : ''} lost more than ${(drop * 100).toFixed(1)} points of accuracy and ${excluded > 1 ? 'were' : 'was'} left out.` : '';
  if (accurate.length === 0) {
    return { row: null, meetsTarget: false, meeting: 0, excluded, reason: 'There is nothing to recommend: the benchmark timed no configuration.' };
  }
  if (meeting.length > 0) {
    const row = [...meeting].sort(byEnergy)[0]!;
    return {
      row,
      meetsTarget: true,
      meeting: meeting.length,
      excluded,
      reason:
        `${describeRow(row)} uses the least energy, ${fmtWh(row.whPer1000)} per 1,000 inferences, of the ${meeting.length} of ${accurate.length} ` +
        `configurations whose p95 latency meets the ${fmtMs(t)} target (its p95: ${fmtMs(row.p95Ms)}).${note}`,
    };
  }
  const row = [...accurate].sort(byLatency)[0]!;
  return {
    row,
    meetsTarget: false,
    meeting: 0,
    excluded,
    reason:
      `No configuration meets the ${fmtMs(t)} target. The fastest, ${describeRow(row)}, has a p95 latency of ${fmtMs(row.p95Ms)} ` +
      `(${fmtWh(row.whPer1000)} per 1,000 inferences); it misses the target, so raise the target or serve a smaller model.${note}`,
  };
}
