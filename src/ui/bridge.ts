/**
 * The one place the page talks to the training worker. Starts the worker lazily, turns an
 * AbortSignal into a stop message, and can throw the worker away (reset).
 */
import * as Comlink from 'comlink';
import type { LabWorkerApi } from '../../workers/contract';
import type { ExperimentConfig } from '../core/config/schema';
import type { RunSummary, TrainEvent } from '../core/train/types';

export class WorkerBridge {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<LabWorkerApi> | null = null;
  /** Rejects when the worker is terminated: Comlink never settles calls to a terminated worker. */
  private terminated: { promise: Promise<never>; reject: (e: Error) => void } = WorkerBridge.tripwire();

  private static tripwire(): { promise: Promise<never>; reject: (e: Error) => void } {
    let reject: (e: Error) => void = () => undefined;
    const promise = new Promise<never>((_, r) => {
      reject = r;
    });
    promise.catch(() => undefined);
    return { promise, reject };
  }

  /** A call that settles even if the worker is terminated (reset) while it runs. */
  private guarded<T>(call: Promise<T>): Promise<T> {
    return Promise.race([call, this.terminated.promise]);
  }

  /** The worker's API, starting the worker on first use. */
  get api(): Comlink.Remote<LabWorkerApi> {
    if (!this.remote) {
      this.worker = new Worker(new URL('../../workers/lab.worker.ts', import.meta.url), { type: 'module', name: 'lab-trainer' });
      this.remote = Comlink.wrap<LabWorkerApi>(this.worker);
    }
    return this.remote;
  }

  /** Trains a config; aborting the signal stops the run after its current step. */
  train(config: ExperimentConfig, onEvent: (e: TrainEvent) => void, signal: AbortSignal): Promise<RunSummary> {
    const api = this.api;
    signal.addEventListener('abort', () => void api.stop(), { once: true });
    return this.guarded(api.train(plainCopy(config), Comlink.proxy(onEvent)));
  }

  /** Continues the run saved in this browser; aborting the signal stops it. */
  resumeSaved(onEvent: (e: TrainEvent) => void, signal: AbortSignal): Promise<RunSummary> {
    const api = this.api;
    signal.addEventListener('abort', () => void api.stop(), { once: true });
    return this.guarded(api.resumeSaved(Comlink.proxy(onEvent)));
  }

  /** Ends the worker and everything in it (model, GPU buffers). The next call starts a new one. */
  terminate(): void {
    this.worker?.terminate();
    this.terminated.reject(new Error('The training worker was reset.'));
    this.terminated = WorkerBridge.tripwire();
    this.worker = null;
    this.remote = null;
  }
}

/** A plain deep copy: Svelte state proxies cannot be structured-cloned into a worker. */
function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
