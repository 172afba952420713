/// <reference lib="webworker" />
/** The training worker: exposes the LabWorkerApi over Comlink. All tfjs work happens here. */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice, ExperimentConfig } from '../src/core/config/schema';
import type { RunSummary, TrainEvent } from '../src/core/train/types';
import { forgetGpuDevice, gpuDevice, startBackend } from './backends';
import type { BenchmarkResult, CompressionOutcome, DistillRequest, ExportRequest, LabWorkerApi } from './contract';
import { loadData } from './data';
import { benchmarkBackend } from './bench';
import { DeviceLostError, Trainer, summariseData, type TrainHook } from './trainer';
import { frameworkOptions, type RunContext } from './framework';
import { clearCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint-store';
import { savedRunInfo, type RunCheckpoint, type SavedRunInfo } from '../src/core/train/checkpoint';
import { benchmarkDeployment } from './deploy';
import type { DeploymentRequest } from '../src/core/deploy';
import { distillStudent, exportForDownload, importZip, oneShot, RunPruning, type CompressionState } from './compress-lab';

const base = new URL(import.meta.env.BASE_URL, self.location.origin).href;
let trainer: Trainer | null = null;
let stopPending = false;
let lastModel: tf.LayersModel | null = null;
/** The grid intensity and energy so far, as the page last reported them (the framework reads them). */
let runContext: RunContext = { intensity: null, energyWh: 0 };
/** The last run's config, data, model and distilled student, for the compression calls. */
const compression: CompressionState = { config: null, data: null, model: null, student: null };
let pruning: RunPruning | null = null;

/** Starts watching a GPU device: when it is lost, the current run stops with a message. */
function watchDevice(device: GPUDevice): void {
  void device.lost.then((info) => {
    forgetGpuDevice();
    trainer?.deviceLost(`the GPU device was lost (${info.reason === 'destroyed' ? 'destroyed' : 'driver or browser reset'}${info.message ? `: ${info.message}` : ''})`);
  });
}
const watched = new WeakSet<GPUDevice>();

/**
 * One run, new or continued from a checkpoint: the run is checkpointed to IndexedDB while it
 * trains and when it pauses, and the checkpoint is deleted when the run ends.
 */
async function runTraining(config: ExperimentConfig, onEvent: (event: TrainEvent) => void, resume: RunCheckpoint | null): Promise<RunSummary> {
  // Comlink callbacks return promises; a run never waits on the page to draw. Events travel on
  // the callback's own MessagePort, the return value on the worker's: before returning, wait
  // for the last event's delivery, so the page never sees an event after the run's end.
  let delivered: Promise<unknown> = Promise.resolve();
  const emit = (event: TrainEvent) => {
    delivered = Promise.resolve(onEvent(event)).catch(() => undefined);
  };
  trainer?.stop();
  // One trained model is kept for evaluation and export; a new run replaces it.
  lastModel?.dispose();
  lastModel = null;
  compression.student?.dispose();
  Object.assign(compression, { config: null, data: null, model: null, student: null });
  const mine = new Trainer();
  trainer = mine;
  if (stopPending) mine.stop();
  stopPending = false;
  let device: GPUDevice | null = null;
  try {
    emit({ type: 'phase', phase: 'loading', message: 'Choosing a backend…' });
    const report = await startBackend(config.backend, config.model.kind, { config, data: () => loadData(config, base) });
    device = report.backend === 'webgpu' ? gpuDevice : null;
    if (gpuDevice && !watched.has(gpuDevice)) {
      watched.add(gpuDevice);
      watchDevice(gpuDevice);
    }
    emit({ type: 'backend', report });
    emit({ type: 'phase', phase: 'loading', message: 'Loading data…' });
    const data = await loadData(config, base);
    const summarised = summariseData(data);
    emit({ type: 'data', data: summarised });
    if (!resume) await clearCheckpoint().catch(() => undefined);
    if (resume?.paused) mine.pause();
    let storageWarned = false;
    runContext = { intensity: null, energyWh: 0 };
    const framework =
      config.objective.framework === 'on'
        ? frameworkOptions(config, summarised, runContext, (entry) => emit({ type: 'log', entry }), resume?.hidden ?? null)
        : null;
    pruning?.dispose();
    const runPruning = new RunPruning(config, summarised.trainExamples, emit);
    if (resume) runPruning.resumed();
    pruning = runPruning;
    compression.config = config;
    compression.data = data;
    const checkpoints: TrainHook = {
      name: 'checkpoints',
      checkpoint: {
        save: async (checkpoint) => {
          try {
            await saveCheckpoint(checkpoint);
          } catch (error) {
            // Private windows and full disks refuse IndexedDB: training goes on, unsaved, and says so once.
            if (!storageWarned) emit({ type: 'phase', phase: checkpoint.paused ? 'paused' : 'training', message: `Progress could not be saved in this browser (${(error as Error).message}); a reload would lose it.` });
            storageWarned = true;
          }
        },
      },
    };
    // In this order at each moment: masks first, so the framework and checkpoints see pruned weights.
    const summary = await mine.run(config, data, report, emit, {
      ...(framework ? { loss: framework.loss } : {}),
      hooks: [runPruning.hook, ...(framework?.hooks ?? []), checkpoints],
      resume: resume ?? undefined,
    });
    await clearCheckpoint().catch(() => undefined);
    return summary;
  } catch (error) {
    // A lost device often shows first as a failed buffer mapping; give its `lost` promise a moment.
    const lost = device ? await Promise.race([device.lost, new Promise<null>((r) => setTimeout(() => r(null), 1000))]) : null;
    if (lost || error instanceof DeviceLostError) {
      const reason = error instanceof DeviceLostError ? error.message : `the GPU device was lost (${lost?.reason === 'destroyed' ? 'destroyed' : 'driver or browser reset'})`;
      throw new Error(`The run stopped: ${reason}. The curves so far are kept; press Start to train again on a new device.`);
    }
    throw error instanceof Error ? new Error(error.message) : new Error(String(error));
  } finally {
    lastModel = mine.model;
    compression.model = lastModel;
    if (trainer === mine) {
      trainer = null;
      pruning?.dispose();
      pruning = null;
    }
    await delivered;
  }
}

const api = {
  train(config: ExperimentConfig, onEvent: (event: TrainEvent) => void): Promise<RunSummary> {
    stopPending = false;
    return runTraining(config, onEvent, null);
  },
  async resumeSaved(onEvent: (event: TrainEvent) => void): Promise<RunSummary> {
    stopPending = false;
    const checkpoint = await loadCheckpoint();
    if (!checkpoint) throw new Error('There is no saved run in this browser to resume (it may have finished, or been discarded).');
    return runTraining(checkpoint.config, onEvent, checkpoint);
  },
  async savedRun(): Promise<SavedRunInfo | null> {
    try {
      const checkpoint = await loadCheckpoint();
      return checkpoint ? savedRunInfo(checkpoint) : null;
    } catch {
      return null;
    }
  },
  discardSavedRun: () => clearCheckpoint().catch(() => undefined),
  updateRunContext: (intensity: number | null, energyWh: number) => {
    runContext.intensity = intensity;
    runContext.energyWh = energyWh;
  },
  pause: () => trainer?.pause(),
  resume: () => trainer?.resume(),
  stop: () => {
    // A stop that arrives while a run is still starting (loading a checkpoint, say) applies to it.
    if (trainer) trainer.stop();
    else stopPending = true;
  },
  async benchmark(config: ExperimentConfig, backend: BackendChoice, steps: number, rounds: number): Promise<BenchmarkResult> {
    const report = await startBackend(backend, config.model.kind, { config, data: () => loadData(config, base), fresh: true });
    if (backend !== 'auto' && report.backend !== backend) throw new Error(`${backend} is not available here: ${report.explanation}`);
    const data = await loadData(config, base);
    return benchmarkBackend(config, data, report, steps, rounds);
  },
  raisePruningTarget: (sparsity: number) => pruning?.raiseTarget(sparsity),
  pruneOneShot: (sparsity: number, fineTuneEpochs: number) => oneShot(compression, sparsity, fineTuneEpochs),
  distill: (request: DistillRequest) => distillStudent(compression, request),
  async exportModel(request: ExportRequest): Promise<CompressionOutcome> {
    const outcome = await exportForDownload(compression, request);
    return Comlink.transfer(outcome, [outcome.zip]);
  },
  importModel: (zip: ArrayBuffer) => importZip(compression, new Uint8Array(zip)),
  benchmarkDeployment(request: DeploymentRequest) {
    if (trainer) return Promise.reject(new Error('A run is in progress: benchmark the model when it has finished.'));
    if (!lastModel) return Promise.reject(new Error('There is no trained model yet: train one first.'));
    return benchmarkDeployment(lastModel, compression.data?.test ?? null, request);
  },
  loseGpuDeviceForTest: () => {
    gpuDevice?.destroy();
  },
} satisfies LabWorkerApi;

tf.enableProdMode();
Comlink.expose(api);
