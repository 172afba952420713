/**
 * The lab's training loop. It runs in the worker (and in Node for tests), yields between steps so
 * pause and stop messages arrive, and reads metrics back from the device asynchronously, a batch
 * of steps at a time, never after every step: reading back each step would stall a GPU pipeline.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../src/core/config/schema';
import type { StepRecord } from '../src/core/energy/power';
import { exampleCount, type Dataset, type SplitDataset } from '../src/core/data/dataset';
import { deriveSeed, mulberry32, permutation } from '../src/core/data/prng';
import {
  divergenceAt,
  etaSeconds,
  type BackendReport,
  type DataSummary,
  type EpochRecord,
  type RunSummary,
  type TrainEvent,
} from '../src/core/train/types';
import { buildModel, buildOptimizer } from './model';
import type { RunCheckpoint, StoredTensor } from '../src/core/train/checkpoint';

/** Read metrics back at least this often while training (milliseconds). */
const READBACK_INTERVAL_MS = 250;
/** ...or when this many steps are waiting, whichever comes first. */
const READBACK_MAX_STEPS = 64;
/** Yield to the worker's event loop at least this often, so pause and stop arrive promptly. */
const YIELD_INTERVAL_MS = 20;
/** Test-set examples evaluated per forward pass. */
const EVAL_CHUNK = 1000;
/**
 * With `timestamp-query`, time one step's GPU kernels every this many steps. `tf.time` waits for
 * the GPU, so timing every step would serialise the pipeline; one in 50 costs about 2 %.
 */
const KERNEL_SAMPLE_EVERY = 50;
/** The first steps compile shaders and allocate buffers; sample after them. */
const KERNEL_SAMPLE_FIRST = 3;

const now = () => performance.now();

/** Lets queued messages (pause, stop) run between steps. A MessageChannel hop avoids setTimeout's 4 ms clamp. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** The run ended because the GPU device went away (driver reset, tab backgrounded too long, unplugged GPU). */
export class DeviceLostError extends Error {
  override name = 'DeviceLostError';
}

interface DeviceTensors {
  x: tf.Tensor;
  oneHot: tf.Tensor;
  labels: tf.Tensor1D;
}

function toDevice(d: Dataset): DeviceTensors {
  const n = exampleCount(d);
  return tf.tidy(() => {
    const labels = tf.tensor1d(Int32Array.from(d.y), 'int32');
    return { x: tf.tensor(d.x, [n, ...d.inputShape]), oneHot: tf.oneHot(labels, d.numClasses).toFloat(), labels };
  });
}

function disposeAll(t: DeviceTensors): void {
  tf.dispose([t.x, t.oneHot, t.labels]);
}

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

/** A differentiable compute penalty added to the task loss (the multi-objective framework). */
export interface PenaltyOptions {
  /** Its coefficient for the coming steps (read every step; changes at epoch boundaries). */
  readonly coefficient: () => number;
  /** Per hidden layer, the weight of each neuron in the penalty. */
  readonly weights: (model: tf.LayersModel) => readonly (readonly number[])[];
  /** The penalty itself, a scalar built from the model's weights (recorded on the gradient tape). */
  readonly term: (model: tf.LayersModel, weights: readonly (readonly number[])[]) => tf.Scalar;
}

/** What the trainer reports at the end of each epoch, before the next starts. */
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

/** Changes to apply from the next epoch on. A new model replaces the old one (its optimizer restarts). */
export interface EpochChange {
  readonly model?: tf.Sequential;
  readonly batchSize?: number;
  readonly learningRate?: number;
}

/** A fixed slice of the training split that the framework's probes read (they only compare candidates). */
export interface ProbeSet {
  readonly x: tf.Tensor;
  readonly oneHot: tf.Tensor;
}

/** What the trainer tells `onStructure`, between two steps. */
export interface StructureInfo {
  readonly stepsDone: number;
  readonly model: tf.LayersModel;
  readonly batchSize: number;
  readonly learningRate: number;
  /** The first examples of the training split (at most PROBE_EXAMPLES); owned by the trainer. */
  readonly probe: ProbeSet;
}

/** Changes that take effect from the very next step. A new model restarts the optimizer. */
export type StructureChange = EpochChange;

