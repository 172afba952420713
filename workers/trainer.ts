/**
 * The lab's one training loop: runs, fine-tuning and distillation all train through `Trainer`.
 * It runs in the worker (and in Node for tests). `Trainer.run` is a short driver over named
 * parts: the run's state (src/core/train/run-state.ts, shaped like its checkpoint), the batch
 * plan (src/core/train/batch-plan.ts, counting examples), the metrics pipe (metrics-pipe.ts, the
 * asynchronous readback), the gate (run-gate.ts: yielding, pause, stop, device loss), one step
 * (train-step.ts) and an ordered list of hooks.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../src/core/config/schema';
import { exampleCount, type SplitDataset } from '../src/core/data/dataset';
import { deriveSeed, mulberry32, permutation } from '../src/core/data/prng';
import { batchFits, crossesEpochs, nextPosition, type RunPosition } from '../src/core/train/batch-plan';
import type { RunCheckpoint, StoredTensor } from '../src/core/train/checkpoint';
import {
  changeBatchSize,
  freshRunState,
  planOf,
  positionOf,
  progressOf,
  runStateFromCheckpoint,
  snapshotOf,
  type RunState,
} from '../src/core/train/run-state';
import { examplesPerSecond, type BackendReport, type DataSummary, type EpochRecord, type RunSummary, type TrainEvent } from '../src/core/train/types';
import { buildModel, buildOptimizer } from './model';
import { MetricsPipe } from './metrics-pipe';
import { RunClock, RunGate } from './run-gate';
import { crossEntropyLoss, disposeDevice, disposeOrder, epochOrder, evaluateOn, rowsOf, toDevice, trainStep, type BatchLoss, type DeviceData, type EpochOrder } from './train-step';

export { DeviceLostError } from './run-gate';
export { crossEntropyLoss, type BatchLoss, type BatchLossTerms } from './train-step';

/**
 * With `timestamp-query`, time one step's GPU kernels every this many steps. `tf.time` waits for
 * the GPU, so timing every step would serialise the pipeline; one in 50 costs about 2 %.
 */
const KERNEL_SAMPLE_EVERY = 50;
/** The first steps compile shaders and allocate buffers; sample after them. */
const KERNEL_SAMPLE_FIRST = 3;
/** Size of the probe set handed to an `at` hook. */
export const PROBE_EXAMPLES = 512;
/** Default time between two checkpoints of a running run. */
const CHECKPOINT_EVERY_MS = 15_000;

const now = () => performance.now();

/** Summary of the data of a run, for the UI and the result file. */
export function summariseData(data: SplitDataset): DataSummary {
  return {
    name: data.train.name.replace(/ \(train\)$/, ''),
    trainExamples: exampleCount(data.train),
    testExamples: exampleCount(data.test),
    inputShape: data.train.inputShape,
    numClasses: data.train.numClasses,
  };
}

/** A change a hook asks for, from the next step on. A new model replaces the old one (its optimizer restarts). */
export interface RunChange {
  readonly model?: tf.Sequential;
  readonly batchSize?: number;
  readonly learningRate?: number;
}

/** A fixed slice of the training split that `at` hooks may read (the framework's probes compare candidates on it). */
export interface ProbeSet {
  readonly x: tf.Tensor;
  readonly oneHot: tf.Tensor;
}

/** What an `afterStep` hook is told. */
export interface StepMoment {
  readonly model: tf.LayersModel;
  /** Index of the step just done over the whole run, from 0. */
  readonly step: number;
  /** Where that step started, and where the next one starts (the next epoch's start when no batch fits). */
  readonly before: RunPosition;
  readonly after: RunPosition;
  readonly trainExamples: number;
}

/** What an `at` hook is told, between two steps with every step read back. */
export interface MomentInfo {
  readonly stepsDone: number;
  readonly examplesDone: number;
  readonly totalExamples: number;
  readonly model: tf.LayersModel;
  readonly batchSize: number;
  readonly learningRate: number;
  /** The first examples of the training split (at most PROBE_EXAMPLES); owned by the trainer. */
  readonly probe: ProbeSet;
}

