/**
 * The result file of a run (`schemaVersion: 1`), written by the headless runner and the app's
 * "Download result" button. Documented in the README; later issues add sections.
 */
import * as v from 'valibot';
import { BACKEND_CHOICES, type ExperimentConfig } from './config/schema';
import { serialiseLink } from './config/link';
import type { RunSummary } from './train/types';

export const RESULT_SCHEMA_VERSION = 1;

const finiteOrNull = v.nullable(v.pipe(v.number(), v.finite()));

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
});

export type LabResult = v.InferOutput<typeof ResultSchema>;

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * Builds the result of a finished or stopped run.
 * @param pageUrl the lab's address without hash, so `link` opens the same experiment.
 */
export function buildResult(config: ExperimentConfig, summary: RunSummary, pageUrl: string, createdAt: Date): LabResult {
  const adapter = summary.backend.adapter;
  const m = summary.metrics;
  return {
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
  };
}

/** Checks a result file; returns the problems found, or an empty list. */
export function validateResult(input: unknown): string[] {
  const r = v.safeParse(ResultSchema, input);
  return r.success ? [] : r.issues.map((i) => `${v.getDotPath(i) ?? '(result)'}: ${i.message}`);
}
