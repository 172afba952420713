/**
 * The one place the page talks to the training worker. Starts the worker lazily and offers one
 * typed method per worker call. Every call that answers settles even if the worker is thrown away
 * (Comlink never settles calls to a terminated worker): `terminate` rejects each pending call
 * with a `WorkerResetError`. Every such call takes an optional AbortSignal: aborting rejects the
 * call on the page at once with an `AbortError`; for `train` and `resumeSaved` it also stops the
 * run after its current step. The worker finishes any other aborted call on its own and its answer
 * is dropped.
 */
import * as Comlink from 'comlink';
import type { BenchmarkResult, CompressionOutcome, DistillOutcome, DistillRequest, ExportRequest, ImportedModel, LabWorkerApi, OneShotOutcome } from '../../workers/contract';
import type { PredictRequest, Prediction, TestExample } from '../../workers/contract';
import type { BackendChoice, ExperimentConfig } from '../core/config/schema';
import type { DeploymentMeasurement, DeploymentRequest } from '../core/deploy';
import type { SavedRunEntry } from '../core/train/checkpoint-log';
import type { RunSummary, TrainEvent } from '../core/train/types';
import type { GramsCO2PerKWh, WattHours } from '../core/units';
import type { InspectRequest, InspectSnapshot } from '../../workers/contract';
import type { OwnDataFiles } from '../../workers/contract';
import type { OwnDataPreview, OwnDataSettings } from '../core/data/own';

/** The rejection of every call pending when the worker was reset. */
export class WorkerResetError extends Error {
  constructor() {
    super('The training worker was reset.');
    this.name = 'WorkerResetError';
  }
}

/** Whether an error only says that a call was reset or aborted (nothing to show the user). */
export function isCancellation(error: unknown): boolean {
  return error instanceof WorkerResetError || (error instanceof DOMException && error.name === 'AbortError');
}

type Tripwire = { promise: Promise<never>; reject: (e: Error) => void };

function tripwire(): Tripwire {
  let reject: (e: Error) => void = () => undefined;
  const promise = new Promise<never>((_, r) => {
    reject = r;
  });
  promise.catch(() => undefined);
  return { promise, reject };
}

function abortError(): DOMException {
  return new DOMException('The call was cancelled.', 'AbortError');
}

export class WorkerBridge {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<LabWorkerApi> | null = null;
  /** Rejects when the worker is terminated. */
  private terminated: Tripwire = tripwire();

  /** The worker's API, starting the worker on first use. */
  private api(): Comlink.Remote<LabWorkerApi> {
    if (!this.remote) {
      this.worker = new Worker(new URL('../../workers/lab.worker.ts', import.meta.url), { type: 'module', name: 'lab-trainer' });
      this.remote = Comlink.wrap<LabWorkerApi>(this.worker);
    }
    return this.remote;
  }