/** What an `afterEpoch` hook is told. */
export interface EpochEndInfo {
  /** Epochs completed, from 1. */
  readonly epoch: number;
  readonly stepsDone: number;
  readonly model: tf.LayersModel;
  readonly trainLoss: number;
  readonly testAccuracy: number;
  readonly batchSize: number;
  readonly learningRate: number;
}

/**
 * Something that acts on a run at documented moments. The trainer calls the hooks in list order
 * at each moment, and awaits each before the next:
 * - `afterStep`: after every optimizer step, before the next reads the weights (pruning masks);
 * - `at`: once, after the step that takes the run to `at.epochs` epochs, counted in examples so it
 *   stays on time after a batch change (the framework's sizing decision);
 * - `afterEpoch`: after each epoch's evaluation but the last's (the framework's controller);
 * - `checkpoint`: between two steps every `everyMs`, and when the run pauses.
 * A change a hook returns applies from the next step, before the next hook is called.
 */
export interface TrainHook {
  readonly name: string;
  readonly afterStep?: (moment: StepMoment) => unknown;
  readonly at?: { readonly epochs: number; readonly run: (info: MomentInfo) => Promise<RunChange | null> };
  readonly afterEpoch?: (info: EpochEndInfo) => Promise<RunChange | void>;
  readonly checkpoint?: { readonly everyMs?: number; readonly save: (checkpoint: RunCheckpoint) => Promise<void> | void };
}

/** Optional behaviour of a run. */
export interface TrainerOptions {
  /** The loss of a batch; default the task's cross-entropy. */
  readonly loss?: BatchLoss;
  readonly hooks?: readonly TrainHook[];
  /** Continue this checkpoint instead of starting afresh (same config, data and seed). */
  readonly resume?: RunCheckpoint;
  /** Train this model in place instead of building one from the config (fine-tuning, distillation). */
  readonly model?: tf.LayersModel;
}

async function storeTensors(named: readonly { name: string; tensor: tf.Tensor }[]): Promise<StoredTensor[]> {
  return Promise.all(
    named.map(async ({ name, tensor }) => ({
      name,
      shape: [...tensor.shape],
      dtype: tensor.dtype === 'int32' ? ('int32' as const) : ('float32' as const),
      values: (await tensor.data()) as Float32Array | Int32Array,
    })),
  );
}

const restoreTensor = (t: StoredTensor): tf.Tensor => tf.tensor(t.values, [...t.shape], t.dtype);

/** Units of each hidden Dense layer (all Dense layers but the output). */
function hiddenWidths(model: tf.LayersModel): number[] {
  return model.layers.filter((l) => l.getClassName() === 'Dense').slice(0, -1).map((l) => (l.getWeights()[0] as tf.Tensor).shape[1] as number);
}

/** Sets an optimizer's learning rate: SGD and momentum cache it as a tensor, Adam reads the field. */
function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}

/** A report of the backend tfjs runs on now, for training outside a lab run (fine-tuning, distillation, scripts). */
export function currentBackendReport(): BackendReport {
  const backend = tf.getBackend() as BackendReport['backend'];
  return { choice: backend, backend, explanation: `the backend in use (${backend})`, skipped: [], adapter: null, timestampQuery: false };
}

/** Trains one model; pause, resume and stop may be called at any time from messages. */
export class Trainer {
  private readonly gate = new RunGate();
  /** The trained model, kept after the run for evaluation and export. */
  model: tf.LayersModel | null = null;

  pause(): void {
    this.gate.pause();
  }

  resume(): void {
    this.gate.resume();
  }

  stop(): void {
    this.gate.stop();
  }

  /** Called when the GPU device is lost: the run stops at the next step with a message. */
  deviceLost(reason: string): void {
    this.gate.deviceLost(reason);
  }

  async run(config: ExperimentConfig, data: SplitDataset, backend: BackendReport, emit: (e: TrainEvent) => void, options: TrainerOptions = {}): Promise<RunSummary> {
    const run = await ActiveRun.open(config, data, backend, emit, options, this.gate, (m) => (this.model = m));
    try {
      run.begin();
      while (run.state.epoch < config.train.epochs) {
        if (!(await run.trainEpoch())) break;
        await run.endEpoch();
      }
      return await run.finish();
    } finally {
      run.dispose();
    }
  }
}

