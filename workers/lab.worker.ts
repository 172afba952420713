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
import { clearCheckpoint, InvalidCheckpointError, loadCheckpoint, saveCheckpoint } from './checkpoint-store';
import { savedRunInfo, type RunCheckpoint, type SavedRunInfo } from '../src/core/train/checkpoint';
import { benchmarkDeployment } from './deploy';
import type { DeploymentRequest } from '../src/core/deploy';
import type { GramsCO2PerKWh, WattHours } from '../src/core/units';
import { distillStudent, exportForDownload, importZip, oneShot, RunPruning, type CompressionState } from './compress-lab';
import { modelSnapshot, snapshotBuffers } from './inspect';
import type { InspectRequest, InspectSnapshot } from './contract';
import { ExportedModel, predictOne, testExample } from './predict';
import type { PredictRequest, TestExample } from './contract';
import { loadOwnFiles, storedOwnData } from './own-data';
import type { OwnDataFiles } from './contract';
import type { OwnDataSettings } from '../src/core/data/own';

const base = new URL(import.meta.env.BASE_URL, self.location.origin).href;

/** Everything the worker keeps between calls: one object, so a reader sees the whole of it. */
interface LabSession {
  /** The run in progress, or null. */
  trainer: Trainer | null;
  /** A stop that arrived before its run's trainer existed (while loading a checkpoint, say). */
  stopPending: boolean;
  /** The grid intensity and energy so far, as the page last reported them (the framework reads them). */
  runContext: RunContext;
  /** The last run's config, data, trained model and distilled student, for the compression calls. */
  readonly compression: CompressionState;
  /** Pruning during the run in progress. */
  pruning: RunPruning | null;
}

const session: LabSession = {
  trainer: null,
  stopPending: false,
  runContext: { intensity: null, energyWh: 0 },
  compression: { config: null, data: null, model: null, student: null },
  pruning: null,
};

