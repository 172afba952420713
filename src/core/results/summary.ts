/**
 * The compact summary a result link carries: what a class needs to compare runs, and nothing
 * personal beyond the nickname a student types. Built from the result file (`LabResult`).
 */
import * as v from 'valibot';
import { BACKEND_CHOICES } from '../config/schema';
import type { LabResult } from '../result';
import { APP_VERSION } from './version';
import { LessonPartSchema } from './lesson';

/** Version of the summary inside a result link; a link of another version is named as such. */
export const SUMMARY_VERSION = 1;
/** At most this many points of the loss curve travel in a link. */
export const CURVE_POINTS = 64;
/** Longest nickname kept; longer ones are cut. */
export const NICKNAME_MAX = 40;

const num = v.pipe(v.number(), v.finite());
const numOrNull = v.nullable(num);
const BACKENDS = BACKEND_CHOICES.filter((b) => b !== 'auto');

export const ResultSummarySchema = v.object({
  v: v.literal(SUMMARY_VERSION),
  app: v.string(),
  at: v.string(),
  nick: v.string(),
  /** The experiment link's hash (without '#'), as `serialiseLink` writes it. */
  link: v.string(),
  backend: v.picklist(BACKENDS),
  adapter: v.object({ vendor: v.nullable(v.string()), architecture: v.nullable(v.string()), fallback: v.nullable(v.boolean()) }),
  device: v.string(),
  data: v.object({ name: v.string(), train: num, test: num }),
  /** `samples`: training samples processed, throughput x training seconds (right even when the batch changed mid-run). */
  metrics: v.object({ acc: numOrNull, loss: numOrNull, epochs: num, steps: num, samples: num, sps: num, wall: num }),
  outcome: v.picklist(['finished', 'stopped']),
  /** `s`: seconds of metered steps the energy was charged over (see verify.ts); absent from older links. */
  energy: v.nullable(v.object({ wh: num, lowWh: num, highWh: num, method: v.string(), pue: num, s: v.optional(num) })),
  carbon: v.nullable(v.object({ g: num, low: num, high: num, provider: v.string(), region: v.string(), regionName: v.string(), signal: v.string(), source: v.string(), intensity: num })),
  schedule: v.nullable(v.object({ policy: v.string(), simulated: v.boolean(), pausedSeconds: num, saving: numOrNull, shareOfOracle: numOrNull })),
  compression: v.nullable(v.object({ precision: v.string(), sparsity: num, exportBytes: num, gzipBytes: num, denseBytes: num, accBefore: numOrNull, accAfter: numOrNull })),
  deployment: v.nullable(v.object({ backend: v.string(), precision: v.string(), batchSize: num, meetsTarget: v.boolean(), latencyTargetMs: num })),
  /** Training loss, downsampled to at most CURVE_POINTS points, 4 significant digits. */
  curve: v.array(num),
  /** A lesson record (see lesson.ts), only when the student shared one. */
  lesson: v.optional(LessonPartSchema),
});

export type ResultSummary = v.InferOutput<typeof ResultSummarySchema>;

/** A nickname as it may travel: control characters removed, spaces collapsed, at most NICKNAME_MAX characters. */
export function cleanNickname(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, '').replace(/\s+/g, ' ').trim().slice(0, NICKNAME_MAX);
}

/**
 * At most `max` points of a curve: the mean of each of `max` equal slices, so a noisy per-step
 * loss keeps its shape. Shorter curves are returned as they are.
 */
export function downsampleCurve(curve: readonly number[], max = CURVE_POINTS): number[] {
  const finite = curve.filter((x) => Number.isFinite(x));
  if (finite.length <= max) return finite.map(round4);
  const out: number[] = [];
  for (let k = 0; k < max; k++) {
    const from = Math.floor((k * finite.length) / max);
    const to = Math.floor(((k + 1) * finite.length) / max);
    let sum = 0;
    for (let i = from; i < to; i++) sum += finite[i]!;
    out.push(round4(sum / (to - from)));
  }
  return out;
}

const round4 = (x: number) => Number(x.toPrecision(4));
const hashOf = (link: string) => link.slice(link.indexOf('#') + 1);

/** The summary of a result file; `nickname` is cleaned first. Accuracy is kept exact, so a re-run can match it. */
export function summariseResult(result: LabResult, nickname = '', appVersion = APP_VERSION): ResultSummary {
  const { energy, carbon, schedule, compression, deployment } = result;
  const m = result.metrics;
  const pick = deployment?.recommended ?? null;
  return {
    v: SUMMARY_VERSION,
    app: appVersion,
    at: result.createdAt,
    nick: cleanNickname(nickname),
    link: hashOf(result.link),
    backend: result.backend,
    adapter: { vendor: result.adapter.vendor, architecture: result.adapter.architecture, fallback: result.adapter.isFallbackAdapter },
    device: energy?.deviceProfile ?? deployment?.deviceProfile ?? '',
    data: { name: result.data.name, train: result.data.trainExamples, test: result.data.testExamples },
    metrics: { acc: m.testAccuracy, loss: m.trainLoss === null ? null : round4(m.trainLoss), epochs: m.epochs, steps: m.steps, samples: Math.round(m.samplesPerSecond * m.wallSeconds), sps: Math.round(m.samplesPerSecond), wall: round4(m.wallSeconds) },
    outcome: result.outcome,
    energy: energy
      ? { wh: energy.kWh * 1000, lowWh: energy.low * 1000, highWh: energy.high * 1000, method: energy.method, pue: energy.pue, ...(energy.meteredSeconds === undefined ? {} : { s: round4(energy.meteredSeconds) }) }
      : null,
    carbon: carbon
      ? { g: carbon.gCO2e, low: carbon.low, high: carbon.high, provider: carbon.provider, region: carbon.region, regionName: carbon.regionName, signal: carbon.signal, source: carbon.source, intensity: round4(carbon.meanIntensity) }
      : null,
    schedule: schedule ? { policy: schedule.policy, simulated: schedule.simulated, pausedSeconds: schedule.pausedSeconds, saving: schedule.savingVsRunNow, shareOfOracle: schedule.shareOfOracle } : null,
    compression: compression
      ? { precision: compression.precision, sparsity: compression.sparsity, exportBytes: compression.exportBytes, gzipBytes: compression.gzipBytes, denseBytes: compression.denseFloat32Bytes, accBefore: compression.accuracyBefore, accAfter: compression.accuracyAfter }
      : null,
    deployment: deployment && pick ? { backend: pick.backend, precision: pick.precision, batchSize: pick.batchSize, meetsTarget: deployment.meetsTarget, latencyTargetMs: deployment.latencyTargetMs } : null,
    curve: downsampleCurve(result.lossCurve),
  };
}