/** Size of the probe set handed to `onStructure`. */
export const PROBE_EXAMPLES = 512;

/** Optional behaviour of a run: hooks for compression and checkpoints, and a checkpoint to continue. */
export interface TrainerOptions {
  /** Adds a compute penalty to the loss; the loss curve still shows the task loss alone. */
  readonly penalty?: PenaltyOptions;
  /** Called after each epoch's evaluation; may change the model, batch size or learning rate. */
  readonly onEpochEnd?: (info: EpochEndInfo) => Promise<EpochChange | void>;
  /** A run-wide step index after which `onStructure` may change the model and batch size mid-epoch. */
  readonly structureAtStep?: number;
  readonly onStructure?: (info: StructureInfo) => Promise<StructureChange | null>;
  /**
   * Called after every optimizer step with the step's index over the whole run (pruning masks go
   * here). A returned promise is awaited before the next step, so a mask update reads the weights
   * of this step.
   */
  readonly afterStep?: (model: tf.LayersModel, step: number) => unknown;
  /** Continue this checkpoint instead of starting afresh (same config, data and seed). */
  readonly resume?: RunCheckpoint;
  /** Receives a checkpoint when the run pauses and every `checkpointEveryMs` of training. */
  readonly onCheckpoint?: (checkpoint: RunCheckpoint) => Promise<void> | void;
  readonly checkpointEveryMs?: number;
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

/** Trains one model; pause, resume and stop may be called at any time from messages. */
export class Trainer {
  private paused = false;
  private stopRequested = false;
  private wake: (() => void) | null = null;
  private lost: string | null = null;
  private rejectLost: ((error: Error) => void) | null = null;
  private readonly lostSignal: Promise<never>;
  /** The trained model, kept after the run for evaluation and export. */
  model: tf.LayersModel | null = null;