/** Starts watching a GPU device: when it is lost, the current run stops with a message. */
function watchDevice(device: GPUDevice): void {
  void device.lost.then((info) => {
    forgetGpuDevice();
    session.trainer?.deviceLost(`the GPU device was lost (${info.reason === 'destroyed' ? 'destroyed' : 'driver or browser reset'}${info.message ? `: ${info.message}` : ''})`);
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
  session.trainer?.stop();
  // One trained model is kept for evaluation and export; a new run replaces it.
  const { compression } = session;
  compression.model?.dispose();
  compression.student?.dispose();
  Object.assign(compression, { config: null, data: null, model: null, student: null });
  const mine = new Trainer();
  session.trainer = mine;
  if (session.stopPending) mine.stop();
  session.stopPending = false;
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
    session.runContext = { intensity: null, energyWh: 0 };
    const framework =
      config.objective.framework === 'on'
        ? frameworkOptions(config, summarised, session.runContext, (entry) => emit({ type: 'log', entry }), resume?.hidden ?? null)
        : null;
    session.pruning?.dispose();
    const runPruning = new RunPruning(config, summarised.trainExamples, emit);
    if (resume) runPruning.resumed();
    session.pruning = runPruning;
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
    compression.model = mine.model;
    if (session.trainer === mine) {
      session.trainer = null;
      session.pruning?.dispose();
      session.pruning = null;
    }
    await delivered;
  }
}

/** The export the Try panel runs, loaded from the zip the page sends. */
const tryExport = new ExportedModel();

/** The Try panel's inference: the trained model or the export, never during a run. */
async function predictForTry(request: PredictRequest) {
  const { trainer, compression } = session;
  if (trainer) throw new Error('A run is in progress: try the model when it has finished.');
  if (!compression.model) throw new Error('There is no trained model yet: train one first, then try it here.');
  if (request.model === 'export' && !request.exportZip) throw new Error('There is no export yet: evaluate the export in the Compression panel first, or try the trained model.');
  const model = request.model === 'export' && request.exportZip ? await tryExport.of(request.exportZip) : compression.model;
  return predictOne(model, request);
}

const api = {
  train(config: ExperimentConfig, onEvent: (event: TrainEvent) => void): Promise<RunSummary> {
    session.stopPending = false;
    return runTraining(config, onEvent, null);
  },
  async resumeSaved(onEvent: (event: TrainEvent) => void): Promise<RunSummary> {
    session.stopPending = false;
    const checkpoint = await loadCheckpoint();
    if (!checkpoint) throw new Error('There is no saved run in this browser to resume (it may have finished, or been discarded).');
    return runTraining(checkpoint.config, onEvent, checkpoint);
  },
  async savedRun(): Promise<SavedRunInfo | null> {
    try {
      const checkpoint = await loadCheckpoint();
      return checkpoint ? savedRunInfo(checkpoint) : null;
    } catch (error) {
      // A checkpoint with a bad config is named to the user; a browser without storage has none.
      if (error instanceof InvalidCheckpointError) throw new Error(error.message);
      return null;
    }
  },
  discardSavedRun: () => clearCheckpoint().catch(() => undefined),
  updateRunContext: (intensity: GramsCO2PerKWh | null, energy: WattHours) => {
    session.runContext.intensity = intensity;
    session.runContext.energyWh = energy;
  },
  pause: () => session.trainer?.pause(),
  resume: () => session.trainer?.resume(),
  stop: () => {
    // A stop that arrives while a run is still starting (loading a checkpoint, say) applies to it.
    if (session.trainer) session.trainer.stop();
    else session.stopPending = true;
  },
  async benchmark(config: ExperimentConfig, backend: BackendChoice, steps: number, rounds: number): Promise<BenchmarkResult> {
    const report = await startBackend(backend, config.model.kind, { config, data: () => loadData(config, base), fresh: true });
    if (backend !== 'auto' && report.backend !== backend) throw new Error(`${backend} is not available here: ${report.explanation}`);
    const data = await loadData(config, base);
    return benchmarkBackend(config, data, report, steps, rounds);
  },
  raisePruningTarget: (sparsity: number) => session.pruning?.raiseTarget(sparsity),
  pruneOneShot: (sparsity: number, fineTuneEpochs: number) => oneShot(session.compression, sparsity, fineTuneEpochs),
  distill: (request: DistillRequest) => distillStudent(session.compression, request),
  async exportModel(request: ExportRequest): Promise<CompressionOutcome> {
    const outcome = await exportForDownload(session.compression, request);
    return Comlink.transfer(outcome, [outcome.zip]);
  },
  importModel: (zip: ArrayBuffer) => importZip(session.compression, new Uint8Array(zip)),
  benchmarkDeployment(request: DeploymentRequest) {
    const { trainer, compression } = session;
    if (trainer) return Promise.reject(new Error('A run is in progress: benchmark the model when it has finished.'));
    if (!compression.model) return Promise.reject(new Error('There is no trained model yet: train one first.'));
    return benchmarkDeployment(compression.model, compression.data?.test ?? null, request);
  },
  predict: (request: PredictRequest) => predictForTry(request),
  async testExample(index: number): Promise<TestExample> {
    const data = session.compression.data;
    if (!data || session.trainer) throw new Error('There is no finished run to take a test example from: train one first.');
    const example = testExample(data.test, index);
    return Comlink.transfer(example, [example.input]);
  },
  loadOwnData: (request: OwnDataFiles) => loadOwnFiles({ ...request, files: request.files.map((f) => ({ path: f.path, bytes: new Uint8Array(f.bytes) })) }),
  storedOwnData: async (fingerprint: string, settings: OwnDataSettings) => (await storedOwnData(fingerprint, settings))?.preview ?? null,
  loseGpuDeviceForTest: () => {
    gpuDevice?.destroy();
  },
  async inspect(request: InspectRequest): Promise<InspectSnapshot | null> {
    // The running model (a hook may have replaced it), else the last run's. Masks are applied
    // after every step before the loop yields, so pruned weights read as zero here (on webgpu,
    // while a mask update reads the kernels back, a weight may still show one step's regrowth).
    const model = session.trainer?.model ?? session.compression.model;
    const data = session.compression.data;
    if (!model || !data) return null;
    const snapshot = await modelSnapshot(model, data, request);
    return Comlink.transfer(snapshot, snapshotBuffers(snapshot));
  },
} satisfies LabWorkerApi;

tf.enableProdMode();
Comlink.expose(api);