  /**
   * A call that settles when the worker answers, when it is terminated, or when `signal` aborts
   * (then `onAbort` runs first, with the same worker).
   */
  private call<T>(invoke: (api: Comlink.Remote<LabWorkerApi>) => Promise<T>, signal?: AbortSignal, onAbort?: (api: Comlink.Remote<LabWorkerApi>) => void): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError());
    const api = this.api();
    const racers: Promise<T>[] = [invoke(api), this.terminated.promise];
    if (signal) {
      racers.push(
        new Promise<never>((_, reject) => {
          signal.addEventListener(
            'abort',
            () => {
              onAbort?.(api);
              reject(abortError());
            },
            { once: true },
          );
        }),
      );
    }
    return Promise.race(racers);
  }

  /** A message that needs no answer; sent only to a worker that exists. */
  private tell(send: (api: Comlink.Remote<LabWorkerApi>) => Promise<unknown>): void {
    if (this.remote) void send(this.remote).catch(() => undefined);
  }

  /**
   * Trains a config. Aborting the signal stops the run after its current step; the call then
   * still resolves with the stopped run's summary (the abort does not reject it).
   */
  train(config: ExperimentConfig, onEvent: (e: TrainEvent) => void, runId: string, signal?: AbortSignal): Promise<RunSummary> {
    const api = this.api();
    signal?.addEventListener('abort', () => void api.stop(), { once: true });
    return this.call((w) => w.train(plainCopy(config), Comlink.proxy(onEvent), runId));
  }

  /** Continues a run saved in this browser; aborting the signal stops it, as for `train`. */
  resumeSaved(runId: string, onEvent: (e: TrainEvent) => void, signal?: AbortSignal): Promise<RunSummary> {
    const api = this.api();
    signal?.addEventListener('abort', () => void api.stop(), { once: true });
    return this.call((w) => w.resumeSaved(runId, Comlink.proxy(onEvent)));
  }

  savedRuns(signal?: AbortSignal): Promise<SavedRunEntry[]> {
    return this.call((w) => w.savedRuns(), signal);
  }

  discardSavedRun(runId: string, signal?: AbortSignal): Promise<void> {
    return this.call((w) => w.discardSavedRun(runId), signal);
  }

  savedSchedule(runId: string): Promise<unknown> {
    return this.call((w) => w.savedSchedule(runId));
  }

  /** Stores a run's schedule state beside its checkpoint; no answer is awaited. */
  saveScheduleState(runId: string, state: unknown): void {
    this.tell((w) => w.saveScheduleState(runId, plainCopy(state)));
  }

  updateRunContext(intensity: GramsCO2PerKWh | null, energy: WattHours): void {
    this.tell((w) => w.updateRunContext(intensity, energy));
  }

  pause(): void {
    this.tell((w) => w.pause());
  }

  resume(): void {
    this.tell((w) => w.resume());
  }

  stop(): void {
    this.tell((w) => w.stop());
  }

  raisePruningTarget(sparsity: number): void {
    this.tell((w) => w.raisePruningTarget(sparsity));
  }

  benchmark(config: ExperimentConfig, backend: BackendChoice, steps: number, rounds: number, signal?: AbortSignal): Promise<BenchmarkResult> {
    return this.call((w) => w.benchmark(plainCopy(config), backend, steps, rounds), signal);
  }

  pruneOneShot(sparsity: number, fineTuneEpochs: number, signal?: AbortSignal): Promise<OneShotOutcome> {
    return this.call((w) => w.pruneOneShot(sparsity, fineTuneEpochs), signal);
  }

  distill(request: DistillRequest, signal?: AbortSignal): Promise<DistillOutcome> {
    return this.call((w) => w.distill(plainCopy(request)), signal);
  }

  exportModel(request: ExportRequest, signal?: AbortSignal): Promise<CompressionOutcome> {
    return this.call((w) => w.exportModel(plainCopy(request)), signal);
  }

  /** Loads an exported zip back; the buffer is transferred (it is empty here afterwards). */
  importModel(zip: ArrayBuffer, signal?: AbortSignal): Promise<ImportedModel> {
    return this.call((w) => w.importModel(Comlink.transfer(zip, [zip])), signal);
  }

  benchmarkDeployment(request: DeploymentRequest, signal?: AbortSignal): Promise<DeploymentMeasurement> {
    return this.call((w) => w.benchmarkDeployment(plainCopy(request)), signal);
  }

  /** One inference for the Try panel; the input is copied (the page keeps it), as is the export zip. */
  predict(request: PredictRequest, signal?: AbortSignal): Promise<Prediction> {
    const { input, exportZip, model } = request;
    const device = request.device ? plainCopy(request.device) : null;
    return this.call((w) => w.predict({ input, model, device, ...(exportZip ? { exportZip } : {}) }), signal);
  }

  testExample(index: number, signal?: AbortSignal): Promise<TestExample> {
    return this.call((w) => w.testExample(index), signal);
  }

  /** Hands own data to the worker to parse and keep (issue 15); the buffers are transferred. */
  loadOwnData(request: OwnDataFiles, signal?: AbortSignal): Promise<OwnDataPreview> {
    const buffers = request.files.map((f) => f.bytes);
    return this.call((w) => w.loadOwnData(Comlink.transfer({ ...request, settings: plainCopy(request.settings), expected: plainCopy(request.expected) }, buffers)), signal);
  }

  storedOwnData(fingerprint: string, settings: OwnDataSettings, signal?: AbortSignal): Promise<OwnDataPreview | null> {
    return this.call((w) => w.storedOwnData(fingerprint, plainCopy(settings)), signal);
  }

  loseGpuDeviceForTest(): void {
    this.tell((w) => w.loseGpuDeviceForTest());
  }

  /** A snapshot of the current model for the inspect views (null before a model exists); its buffers arrive transferred. */
  inspect(request: InspectRequest, signal?: AbortSignal): Promise<InspectSnapshot | null> {
    return this.call((w) => w.inspect(plainCopy(request)), signal);
  }

  /**
   * Ends the worker and everything in it (model, GPU buffers) and rejects every pending call with
   * a WorkerResetError. The next call starts a new worker.
   */
  terminate(): void {
    this.worker?.terminate();
    this.terminated.reject(new WorkerResetError());
    this.terminated = tripwire();
    this.worker = null;
    this.remote = null;
  }
}

/** A plain deep copy: Svelte state proxies cannot be structured-cloned into a worker. */
function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
