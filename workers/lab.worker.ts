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
import { CheckpointLog, deleteRun, listRuns, loadRun, loadScheduleState, noteUnsaved, runLockName, saveScheduleState } from './checkpoint-store';
import type { RunCheckpoint } from '../src/core/train/checkpoint';
import type { SavedRunEntry } from '../src/core/train/checkpoint-log';
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
 * Runs `act` holding the run's Web Lock, so no other tab offers or continues the run meanwhile;
 * the browser releases it when the run ends or the tab closes or crashes. Rejects at once when
 * another tab holds it.
 */
function withRunLock<T>(runId: string, act: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return act();
  return locks.request(runLockName(runId), { ifAvailable: true }, (lock) => {
    if (!lock) throw new Error('Another tab is training this run now; it stays there. Press Start to train a run of your own.');
    return act();
  });
}

/** The checkpoint hook of a run: writes to its log, and says once (and notes) what a failed write did not save. */
function checkpointHook(log: CheckpointLog, emit: (event: TrainEvent) => void, savedStep: number): TrainHook {
  let warned = false;
  return {
    name: 'checkpoints',
    checkpoint: {
      save: async (checkpoint) => {
        try {
          await log.save(checkpoint);
          savedStep = checkpoint.stepsDone;
        } catch (error) {
          // Private windows and full disks refuse IndexedDB: training goes on, unsaved, and says so.
          const unsaved = `The steps after ${savedStep} were not saved in this browser (${(error as Error).message}).`;
          void noteUnsaved(log.runId, unsaved).catch(() => undefined);
          emit({ type: 'storage', unsaved, savedStep });
          if (!warned) emit({ type: 'phase', phase: checkpoint.paused ? 'paused' : 'training', message: `Progress could not be saved in this browser (${(error as Error).message}); a reload would lose the steps after ${savedStep}.` });
          warned = true;
        }
      },
    },
  };
}

/**
 * One run, new or continued from a checkpoint: the run is checkpointed to IndexedDB (its own
 * record, `log`) while it trains and when it pauses, and its record is deleted when the run ends.
 */
async function runTraining(config: ExperimentConfig, onEvent: (event: TrainEvent) => void, resume: RunCheckpoint | null, log: CheckpointLog): Promise<RunSummary> {
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
    if (resume?.paused) mine.pause();
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
    const checkpoints = checkpointHook(log, emit, resume?.stepsDone ?? 0);
    // In this order at each moment: masks first, so the framework and checkpoints see pruned weights.
    const summary = await mine.run(config, data, report, emit, {
      ...(framework ? { loss: framework.loss } : {}),
      hooks: [runPruning.hook, ...(framework?.hooks ?? []), checkpoints],
      resume: resume ?? undefined,
    });
    await deleteRun(log.runId).catch(() => undefined);
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
  train(config: ExperimentConfig, onEvent: (event: TrainEvent) => void, runId: string): Promise<RunSummary> {
    session.stopPending = false;
    return withRunLock(runId, () => runTraining(config, onEvent, null, new CheckpointLog(runId)));
  },
  resumeSaved(runId: string, onEvent: (event: TrainEvent) => void): Promise<RunSummary> {
    session.stopPending = false;
    return withRunLock(runId, async () => {
      const { checkpoint, log } = await loadRun(runId);
      return runTraining(checkpoint.config, onEvent, checkpoint, new CheckpointLog(runId, log));
    });
  },
  async savedRuns(): Promise<SavedRunEntry[]> {
    try {
      return await listRuns();
    } catch {
      // A browser without storage (a private window) has no saved runs.
      return [];
    }
  },
  discardSavedRun: (runId: string) => deleteRun(runId).catch(() => undefined),
  savedSchedule: (runId: string) => loadScheduleState(runId),
  saveScheduleState: (runId: string, state: unknown) => saveScheduleState(runId, state).catch(() => undefined),
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