/** One run in progress: its tensors, state and parts. Internal to the Trainer. */
class ActiveRun {
  readonly clock: RunClock;
  readonly pipe: MetricsPipe;
  private trainable: tf.Variable[];
  private readonly hooks: readonly TrainHook[];
  private readonly loss: BatchLoss;
  private readonly shuffle: () => number;
  private readonly n: number;
  private order: EpochOrder | null = null;
  private lastCheckpoint = now();
  private lastTrainLoss = Number.NaN;
  private testAccuracy = Number.NaN;
  // GPU busy fraction from the last kernel-timed step, over the typical (untimed) step wall time.
  private sampleKernels: boolean;
  private gpuBusyFraction: number | null = null;
  private typicalWallMs: number | null = null;

  private constructor(
    private readonly config: ExperimentConfig,
    private readonly data: DataSummary,
    private readonly backend: BackendReport,
    private readonly emit: (e: TrainEvent) => void,
    private readonly gate: RunGate,
    private readonly setModel: (m: tf.LayersModel) => void,
    readonly state: RunState,
    private model: tf.LayersModel,
    private optimizer: tf.Optimizer,
    private readonly train: DeviceData,
    private readonly test: DeviceData,
    options: TrainerOptions,
  ) {
    this.n = data.trainExamples;
    this.hooks = options.hooks ?? [];
    this.loss = options.loss ?? crossEntropyLoss;
    this.shuffle = mulberry32(deriveSeed(config.train.seed, 'shuffle'));
    this.trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.sampleKernels = backend.timestampQuery;
    this.clock = new RunClock(state.trainingMs);
    this.pipe = new MetricsPipe(state, this.clock, gate, emit);
    setModel(model);
  }

  static async open(
    config: ExperimentConfig,
    data: SplitDataset,
    backend: BackendReport,
    emit: (e: TrainEvent) => void,
    options: TrainerOptions,
    gate: RunGate,
    setModel: (m: tf.LayersModel) => void,
  ): Promise<ActiveRun> {
    const summary = summariseData(data);
    const resume = options.resume;
    const state = resume ? runStateFromCheckpoint(resume, summary.trainExamples) : freshRunState(config, summary.trainExamples);
    // A checkpoint written after the framework removed neurons holds the smaller model's sizes.
    const modelConfig = resume?.hidden ? { ...config, model: { ...config.model, hidden: [...resume.hidden] } } : config;
    const model = options.model ?? buildModel(modelConfig, summary.inputShape, summary.numClasses);
    const optimizer = buildOptimizer({ ...config, train: { ...config.train, learningRate: state.learningRate } });
    if (resume) await restore(model, optimizer, resume);
    const run = new ActiveRun(config, summary, backend, emit, gate, setModel, state, model, optimizer, toDevice(data.train), toDevice(data.test), options);
    if (resume) run.emitResumed();
    return run;
  }

  /** The page starts empty after a reload: give it the curves and energy records so far. */
  private emitResumed(): void {
    const s = this.state;
    const seconds = s.trainingMs / 1000;
    this.emit({
      type: 'progress',
      progress: progressOf(s, seconds, 0, [...s.lossCurve], [...s.steps]),
    });
    for (const record of s.epochs) this.emit({ type: 'epoch', record });
  }

  /** Announces the run and replays the shuffles of the epochs already done (one seeded stream). */
  begin(): void {
    this.emit({ type: 'phase', phase: 'training', message: `Training ${this.state.totalSteps} steps of ${this.state.batchSize} examples on ${this.backend.backend}.` });
    this.clock.start();
    for (let e = 0; e < this.state.epoch; e++) permutation(this.n, this.shuffle);
  }

  private get plan() {
    return planOf(this.state, this.n, this.config.train.epochs);
  }

