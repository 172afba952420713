/**
 * Batching on one device: energy per inference against batch size, and the micro-batch to use
 * for a request rate and a latency target. Pure.
 *
 * Queueing model (a deliberately simple one, stated so it can be checked): requests arrive
 * evenly at `rate` per second and are served in batches of b. A batch is full after b / rate
 * seconds, and the first request in it waits that long, then the batch's p95 latency L(b):
 * delay(b) = 1000 b / rate + L(b) ms. The device keeps up only if a batch is done before the
 * next is full: median L(b) <= 1000 b / rate. Among the measured batch sizes meeting both, the one
 * with the least energy per inference is used.
 */
import type { BackendId } from '../config/schema';
import type { DeployPrecision, DeploymentRow } from './types';

/** One point of the batching curve. */
export interface BatchPoint {
  readonly batchSize: number;
  /** Typical estimate, mWh per inference (= Wh per 1,000 inferences). */
  readonly mWhPerInference: number;
  readonly p95Ms: number;
}

/** Energy per inference against batch size for one backend and precision, batch sizes ascending. */
export function batchingCurve(rows: readonly DeploymentRow[], backend: BackendId, precision: DeployPrecision): BatchPoint[] {
  return rows
    .filter((r) => r.backend === backend && r.precision === precision)
    .sort((a, b) => a.batchSize - b.batchSize)
    .map((r) => ({ batchSize: r.batchSize, mWhPerInference: r.whPer1000, p95Ms: r.p95Ms }));
}

/** Worst-case delay of a request in a batch of `batchSize` at `ratePerSecond`, ms (see the file's comment). */
export function queueingDelayMs(batchSize: number, ratePerSecond: number, batchP95Ms: number): number {
  if (!(ratePerSecond > 0)) throw new RangeError(`the request rate must be > 0 per second, got ${ratePerSecond}`);
  return (1000 * batchSize) / ratePerSecond + batchP95Ms;
}

/** One batch size judged against a rate and a target. */
export interface MicroBatchOption {
  readonly batchSize: number;
  readonly delayMs: number;
  readonly keepsUp: boolean;
  readonly meetsTarget: boolean;
  readonly mWhPerInference: number;
}

export interface MicroBatchChoice {
  /** The batch size to use; null when no measured size both keeps up and meets the target. */
  readonly batchSize: number | null;
  readonly options: readonly MicroBatchOption[];
  readonly reason: string;
}

/**
 * The micro-batch size for `ratePerSecond` requests and a latency target, from the rows of one
 * backend and precision: least energy per inference among sizes that keep up and meet the target;
 * ties go to the smaller batch.
 */
export function microBatchFor(rows: readonly DeploymentRow[], ratePerSecond: number, latencyTargetMs: number): MicroBatchChoice {
  if (!(latencyTargetMs > 0)) throw new RangeError(`the latency target must be > 0 ms, got ${latencyTargetMs}`);
  const options = [...rows]
    .sort((a, b) => a.batchSize - b.batchSize)
    .map((r): MicroBatchOption => {
      const delayMs = queueingDelayMs(r.batchSize, ratePerSecond, r.p95Ms);
      const keepsUp = r.p50Ms <= (1000 * r.batchSize) / ratePerSecond;
      return { batchSize: r.batchSize, delayMs, keepsUp, meetsTarget: delayMs <= latencyTargetMs, mWhPerInference: r.whPer1000 };
    });
  const ok = options.filter((o) => o.keepsUp && o.meetsTarget);
  if (ok.length > 0) {
    const best = [...ok].sort((a, b) => a.mWhPerInference - b.mWhPerInference || a.batchSize - b.batchSize)[0]!;
    return {
      batchSize: best.batchSize,
      options,
      reason: `At ${ratePerSecond} requests/s, a batch of ${best.batchSize} fills in ${((1000 * best.batchSize) / ratePerSecond).toFixed(1)} ms and a request waits at most about ${best.delayMs.toFixed(1)} ms, within the ${latencyTargetMs} ms target, for ${(best.mWhPerInference * 1000).toPrecision(3)} µWh per inference: ${ok.length > 1 ? `the least of the ${ok.length} batch sizes that fit` : 'the only measured batch size that fits'}.`,
    };
  }
  if (options.length === 0) return { batchSize: null, options, reason: 'No batch sizes were timed for this configuration.' };
  const keepUp = options.filter((o) => o.keepsUp);
  const reason =
    keepUp.length === 0
      ? `No measured batch size keeps up with ${ratePerSecond} requests/s on this configuration: every batch takes longer than the time to fill it. Use a faster configuration or more devices.`
      : `No measured batch size meets the ${latencyTargetMs} ms target at ${ratePerSecond} requests/s: the shortest wait is about ${Math.min(...keepUp.map((o) => o.delayMs)).toFixed(1)} ms.`;
  return { batchSize: null, options, reason };
}
