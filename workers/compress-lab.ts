/**
 * The lab's compression steps in the worker, on the model of the last run: pruning hooked into a
 * run, one-shot pruning with fine-tuning, distillation, export and import. workers/compress.ts
 * has the tfjs mechanics; this file keeps the state between the page's calls.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../src/core/config/schema';
import {
  constantSparsity,
  polynomialDecay,
  pruningScheduleFor,
  quantizeDequantize,
  sparsityAt,
  updateBetween,
  type NamedWeight,
  type PolynomialDecaySchedule,
  type SparsityReport,
} from '../src/core/compress';
import type { SplitDataset } from '../src/core/data/dataset';
import { batchSizeFor, stepsPerEpoch, stepAtBatch } from '../src/core/train/batch-plan';
import type { PruningEvent, TrainEvent } from '../src/core/train/types';
import {
  distill,
  evaluateAccuracy,
  evaluateDecoded,
  exportModel,
  kernelSparsity,
  loadExportZip,
  maskHook,
  pruneOneShot,
  PruningController,
  saveToMemory,
} from './compress';
import type { CompressionOutcome, DistillOutcome, DistillRequest, ExportRequest, ImportedModel, OneShotOutcome } from './contract';
import { fitModel, type StepMoment, type TrainHook } from './trainer';

/** Examples per timed forward pass: "per 1,000 inferences" is measured on batches of 1,000. */
const TIMED_BATCH = 1000;
/** Timed passes after one warm-up pass; the median is kept. */
const TIMED_ROUNDS = 5;

/** Milliseconds for a batched predict of 1,000 examples (median of a few rounds, after a warm-up). */
export async function msPer1000Inferences(model: tf.LayersModel, inputShape: readonly number[]): Promise<number> {
  const x = tf.randomUniform([TIMED_BATCH, ...inputShape], 0, 1, 'float32', 7);
  try {
    const times: number[] = [];
    for (let i = 0; i <= TIMED_ROUNDS; i++) {
      const t0 = performance.now();
      const y = model.predict(x) as tf.Tensor;
      await y.data();
      y.dispose();
      if (i > 0) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] as number;
  } finally {
    x.dispose();
  }
}

const layerEvent = (step: number, target: number, report: SparsityReport): PruningEvent => ({
  step,
  target,
  layers: report.layers.map((l) => ({ name: l.name, sparsity: l.sparsity })),
});

/**
 * Pruning of one run: the config's schedule, and the budget's jump to a higher target. The
 * schedule counts steps of the configured batch size, as TFMOT does; each training step is read
 * as the span of those steps its examples cover (core/train/batch-plan `stepAtBatch`), so the
 * schedule keeps to its epochs after the framework changes the batch size.
 */
export class RunPruning {
  private controller: PruningController | null;
  private override: { sparsity: number; applied: boolean } | null = null;
  private readonly schedule: PolynomialDecaySchedule | null;
  private readonly baseBatch: number;
  /** Set when continuing a checkpoint: the masks are rebuilt at the schedule's current target first. */
  private rebuildMasks = false;

  constructor(
    config: ExperimentConfig,
    trainExamples: number,
    private readonly emit: (e: TrainEvent) => void,
  ) {
    this.baseBatch = batchSizeFor(config.train.batchSize, trainExamples);
    const schedule = pruningScheduleFor(config.compress, stepsPerEpoch(trainExamples, this.baseBatch), config.train.epochs);
    this.schedule = schedule ? polynomialDecay(schedule) : null;
    this.controller = schedule ? PruningController.polynomial({ ...schedule, includeOutputLayer: true }) : null;
  }

  /** The run continues a checkpoint: its pruned weights are zero, but the masks were not saved. */
  resumed(): void {
    this.rebuildMasks = true;
  }

  /** From the next step on, prune every kernel to `sparsity` and hold it (the energy budget was passed). */
  raiseTarget(sparsity: number): void {
    if (this.override && this.override.sparsity >= sparsity) return;
    this.override = { sparsity, applied: false };
  }

  /** This pruning as the trainer's hook: masks after every step, before anything reads the weights. */
  readonly hook: TrainHook = { name: 'pruning and the energy budget', afterStep: (moment) => this.afterStep(moment) };

  /** After one training step: a budget jump, a scheduled mask update, or the masks held. */
  async afterStep({ model, step, before, after, trainExamples }: StepMoment): Promise<void> {
    if (this.override) return this.holdOverride(model, step);
    if (!this.controller || !this.schedule) return;
    const from = stepAtBatch(trainExamples, this.baseBatch, before);
    const to = stepAtBatch(trainExamples, this.baseBatch, after);
    if (this.rebuildMasks) {
      this.rebuildMasks = false;
      const target = sparsityAt(this.schedule, from);
      if (target > 0) return this.update(model, target, step);
    }
    const due = updateBetween(this.schedule, from, to);
    if (due) return this.update(model, due.sparsity, step);
    this.controller.applyMasks(model);
  }

  private async holdOverride(model: tf.LayersModel, step: number): Promise<void> {
    const override = this.override as { sparsity: number; applied: boolean };
    this.controller ??= new PruningController(constantSparsity({ targetSparsity: override.sparsity, beginStep: 0, frequency: 1 }), { includeOutputLayer: true });
    if (!override.applied) {
      override.applied = true;
      return this.update(model, override.sparsity, step);
    }
    // Held at the raised target: the schedule's own later updates are skipped, they would lower it.
    this.controller.applyMasks(model);
  }

  private async update(model: tf.LayersModel, sparsity: number, step: number): Promise<void> {
    const update = await (this.controller as PruningController).updateMasks(model, sparsity, step);
    this.emit({ type: 'pruning', update: { step, target: update.sparsity, layers: update.layers } });
  }