  /** Runs the steps of the current epoch; false when the run was stopped. */
  async trainEpoch(): Promise<boolean> {
    const s = this.state;
    this.order = epochOrder(Int32Array.from(permutation(this.n, this.shuffle)), this.train);
    if (s.epochOffset === 0) {
      s.epochLossSum = 0;
      s.epochCorrect = 0;
      s.stepInEpoch = 0;
    }
    while (batchFits(this.plan, positionOf(s))) {
      await this.checkpointIfDue();
      if (!(await this.gate.pass(this.clock, { paused: () => this.onPause(), resumed: () => this.onResume() }))) return false;
      this.pipe.checkDivergence();
      await this.step();
    }
    disposeOrder(this.order);
    this.order = null;
    return true;
  }

  /** One step, its hooks, and the readback when due; books its timing for the energy meter. */
  private async step(): Promise<void> {
    const s = this.state;
    const before = positionOf(s);
    const size = s.batchSize;
    // Energy: wall time of the step and its readback; busy time excludes waiting on the device.
    const startTime = Date.now();
    const t0 = now();
    const stepNo = s.steps.length;
    const timed = this.sampleKernels && stepNo >= KERNEL_SAMPLE_FIRST && (stepNo - KERNEL_SAMPLE_FIRST) % KERNEL_SAMPLE_EVERY === 0;
    let kernelMs: number | null = null;
    let scalars: { loss: tf.Scalar; correct: tf.Scalar } | null = null;
    const run = () => {
      scalars = trainStep(this.model, this.optimizer, this.trainable, this.loss, this.train, this.order as EpochOrder, before.epochOffset, size);
    };
    if (timed) {
      const info = await tf.time(run);
      kernelMs = typeof info.kernelMs === 'number' && Number.isFinite(info.kernelMs) ? info.kernelMs : null;
      if (kernelMs === null) this.sampleKernels = false;
    } else run();
    const { loss, correct } = scalars as unknown as { loss: tf.Scalar; correct: tf.Scalar };
    this.pipe.push(loss, correct, size);
    s.epochOffset += size;
    await this.afterStepHooks(stepNo, before);
    const t1 = now();
    if (this.pipe.due) await this.pipe.flush(false);
    const wallMs = now() - t0;
    if (kernelMs !== null && this.typicalWallMs !== null) this.gpuBusyFraction = Math.min(1, kernelMs / this.typicalWallMs);
    if (!timed) this.typicalWallMs = this.typicalWallMs === null ? wallMs : 0.9 * this.typicalWallMs + 0.1 * wallMs;
    s.steps.push({
      startTime,
      wallMs,
      busyMs: timed ? wallMs : t1 - t0,
      gpuKernelMs: kernelMs ?? (this.gpuBusyFraction === null ? null : this.gpuBusyFraction * wallMs),
      epoch: s.epoch,
    });
  }

  /** The `afterStep` hooks, then the `at` hooks whose moment this step reached. */
  private async afterStepHooks(step: number, before: RunPosition): Promise<void> {
    const after = nextPosition(this.plan, before);
    const moment: StepMoment = { model: this.model, step, before, after, trainExamples: this.n };
    for (const hook of this.hooks) {
      const done = hook.afterStep?.(moment);
      if (done instanceof Promise) await done;
    }
    for (const hook of this.hooks) {
      if (!hook.at || !crossesEpochs(this.plan, before, after, hook.at.epochs)) continue;
      await this.pipe.flush(true);
      const probeSize = Math.min(PROBE_EXAMPLES, this.n);
      const rows = rowsOf(this.train, 0, probeSize);
      rows.labels.dispose();
      const probe = { x: rows.x, oneHot: rows.oneHot };
      const s = this.state;
      try {
        const change = await hook.at.run({ stepsDone: s.stepsDone, examplesDone: s.examplesDone, totalExamples: s.totalExamples, model: this.model, batchSize: s.batchSize, learningRate: s.learningRate, probe });
        if (change) this.apply(change);
      } finally {
        tf.dispose([probe.x, probe.oneHot]);
      }
    }
  }

