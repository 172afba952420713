/**
 * The result file of a run (`schemaVersion: 1`), written by the headless runner and the app's
 * "Download result" button. Documented in the README; later issues add sections.
 */
import * as v from 'valibot';
import { BACKEND_CHOICES, type ExperimentConfig } from './config/schema';
import { serialiseLink } from './config/link';
import type { RunSummary } from './train/types';
import type { RunFootprint } from './footprint/run';
import { resultLinkUrl } from './results/link';
import { summariseResult } from './results/summary';

export const RESULT_SCHEMA_VERSION = 1;

const finiteOrNull = v.nullable(v.pipe(v.number(), v.finite()));
const finiteNumber = v.pipe(v.number(), v.finite());
const kWh = v.pipe(v.number(), v.finite(), v.minValue(0));

/** Energy of the run (see src/core/energy/README.md for the method). */
export const EnergySchema = v.object({
  kWh,
  low: kWh,
  high: kWh,
  byComponent: v.object({ gpu: kWh, cpu: kWh, ram: kWh }),
  pue: v.pipe(v.number(), v.minValue(1)),
  deviceProfile: v.string(),
  method: v.picklist(['timestamp-query', 'duty-cycle', 'mixed', 'none']),
  byEpoch: v.array(v.object({ epoch: v.number(), kWh, gCO2e: finiteNumber })),
  /** Summed wall time of the metered steps; absent from files written before it was added. */
  meteredSeconds: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
});

/** Carbon of the run: energy in each interval times the grid intensity then. */
export const CarbonSchema = v.object({
  gCO2e: finiteNumber,
  low: finiteNumber,
  high: finiteNumber,
  region: v.string(),
  regionName: v.string(),
  provider: v.picklist(['uk-carbon-intensity', 'electricity-maps', 'watttime', 'offline', 'replay']),
  signal: v.picklist(['average', 'marginal']),
  source: v.string(),
  meanIntensity: finiteNumber,
  extrapolatedShare: finiteNumber,
  intensitySeries: v.array(v.object({ time: v.number(), intensity: finiteNumber })),
  fallbackNotice: v.nullable(v.string()),
});

/** How the run was scheduled; savings are fractions (0.3 = 30%) and null when not known. */
export const ScheduleSectionSchema = v.object({
  policy: v.picklist(['run-now', 'threshold', 'forecast-window', 'throttle', 'oracle']),
  simulated: v.boolean(),
  /** Seconds the run spent paused, on the schedule's clock (simulated seconds for a replay). */
  pausedSeconds: v.pipe(v.number(), v.minValue(0)),
  savingVsRunNow: v.nullable(v.number()),
  shareOfOracle: v.nullable(v.number()),
});

export type ScheduleSection = v.InferOutput<typeof ScheduleSectionSchema>;

const fraction = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const bytes = v.pipe(v.number(), v.integer(), v.minValue(0));

/**
 * The exported model (issue 5). Sizes in bytes; accuracies are fractions on the run's test split,
 * `accuracyAfter` measured on the weights decoded from the exported file itself.
 */
export const CompressionSectionSchema = v.object({
  /** Exact zeros over the Dense and Conv2D kernels of the exported model. */
  sparsity: fraction,
  precision: v.picklist(['float32', 'float16', 'uint8']),
  exportBytes: bytes,
  gzipBytes: bytes,
  denseFloat32Bytes: bytes,
  accuracyBefore: v.nullable(fraction),
  accuracyAfter: v.nullable(fraction),
  /** Which model was exported: the trained one or the distilled student. */
  model: v.optional(v.picklist(['trained', 'student'])),
  ratio: v.optional(v.number()),
  /** Accuracy with 8-bit per-output-channel weights: an analysis, not exportable to tfjs. */
  perChannelAccuracy: v.optional(v.nullable(fraction)),
  /** Estimated Wh per 1,000 inferences on this device (timed batched predict x profile power). */
  energyPer1000InferencesWh: v.optional(v.nullable(v.number())),
  runLog: v.optional(v.array(v.object({ time: v.number(), step: v.nullable(v.number()), what: v.string(), why: v.string() }))),
});

export type CompressionSection = v.InferOutput<typeof CompressionSectionSchema>;

const BACKEND_IDS = BACKEND_CHOICES.filter((b) => b !== 'auto');
const DEPLOY_PRECISION = v.picklist(['float32', 'float16', 'uint8', 'pruned']);
const positive = v.pipe(v.number(), v.finite(), v.minValue(0));

/**
 * The deployment benchmark (issue 7): inference latency, throughput and energy per 1,000
 * inferences of the trained model per backend x precision x batch size on this device, and the
 * configuration with the least energy that meets the latency target (method in
 * src/core/deploy/README.md). `recommended` is null only when nothing could be timed; when no
 * configuration meets the target it is the fastest one and `meetsTarget` is false.
 */