  dispose(): void {
    this.controller?.dispose();
    this.controller = null;
  }
}

/** What the worker keeps between calls: the last run's config, data, model and student. */
export interface CompressionState {
  config: ExperimentConfig | null;
  data: SplitDataset | null;
  model: tf.LayersModel | null;
  student: tf.LayersModel | null;
}

function need(state: CompressionState, which: 'trained' | 'student' = 'trained'): { config: ExperimentConfig; data: SplitDataset; model: tf.LayersModel } {
  const model = which === 'student' ? state.student : state.model;
  if (!state.config || !state.data || !model) {
    throw new Error(which === 'student' ? 'There is no distilled student yet: distil one first.' : 'There is no trained model yet: train one first.');
  }
  return { config: state.config, data: state.data, model };
}

/** One-shot magnitude pruning of the trained model in place, then `fineTuneEpochs` with the masks held. */
export async function oneShot(state: CompressionState, sparsity: number, fineTuneEpochs: number): Promise<OneShotOutcome> {
  const { config, data, model } = need(state);
  const accuracyBefore = await evaluateAccuracy(model, data.test);
  const fineTuneConfig: ExperimentConfig = { ...config, train: { ...config.train, epochs: fineTuneEpochs, seed: config.train.seed + 1 } };
  const report = await pruneOneShot(model, sparsity, {
    includeOutputLayer: true,
    ...(fineTuneEpochs > 0
      ? {
          fineTune: async (afterStep) => {
            await fitModel(model, fineTuneConfig, data, { hooks: [maskHook(afterStep)] });
          },
        }
      : {}),
  });
  return { sparsity: layerEvent(-1, sparsity, report), overall: report.overall, accuracyBefore, accuracyAfter: await evaluateAccuracy(model, data.test), fineTuneEpochs };
}

/** Distils a student MLP from the trained model and compares the two. */
export async function distillStudent(state: CompressionState, request: DistillRequest): Promise<DistillOutcome> {
  const { config, data, model } = need(state);
  const started = performance.now();
  const studentConfig: ExperimentConfig = { ...config, model: { ...config.model, kind: 'mlp', hidden: [...request.studentHidden] } };
  const result = await distill(model, studentConfig, data, {
    temperature: request.temperature,
    alpha: request.alpha,
    epochs: request.epochs,
    batchSize: config.train.batchSize,
    seed: config.train.seed + 2,
  });
  state.student?.dispose();
  state.student = result.student;
  const seconds = (performance.now() - started) / 1000;
  return {
    studentAccuracy: result.studentAccuracy,
    teacherAccuracy: result.teacherAccuracy,
    studentParams: result.studentParams,
    teacherParams: result.teacherParams,
    studentMsPer1000: await msPer1000Inferences(result.student, data.test.inputShape),
    teacherMsPer1000: await msPer1000Inferences(model, data.test.inputShape),
    seconds,
  };
}

/** Per-output-channel 8-bit accuracy: the model's weights quantized per channel, evaluated (not exportable). */
async function perChannelAccuracy(model: tf.LayersModel, data: SplitDataset): Promise<number> {
  const { weights } = await saveToMemory(model);
  const quantized: NamedWeight[] = weights.map((w) => ({ ...w, values: w.shape.length >= 2 ? quantizeDequantize(w.values, w.shape, 'uint8-per-channel') : w.values }));
  return evaluateDecoded(model, quantized, data.test);
}

/** Exports the trained model or the student at a precision and measures what the file holds. */
export async function exportForDownload(state: CompressionState, request: ExportRequest): Promise<CompressionOutcome> {
  const { data, model } = need(state, request.which);
  const accuracyBefore = await evaluateAccuracy(model, data.test);
  const sharedLevels = request.precision === 'uint8' ? (state.config?.compress.sharedLevels ?? 0) : 0;
  // With shared levels the user asks for the smallest file: reorder hidden units too (same network).
  const exported = await exportModel(model, { precision: request.precision, sharedLevels, orderUnits: sharedLevels > 0 }, request.metadata, request.runCsv);
  const accuracyAfter = await evaluateDecoded(model, exported.decoded, data.test);
  const sparsity = await kernelSparsity(model);
  const zip = exported.zip.buffer.slice(exported.zip.byteOffset, exported.zip.byteOffset + exported.zip.byteLength) as ArrayBuffer;
  return {
    which: request.which,
    zip,
    sizes: exported.report,
    sparsity: layerEvent(-1, sparsity.overall, sparsity),
    overallSparsity: sparsity.overall,
    accuracyBefore,
    accuracyAfter,
    perChannelAccuracy: request.precision === 'uint8' ? await perChannelAccuracy(model, data) : null,
    msPer1000: await msPer1000Inferences(model, data.test.inputShape),
    params: model.countParams(),
  };
}

/** Loads an exported zip; evaluates it on the last run's test data when the shapes fit. */
export async function importZip(state: CompressionState, bytes: Uint8Array): Promise<ImportedModel> {
  // readExportZip throws ModelFileError with a message naming the problem; say which file it was.
  let model: tf.LayersModel;
  try {
    model = await loadExportZip(bytes);
  } catch (error) {
    throw new Error(`This file cannot be loaded as an exported model: ${(error as Error).message}`);
  }
  try {
    const inputShape = (model.inputs[0]?.shape ?? []).slice(1);
    const data = state.data;
    const fits = data !== null && inputShape.join(',') === data.test.inputShape.join(',') && model.outputs[0]?.shape.at(-1) === data.test.numClasses;
    const accuracy = fits && data ? await evaluateAccuracy(model, data.test) : null;
    return { params: model.countParams(), layers: model.layers.map((l) => l.getClassName()), accuracy };
  } finally {
    model.dispose();
  }
}