  /** Applies a hook's change between steps, with every step read back, and reports it. */
  private apply(change: RunChange): void {
    const s = this.state;
    const from = { batchSize: s.batchSize, learningRate: s.learningRate };
    if (change.model) this.replaceModel(change.model);
    if (change.learningRate !== undefined) {
      s.learningRate = change.learningRate;
      setLearningRate(this.optimizer, s.learningRate);
    }
    if (change.batchSize !== undefined && change.batchSize !== s.batchSize) changeBatchSize(s, change.batchSize, this.n, this.config.train.epochs);
    if (s.batchSize === from.batchSize && s.learningRate === from.learningRate) return;
    this.emit({
      type: 'change',
      change: {
        step: s.stepsDone,
        epoch: batchFits(this.plan, positionOf(s)) ? s.epoch : s.epoch + 1,
        examplesDone: s.examplesDone,
        batchSize: { from: from.batchSize, to: s.batchSize },
        learningRate: { from: from.learningRate, to: s.learningRate },
        totalSteps: s.totalSteps,
        totalExamples: s.totalExamples,
      },
    });
  }

  /** Swaps in a new model between steps; its optimizer starts afresh (slots match the old shapes). */
  private replaceModel(next: tf.LayersModel): void {
    this.model.dispose();
    this.optimizer.dispose();
    this.model = next;
    this.setModel(next);
    this.trainable = next.trainableWeights.map((w) => w.read() as tf.Variable);
    this.optimizer = buildOptimizer({ ...this.config, train: { ...this.config.train, learningRate: this.state.learningRate } });
  }

  /** After the epoch's steps: read back, evaluate, record, then the `afterEpoch` hooks. */
  async endEpoch(): Promise<void> {
    const s = this.state;
    await this.pipe.flush(true);
    this.clock.stop();
    this.pipe.checkDivergence();
    this.emit({ type: 'phase', phase: 'evaluating', message: `Evaluating epoch ${s.epoch + 1} on ${this.data.testExamples} test examples.` });
    const result = await this.evaluate();
    this.lastTrainLoss = s.epochLossSum / s.stepInEpoch;
    this.testAccuracy = result.accuracy;
    const record: EpochRecord = {
      epoch: s.epoch + 1,
      trainLoss: this.lastTrainLoss,
      trainAccuracy: s.epochCorrect / Math.max(1, s.epochOffset),
      testLoss: result.loss,
      testAccuracy: result.accuracy,
    };
    s.epochs.push(record);
    this.emit({ type: 'epoch', record });
    s.epoch += 1;
    s.epochOffset = 0;
    const more = s.epoch < this.config.train.epochs;
    if (more) {
      const info: EpochEndInfo = { epoch: s.epoch, stepsDone: s.stepsDone, model: this.model, trainLoss: record.trainLoss, testAccuracy: record.testAccuracy, batchSize: s.batchSize, learningRate: s.learningRate };
      for (const hook of this.hooks) {
        const change = await hook.afterEpoch?.(info);
        if (change) this.apply(change);
      }
      this.emit({ type: 'phase', phase: 'training', message: `Training epoch ${s.epoch + 1}.` });
      this.clock.start();
    }
  }

  private evaluate(): Promise<{ loss: number; accuracy: number }> {
    return evaluateOn(this.model, this.test, (p) => this.gate.readback(p));
  }

  /** The run's figures; a run stopped mid-epoch is evaluated as it stands. */
  async finish(): Promise<RunSummary> {
    const s = this.state;
    // A stop that arrives after the last step (during the final evaluation) changes nothing.
    const stopped = this.gate.stopping && s.epochs.length < this.config.train.epochs;
    if (stopped) {
      await this.pipe.flush(true);
      this.clock.stop();
      if (s.stepInEpoch > 0) {
        this.lastTrainLoss = s.epochLossSum / s.stepInEpoch;
        this.testAccuracy = (await this.evaluate()).accuracy;
      }
    }
    this.clock.stop();
    s.trainingMs = this.clock.ms;
    const seconds = s.trainingMs / 1000;
    return {
      backend: this.backend,
      data: this.data,
      metrics: {
        testAccuracy: this.testAccuracy,
        trainLoss: this.lastTrainLoss,
        epochs: s.epochs.length,
        steps: s.stepsDone,
        samplesPerSecond: examplesPerSecond(s.examplesDone, seconds),
        wallSeconds: seconds,
      },
      lossCurve: s.lossCurve,
      epochs: s.epochs,
      outcome: stopped ? 'stopped' : 'finished',
      steps: s.steps,
    };
  }