export const DeploymentSectionSchema = v.object({
  latencyTargetMs: positive,
  recommended: v.nullable(v.object({ backend: v.picklist(BACKEND_IDS), precision: DEPLOY_PRECISION, batchSize: v.pipe(v.number(), v.integer(), v.minValue(1)) })),
  meetsTarget: v.boolean(),
  reason: v.string(),
  deviceProfile: v.string(),
  pue: v.pipe(v.number(), v.minValue(1)),
  table: v.array(v.object({
    backend: v.picklist(BACKEND_IDS),
    precision: DEPLOY_PRECISION,
    batchSize: v.pipe(v.number(), v.integer(), v.minValue(1)),
    p50Ms: positive,
    p95Ms: positive,
    throughputPerSecond: positive,
    whPer1000: positive,
    whPer1000Low: positive,
    whPer1000High: positive,
    samples: v.pipe(v.number(), v.integer(), v.minValue(1)),
    gzipBytes: bytes,
    accuracy: v.nullable(fraction),
  })),
  skipped: v.array(v.object({ backend: v.picklist(BACKEND_IDS), precision: v.nullable(DEPLOY_PRECISION), batchSize: v.nullable(v.number()), reason: v.string() })),
  /** The micro-batch for `requestsPerSecond` on the recommended backend and precision; null batch when none fits. */
  microBatch: v.nullable(v.object({ requestsPerSecond: positive, batchSize: v.nullable(v.number()), reason: v.string() })),
  /** Edge against cloud data transfer, @tgwf/co2 Sustainable Web Design v4. */
  transfer: v.nullable(v.object({
    modelBytes: bytes,
    requestBytes: bytes,
    breakEvenRequestsPerDevice: v.nullable(positive),
    edgeGramsPerDevice: positive,
    cloudGramsPerRequest: positive,
  })),
  benchmarkSeconds: positive,
});

export type DeploymentSection = v.InferOutput<typeof DeploymentSectionSchema>;

/** The schema a result file must match; tests and importers validate against it. */
export const ResultSchema = v.object({
  schemaVersion: v.literal(RESULT_SCHEMA_VERSION),
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
  config: v.record(v.string(), v.unknown()),
  link: v.string(),
  backend: v.picklist(BACKEND_CHOICES.filter((b) => b !== 'auto')),
  backendExplanation: v.string(),
  adapter: v.object({
    vendor: v.nullable(v.string()),
    architecture: v.nullable(v.string()),
    isFallbackAdapter: v.nullable(v.boolean()),
  }),
  data: v.object({ name: v.string(), trainExamples: v.number(), testExamples: v.number() }),
  metrics: v.object({
    testAccuracy: finiteOrNull,
    trainLoss: finiteOrNull,
    epochs: v.pipe(v.number(), v.integer()),
    steps: v.pipe(v.number(), v.integer()),
    samplesPerSecond: v.number(),
    wallSeconds: v.number(),
  }),
  outcome: v.picklist(['finished', 'stopped']),
  epochs: v.array(v.object({ epoch: v.number(), trainLoss: v.number(), trainAccuracy: v.number(), testLoss: v.number(), testAccuracy: v.number() })),
  lossCurve: v.array(v.number()),
  // Optional so that result files written before issue 3 still validate.
  energy: v.optional(v.nullable(EnergySchema)),
  carbon: v.optional(v.nullable(CarbonSchema)),
  schedule: v.optional(v.nullable(ScheduleSectionSchema)),
  compression: v.optional(v.nullable(CompressionSectionSchema)),
  deployment: v.optional(v.nullable(DeploymentSectionSchema)),
  /** The result link (issue 14): the experiment link plus a compact summary, without a nickname. */
  resultLink: v.optional(v.string()),
});

export type LabResult = v.InferOutput<typeof ResultSchema>;

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * Builds the result of a finished or stopped run.
 * @param pageUrl the lab's address without hash, so `link` opens the same experiment.
 * @param footprint the run's energy and carbon; null when none could be computed (no steps).
 */
export function buildResult(
  config: ExperimentConfig,
  summary: RunSummary,
  pageUrl: string,
  createdAt: Date,
  footprint: RunFootprint | null = null,
  schedule: ScheduleSection | null = null,
  compression: CompressionSection | null = null,
  deployment: DeploymentSection | null = null,
): LabResult {
  const adapter = summary.backend.adapter;
  const m = summary.metrics;
  const result: LabResult = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    createdAt: createdAt.toISOString(),
    config: structuredClone(config) as unknown as Record<string, unknown>,
    link: `${pageUrl.split('#')[0]}#${serialiseLink(config)}`,
    backend: summary.backend.backend,
    backendExplanation: summary.backend.explanation,
    adapter: adapter
      ? { vendor: adapter.vendor, architecture: adapter.architecture, isFallbackAdapter: adapter.isFallbackAdapter }
      : { vendor: null, architecture: null, isFallbackAdapter: null },
    data: { name: summary.data.name, trainExamples: summary.data.trainExamples, testExamples: summary.data.testExamples },
    metrics: {
      testAccuracy: finite(m.testAccuracy),
      trainLoss: finite(m.trainLoss),
      epochs: m.epochs,
      steps: m.steps,
      samplesPerSecond: m.samplesPerSecond,
      wallSeconds: m.wallSeconds,
    },
    outcome: summary.outcome,
    epochs: summary.epochs.map((e) => ({ ...e })),
    lossCurve: [...summary.lossCurve],
    energy: footprint ? { ...footprint.energy, byComponent: { ...footprint.energy.byComponent }, byEpoch: footprint.energy.byEpoch.map((e) => ({ ...e })) } : null,
    carbon: footprint ? { ...footprint.carbon, intensitySeries: footprint.carbon.intensitySeries.map((p) => ({ ...p })) } : null,
    schedule: schedule ? { ...schedule } : null,
    compression: compression ? structuredClone(compression) : null,
    deployment: deployment ? structuredClone(deployment) : null,
  };
  result.resultLink = resultLinkUrl(pageUrl, summariseResult(result));
  return result;
}

/** Checks a result file; returns the problems found, or an empty list. */
export function validateResult(input: unknown): string[] {
  const r = v.safeParse(ResultSchema, input);
  return r.success ? [] : r.issues.map((i) => `${v.getDotPath(i) ?? '(result)'}: ${i.message}`);
}