  constructor() {
    this.lostSignal = new Promise<never>((_, reject) => {
      this.rejectLost = reject;
    });
    this.lostSignal.catch(() => undefined);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  stop(): void {
    this.stopRequested = true;
    this.resume();
  }

  /** Called when the GPU device is lost: the run stops at the next step with a message. */
  deviceLost(reason: string): void {
    this.lost = reason;
    this.rejectLost?.(new DeviceLostError(reason));
    this.resume();
  }

  /** Waits for a device readback, or fails at once if the device is lost meanwhile. */
  private readback(t: tf.Tensor): Promise<Float32Array> {
    return Promise.race([t.data() as Promise<Float32Array>, this.lostSignal]);
  }

  async run(
    config: ExperimentConfig,
    data: SplitDataset,
    backend: BackendReport,
    emit: (e: TrainEvent) => void,
    options: TrainerOptions = {},
  ): Promise<RunSummary> {
    const dataSummary = summariseData(data);
    const n = dataSummary.trainExamples;
    const resumeFrom = options.resume;
    let batchSize = Math.min(resumeFrom?.batchSize ?? config.train.batchSize, n);
    let learningRate = resumeFrom?.learningRate ?? config.train.learningRate;
    // Fixed batch shapes: the last partial batch of each epoch is dropped (tfjs-webgpu pools
    // GPU buffers by exact size, so a ragged batch would allocate new ones).
    let stepsPerEpoch = Math.floor(n / batchSize);
    // A checkpoint knows the real total (the framework may have changed the batch size since).
    let totalSteps = resumeFrom?.totalSteps ?? stepsPerEpoch * config.train.epochs;

    // A checkpoint written after the framework removed neurons holds the smaller model's sizes.
    const modelConfig = resumeFrom?.hidden ? { ...config, model: { ...config.model, hidden: [...resumeFrom.hidden] } } : config;
    let model: tf.LayersModel = buildModel(modelConfig, dataSummary.inputShape, dataSummary.numClasses);
    let optimizer = buildOptimizer({ ...config, train: { ...config.train, learningRate } });
    // Only this model's weights: without a list, tfjs differentiates every variable alive in the engine.
    let trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.model = model;
    const train = toDevice(data.train);
    const test = toDevice(data.test);
    const shuffle = mulberry32(deriveSeed(config.train.seed, 'shuffle'));

    const lossCurve: number[] = [];
    const epochs: EpochRecord[] = [];
    let pendingLoss: tf.Scalar[] = [];
    let pendingCorrect: tf.Scalar[] = [];
    let inflight: Promise<void> | null = null;
    let flushedSteps = 0;
    let epochLossSum = 0;
    let epochCorrect = 0;
    let epochSteps = 0;
    let trainingMs = 0;
    let runningSince = now();
    let lastReadback = now();
    let epoch = 0;
    let diverged: string | null = null;
    const stepRecords: StepRecord[] = [];
    let unsentRecords = 0;
    // GPU busy fraction from the last kernel-timed step, over the typical (untimed) step wall time.
    let gpuBusyFraction: number | null = null;
    let typicalWallMs: number | null = null;
    let sampleKernels = backend.timestampQuery;

    // Whether the training clock runs: only the loop switches it, where it books `trainingMs`, so a
    // pause message arriving mid-readback cannot make the reported time jump back.
    let clockRunning = true;
    const trainingSeconds = () => (trainingMs + (clockRunning ? now() - runningSince : 0)) / 1000;
    const stopClock = () => {
      if (clockRunning) trainingMs += now() - runningSince;
      clockRunning = false;
    };
    const startClock = () => {
      runningSince = now();
      clockRunning = true;
    };

    const resume = options.resume;
    if (resume) {
      const weights = resume.weights.map(restoreTensor);
      model.setWeights(weights);
      tf.dispose(weights);
      const slots = resume.optimizer.map((t) => ({ name: t.name, tensor: restoreTensor(t) }));
      await optimizer.setWeights(slots);
      tf.dispose(slots.map((s) => s.tensor));
      lossCurve.push(...resume.lossCurve);
      epochs.push(...resume.epochs);
      stepRecords.push(...resume.steps);
      unsentRecords = stepRecords.length;
      flushedSteps = resume.stepsDone;
      epochLossSum = resume.epochLossSum;
      epochCorrect = resume.epochCorrect;
      epochSteps = resume.stepInEpoch;
      trainingMs = resume.trainingMs;
      // The page starts empty after a reload: give it the curves and energy records so far.
      emit({
        type: 'progress',
        progress: {
          firstStep: 0,
          losses: [...resume.lossCurve],
          epoch: resume.epoch,
          stepsDone: resume.stepsDone,
          totalSteps,
          samplesPerSecond: trainingMs > 0 ? (resume.stepsDone * batchSize) / (trainingMs / 1000) : 0,
          trainingSeconds: trainingMs / 1000,
          etaSeconds: etaSeconds(resume.stepsDone, totalSteps, trainingMs / 1000),
          steps: [...resume.steps],
        },
      });
      for (const record of resume.epochs) emit({ type: 'epoch', record });
    }
    const startEpoch = resume?.epoch ?? 0;
    // Checkpoints before the batch size could change mid-epoch hold only the step within the epoch.
    const startOffset = resume ? (resume.epochOffset ?? resume.stepInEpoch * batchSize) : 0;
    let epochOffset = startOffset;

    /** Writes a checkpoint of the run between two steps (call with no step in flight). */
    const checkpoint = async (paused: boolean): Promise<void> => {
      if (!options.onCheckpoint) return;
      const named = model.getWeights().map((tensor, i) => ({ name: `w${i}`, tensor }));
      const slots = await optimizer.getWeights();
      const [weights, optimizerState] = await Promise.all([storeTensors(named), storeTensors(slots)]);
      // getWeights() makes a fresh scalar for the iteration count; the slots are the optimizer's own.
      tf.dispose(slots.filter((s) => s.name === 'iter').map((s) => s.tensor));
      await options.onCheckpoint({
        version: 1,
        config,
        savedAt: Date.now(),
        paused,
        totalSteps,
        stepsDone: flushedSteps,
        epoch,
        stepInEpoch: epochSteps,
        epochOffset,
        epochLossSum,
        epochCorrect,
        trainingMs: paused ? trainingMs : trainingMs + (now() - runningSince),
        lossCurve: [...lossCurve],
        epochs: [...epochs],
        steps: [...stepRecords],
        weights,
        optimizer: optimizerState,
        hidden: hiddenWidths(model),
        batchSize,
        learningRate,
      });
    };
    let lastCheckpoint = now();

    /** Swaps in a new model between steps; its optimizer starts afresh (slots match the old shapes). */
    const replaceModel = (next: tf.LayersModel): void => {
      model.dispose();
      optimizer.dispose();
      model = next;
      this.model = model;
      trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
      optimizer = buildOptimizer({ ...config, train: { ...config.train, learningRate } });
    };

    /**
     * Applies a change between steps: a new model, learning rate or batch size, from the next step
     * on. `epochsAfter` counts the whole epochs after the current one, for the new step total.
     */
    const applyChange = (change: EpochChange, epochsAfter: number): void => {
      if (change.model) replaceModel(change.model);
      if (change.learningRate !== undefined) {
        learningRate = change.learningRate;
        setLearningRate(optimizer, learningRate);
      }
      if (change.batchSize !== undefined && change.batchSize !== batchSize) {
        batchSize = Math.min(change.batchSize, n);
        stepsPerEpoch = Math.floor(n / batchSize);
        totalSteps = stepRecords.length + Math.floor((n - epochOffset) / batchSize) + stepsPerEpoch * epochsAfter;
      }
    };

    const flush = async (wait: boolean): Promise<void> => {
      if (inflight) await inflight;
      if (pendingLoss.length > 0) {
        const losses = pendingLoss;
        const corrects = pendingCorrect;
        pendingLoss = [];
        pendingCorrect = [];
        const packed = tf.tidy(() => tf.concat([tf.stack(losses), tf.stack(corrects).toFloat()]));
        tf.dispose([...losses, ...corrects]);
        const firstStep = flushedSteps;
        flushedSteps += losses.length;
        const steps = stepRecords.slice(unsentRecords);
        unsentRecords = stepRecords.length;
        lastReadback = now();
        inflight = this.readback(packed).then((values: Float32Array) => {
          packed.dispose();
          const count = values.length / 2;
          const stepLosses = Array.from(values.subarray(0, count));
          diverged ??= divergenceAt(stepLosses, firstStep);
          for (let i = 0; i < count; i++) {
            epochLossSum += stepLosses[i] as number;
            epochCorrect += values[count + i] as number;
          }
          epochSteps += count;
          lossCurve.push(...stepLosses);
          const seconds = trainingSeconds();
          const done = firstStep + count;
          emit({
            type: 'progress',
            progress: {
              firstStep,
              losses: stepLosses,
              epoch,
              stepsDone: done,
              totalSteps,
              samplesPerSecond: seconds > 0 ? (done * batchSize) / seconds : 0,
              trainingSeconds: seconds,
              etaSeconds: etaSeconds(done, totalSteps, seconds),
              steps,
            },
          });
        }, (error: unknown) => {
          // A failed readback (a lost device) still frees its tensor; the run stops at the next gate.
          packed.dispose();
          throw error;
        });
      }
      if (wait && inflight) {
        await inflight;
        inflight = null;
      }
    };

    const evaluate = async (): Promise<{ loss: number; accuracy: number }> => {
      const count = dataSummary.testExamples;
      let sums = tf.zeros([2]);
      for (let start = 0; start < count; start += EVAL_CHUNK) {
        const size = Math.min(EVAL_CHUNK, count - start);
        const next = tf.tidy(() => {
          const probs = model.predict(test.x.slice(start, size)) as tf.Tensor;
          const loss = tf.metrics.categoricalCrossentropy(test.oneHot.slice(start, size), probs).sum();
          const correct = probs.argMax(-1).equal(test.labels.slice(start, size)).sum().toFloat();
          return sums.add(tf.stack([loss, correct]));
        });
        sums.dispose();
        sums = next;
      }
      const [loss, correct] = await this.readback(sums);
      sums.dispose();
      return { loss: (loss as number) / count, accuracy: (correct as number) / count };
    };

    /** Between steps: yield, honour pause and stop, and fail fast on a lost device or divergence. */
    let lastYield = now();
    const gate = async (): Promise<boolean> => {
      if (now() - lastYield > YIELD_INTERVAL_MS) {
        await yieldToEventLoop();
        lastYield = now();
      }
      if (options.onCheckpoint && !this.paused && now() - lastCheckpoint > (options.checkpointEveryMs ?? 15_000)) {
        await flush(true);
        await checkpoint(false);
        lastCheckpoint = now();
      }
      if (this.paused && !this.stopRequested && !this.lost) {
        stopClock();
        await flush(true);
        await checkpoint(true);
        emit({ type: 'phase', phase: 'paused', message: `Paused at step ${flushedSteps} of ${totalSteps}; progress is saved in this browser.` });
        while (this.paused && !this.stopRequested && !this.lost) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
        }
        this.wake = null;
        startClock();
        if (!this.stopRequested && !this.lost) emit({ type: 'phase', phase: 'training', message: 'Training resumed.' });
      }
      if (this.lost) throw new DeviceLostError(this.lost);
      if (diverged) throw new Error(`Training diverged: ${diverged}. The run stopped; try a lower learning rate.`);
      return !this.stopRequested;
    };

    let lastTrainLoss = Number.NaN;
    let testAccuracy = Number.NaN;
    let currentOrder: tf.Tensor | null = null;
    try {
      emit({ type: 'phase', phase: 'training', message: `Training ${totalSteps} steps of ${batchSize} examples on ${backend.backend}.` });
      runningSince = now();
      // The shuffle of each epoch comes from one seeded stream: replay the epochs already done.
      for (let e = 0; e < startEpoch; e++) permutation(n, shuffle);
      outer: for (epoch = startEpoch; epoch < config.train.epochs; epoch++) {
        const order = tf.tensor1d(Int32Array.from(permutation(n, shuffle)), 'int32');
        currentOrder = order;
        // Examples of this epoch used so far: the batch size may change mid-epoch (the framework).
        epochOffset = epoch === startEpoch ? startOffset : 0;
        if (epochOffset === 0) {
          epochLossSum = 0;
          epochCorrect = 0;
          epochSteps = 0;
        }
        while (epochOffset + batchSize <= n) {
          if (!(await gate())) {
            order.dispose();
            break outer;
          }
          const at = epochOffset;
          const size = batchSize;
          const step = () => tf.tidy(() => {
            const idx = order.slice(at, size);
            const xb = tf.gather(train.x, idx);
            const yb = tf.gather(train.oneHot, idx);
            const lb = tf.gather(train.labels, idx);
            let probs: tf.Tensor | null = null;
            let taskLoss: tf.Scalar | null = null;
            const penalty = options.penalty;
            const cost = optimizer.minimize(
              () => {
                probs = tf.keep(model.apply(xb, { training: true }) as tf.Tensor);
                const task = tf.metrics.categoricalCrossentropy(yb, probs).mean() as tf.Scalar;
                if (!penalty) return task;
                taskLoss = tf.keep(task);
                return task.add(penalty.term(model, penalty.weights(model)).mul(penalty.coefficient())) as tf.Scalar;
              },
              true,
              trainable,
            );
            // Accuracy from the same forward pass, outside the gradient tape.
            const p = probs as unknown as tf.Tensor;
            pendingCorrect.push(tf.keep(p.argMax(-1).equal(lb).sum() as tf.Scalar));
            p.dispose();
            // The curve shows the task loss; a penalty's share is not learning progress.
            if (taskLoss) (cost as tf.Scalar).dispose();
            pendingLoss.push(taskLoss ?? tf.keep(cost as tf.Scalar));
          });
          // Energy: wall time of the step and its readback; busy time excludes waiting on the device.
          const startTime = Date.now();
          const t0 = now();
          const stepNo = stepRecords.length;
          const timed = sampleKernels && stepNo >= KERNEL_SAMPLE_FIRST && (stepNo - KERNEL_SAMPLE_FIRST) % KERNEL_SAMPLE_EVERY === 0;
          let kernelMs: number | null = null;
          if (timed) {
            const info = await tf.time(step);
            kernelMs = typeof info.kernelMs === 'number' && Number.isFinite(info.kernelMs) ? info.kernelMs : null;
            if (kernelMs === null) sampleKernels = false;
          } else step();
          epochOffset += size;
          const hooked = options.afterStep?.(model, stepNo);
          if (hooked instanceof Promise) await hooked;
          if (options.onStructure && options.structureAtStep === stepNo + 1) {
            await flush(true);
            const probeSize = Math.min(PROBE_EXAMPLES, n);
            const probe = { x: train.x.slice(0, probeSize), oneHot: train.oneHot.slice(0, probeSize) };
            let change: StructureChange | null;
            try {
              change = await options.onStructure({ stepsDone: flushedSteps, model, batchSize, learningRate, probe });
            } finally {
              tf.dispose([probe.x, probe.oneHot]);
            }
            if (change) applyChange(change, config.train.epochs - epoch - 1);
          }
          const t1 = now();
          if (now() - lastReadback > READBACK_INTERVAL_MS || pendingLoss.length >= READBACK_MAX_STEPS) await flush(false);
          const wallMs = now() - t0;
          if (kernelMs !== null && typicalWallMs !== null) gpuBusyFraction = Math.min(1, kernelMs / typicalWallMs);
          if (!timed) typicalWallMs = typicalWallMs === null ? wallMs : 0.9 * typicalWallMs + 0.1 * wallMs;
          stepRecords.push({
            startTime,
            wallMs,
            busyMs: timed ? wallMs : t1 - t0,
            gpuKernelMs: kernelMs ?? (gpuBusyFraction === null ? null : gpuBusyFraction * wallMs),
            epoch,
          });
        }
        order.dispose();
        await flush(true);
        stopClock();
        if (diverged) throw new Error(`Training diverged: ${diverged}. The run stopped; try a lower learning rate.`);
        emit({ type: 'phase', phase: 'evaluating', message: `Evaluating epoch ${epoch + 1} on ${dataSummary.testExamples} test examples.` });
        const result = await evaluate();
        lastTrainLoss = epochLossSum / epochSteps;
        testAccuracy = result.accuracy;
        const record: EpochRecord = {
          epoch: epoch + 1,
          trainLoss: lastTrainLoss,
          trainAccuracy: epochCorrect / Math.max(1, epochOffset),
          testLoss: result.loss,
          testAccuracy: result.accuracy,
        };
        epochs.push(record);
        emit({ type: 'epoch', record });
        if (options.onEpochEnd && epoch + 1 < config.train.epochs) {
          const change = await options.onEpochEnd({
            epoch: epoch + 1,
            stepsDone: flushedSteps,
            model,
            trainLoss: lastTrainLoss,
            testAccuracy: result.accuracy,
            batchSize,
            learningRate,
          });
          // The change applies from the start of the next epoch, which has this many epochs after it.
          epochOffset = 0;
          if (change) applyChange(change, config.train.epochs - epoch - 2);
        }
        if (epoch + 1 < config.train.epochs) emit({ type: 'phase', phase: 'training', message: `Training epoch ${epoch + 2}.` });
        startClock();
      }
      // A stop that arrives after the last step (during the final evaluation) changes nothing.
      const stopped = this.stopRequested && epochs.length < config.train.epochs;
      if (stopped) {
        await flush(true);
        stopClock();
        if (epochSteps > 0 && epochs.length < config.train.epochs) {
          lastTrainLoss = epochLossSum / epochSteps;
          testAccuracy = (await evaluate()).accuracy;
        }
      }
      const seconds = trainingMs / 1000;
      return {
        backend,
        data: dataSummary,
        metrics: {
          testAccuracy,
          trainLoss: lastTrainLoss,
          epochs: epochs.length,
          steps: flushedSteps,
          samplesPerSecond: seconds > 0 ? (flushedSteps * batchSize) / seconds : 0,
          wallSeconds: seconds,
        },
        lossCurve,
        epochs,
        outcome: stopped ? 'stopped' : 'finished',
        steps: stepRecords,
      };
    } finally {
      // A run that failed mid-epoch leaves its shuffle order and maybe a rejected readback behind.
      if (currentOrder && !currentOrder.isDisposed) currentOrder.dispose();
      (inflight as Promise<void> | null)?.catch(() => undefined);
      tf.dispose([...pendingLoss, ...pendingCorrect]);
      disposeAll(train);
      disposeAll(test);
      optimizer.dispose();
    }
  }
}