  private get checkpointHooks() {
    return this.hooks.flatMap((h) => (h.checkpoint ? [h.checkpoint] : []));
  }

  /** A checkpoint on the timer, between two steps, unless the run is about to pause (which writes one). */
  private async checkpointIfDue(): Promise<void> {
    const due = this.checkpointHooks.some((c) => now() - this.lastCheckpoint > (c.everyMs ?? CHECKPOINT_EVERY_MS));
    if (!due || this.gate.paused) return;
    await this.pipe.flush(true);
    await this.saveCheckpoint(false);
    this.lastCheckpoint = now();
  }

  private async onPause(): Promise<void> {
    await this.pipe.flush(true);
    await this.saveCheckpoint(true);
    this.emit({ type: 'phase', phase: 'paused', message: `Paused at step ${this.state.stepsDone} of ${this.state.totalSteps}; progress is saved in this browser.` });
  }

  private onResume(): void {
    this.emit({ type: 'phase', phase: 'training', message: 'Training resumed.' });
  }

  /** Writes a checkpoint of the run between two steps (call with every step read back). */
  private async saveCheckpoint(paused: boolean): Promise<void> {
    const hooks = this.checkpointHooks;
    if (hooks.length === 0) return;
    const named = this.model.getWeights().map((tensor, i) => ({ name: `w${i}`, tensor }));
    const slots = await this.optimizer.getWeights();
    const [weights, optimizer] = await Promise.all([storeTensors(named), storeTensors(slots)]);
    // getWeights() makes a fresh scalar for the iteration count; the slots are the optimizer's own.
    tf.dispose(slots.filter((s) => s.name === 'iter').map((s) => s.tensor));
    this.state.trainingMs = this.clock.ms;
    const checkpoint = snapshotOf(this.state, { config: this.config, weights, optimizer, hidden: hiddenWidths(this.model) }, paused, Date.now());
    for (const hook of hooks) await hook.save(checkpoint);
  }

  /** Frees the run's tensors; the model stays (the Trainer keeps it). */
  dispose(): void {
    // A run that failed mid-epoch leaves its shuffle order and maybe a rejected readback behind.
    disposeOrder(this.order);
    this.pipe.dispose();
    disposeDevice(this.train);
    disposeDevice(this.test);
    this.optimizer.dispose();
  }
}

/** Sets a checkpoint's weights and optimizer slots. */
async function restore(model: tf.LayersModel, optimizer: tf.Optimizer, c: RunCheckpoint): Promise<void> {
  const weights = c.weights.map(restoreTensor);
  model.setWeights(weights);
  tf.dispose(weights);
  const slots = c.optimizer.map((t) => ({ name: t.name, tensor: restoreTensor(t) }));
  await optimizer.setWeights(slots);
  tf.dispose(slots.map((s) => s.tensor));
}

/** Options of `fitModel`. */
export interface FitOptions {
  readonly loss?: BatchLoss;
  readonly hooks?: readonly TrainHook[];
  /** The trainer to run on, so the caller can stop it; a new one by default. */
  readonly trainer?: Trainer;
}

/**
 * Trains an existing `model` in place for `config.train.epochs` at its batch size, learning rate
 * and seed, with no events: fine-tuning and distillation train through the lab's one loop.
 */
export function fitModel(model: tf.LayersModel, config: ExperimentConfig, data: SplitDataset, options: FitOptions = {}): Promise<RunSummary> {
  const trainer = options.trainer ?? new Trainer();
  return trainer.run(config, data, currentBackendReport(), () => undefined, {
    model,
    ...(options.loss ? { loss: options.loss } : {}),
    ...(options.hooks ? { hooks: options.hooks } : {}),
  });
}
