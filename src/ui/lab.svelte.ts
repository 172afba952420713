/**
 * The lab's state: the experiment config, the run and its curves. Components render it and call
 * its methods; only this class talks to the worker bridge.
 */
import { parseLink, serialiseLink } from '../core/config/link';
import { defaultConfig, type BackendChoice, type ConfigIssue, type ExperimentConfig } from '../core/config/schema';
import type { BenchmarkResult } from '../../workers/contract';
import type { SavedRunInfo } from '../core/train/checkpoint';
import { buildResult, type LabResult, type ScheduleSection } from '../core/result';
import type { BackendReport, DataSummary, EpochRecord, ProgressUpdate, RunPhase, RunSummary, TrainEvent, TrainingChange } from '../core/train/types';
import { runWatts } from '../core/energy/power';
import { seconds } from '../core/units';
import { isCancellation, WorkerBridge } from './bridge';
import { Footprint } from './footprint.svelte';
import { Compression } from './compression.svelte';
import { Deployment } from './deployment.svelte';
import { DEFAULT_WATTS, ScheduleSession } from './schedule.svelte';
import { Sweep } from './sweep.svelte';
import { TraceShelf } from './traces.svelte';
import { Inspect } from './inspect.svelte';
import { TryModel } from './try.svelte';
import { OwnData } from './owndata.svelte';

/** Where the page is, without its hash; bundled traces are fetched beside it. */
export type PageAddress = () => string;

export class Lab {
  config = $state<ExperimentConfig>(defaultConfig());
  /** Problems found in the link the lab was opened with (or last navigated to). */
  linkIssues = $state.raw<readonly ConfigIssue[]>([]);
  phase = $state<RunPhase>('idle');
  message = $state('Ready. Press Start to train.');
  error = $state<string | null>(null);
  backend = $state.raw<BackendReport | null>(null);
  data = $state.raw<DataSummary | null>(null);
  progress = $state.raw<ProgressUpdate | null>(null);
  epochs = $state.raw<readonly EpochRecord[]>([]);
  /** Changes of batch size or learning rate during the run, in order (the framework makes them). */
  changes = $state.raw<readonly TrainingChange[]>([]);
  summary = $state.raw<RunSummary | null>(null);
  /** The config of the run shown, fixed when it started. */
  runConfig = $state.raw<ExperimentConfig | null>(null);
  /** Bumped whenever `losses` grows; charts watch it instead of copying the array. */
  lossVersion = $state(0);
  /** Training loss per step. Mutated in place; read it after reading `lossVersion`. */
  readonly losses: number[] = [];

  readonly running = $derived(this.phase === 'loading' || this.phase === 'training' || this.phase === 'paused' || this.phase === 'evaluating');
  readonly link = $derived(serialiseLink(this.config));

  private readonly bridge = new WorkerBridge();

  /** The page's trace library and its upload. */
  readonly traces: TraceShelf;
  /** Energy and carbon of the run: profile, intensity source, live counters and report. */
  readonly footprint: Footprint;
  /** The schedule the run trains under (simulated or live), when the config has one. */
  readonly schedule: ScheduleSession;
  /** The Pareto explorer's sweep: it trains configurations through this lab without touching `config`. */
  readonly sweep: Sweep;

  /**
   * @param pageAddress the page's address without its hash (the address bar); the default suits a
   *   page with no `location` (tests, scripts).
   */
  readonly pageAddress: PageAddress;

  constructor(pageAddress: PageAddress = () => (typeof location === 'undefined' ? 'http://localhost/' : (location.href.split('#')[0] ?? ''))) {
    this.pageAddress = pageAddress;
    this.traces = new TraceShelf((url) => fetch(url), pageAddress);
    this.footprint = new Footprint(this.traces);
    this.schedule = new ScheduleSession(this.traces);
    this.sweep = new Sweep(this, pageAddress);
  }

  /** Your own data (issue 15): tables and images read in the worker, kept in this browser. */
  readonly ownData = new OwnData(this.bridge, () => this.config);
  /** Pruning, distillation, the energy budget's rule, the export and its report. */
  readonly compression = new Compression({
    worker: this.bridge,
    stopRun: () => this.stop(),
    device: () => {
      const chosen = this.footprint.chosen;
      const backend = this.backend?.backend;
      return chosen && backend ? { profile: chosen.profile, pue: this.runConfig?.energy.pue ?? 1, backend } : null;
    },
    numClasses: () => this.data?.numClasses ?? 10,
  });
  /** The deployment benchmark of the trained model and its recommendation (issue 7). */
  readonly deployment = new Deployment({
    worker: this.bridge,
    device: () => {
      const p = this.footprint.chosen?.profile;
      return p ? { profile: p, pue: this.runConfig?.energy.pue ?? 1, label: `${p.gpu.label}; ${p.cpu.label}; ${p.ram.label}, ${p.memoryGB} GB` } : null;
    },
  });
  /** Snapshots of the model for the views of what the network learns (issue 13). */
  readonly inspect = new Inspect({ worker: this.bridge, runConfig: () => this.runConfig, phase: () => this.phase });
  /** The Try panel: the trained model (or its export) on one input, with its time and energy (issue 15). */
  readonly trial = new TryModel({
    worker: this.bridge,
    run: () => (this.summary && this.runConfig && this.data && !this.running ? { summary: this.summary, config: this.runConfig, data: this.data } : null),
    device: () => (this.footprint.chosen ? { profile: this.footprint.chosen.profile, pue: this.runConfig?.energy.pue ?? 1 } : null),
    exported: () => {
      const e = this.compression.exported;
      const zip = this.compression.zipBytes;
      return e && zip ? { zip, label: `${e.which === 'student' ? 'distilled student' : 'trained model'}, ${e.sizes.precision}` } : null;
    },
  });
  private abort: AbortController | null = null;

  /** Loads a config from a link's hash; every bad field is listed in `linkIssues`. */
  openLink(hash: string): void {
    const { config, issues } = parseLink(hash);
    this.config = config;
    this.linkIssues = issues;
  }

  dismissLinkIssues(): void {
    this.linkIssues = [];
  }

  /** The result file of the last run, or null while there is none. */
  result(pageUrl: string = this.pageAddress(), schedule: ScheduleSection | null = this.schedule.resultSection()): LabResult | null {
    // A timestamp for the file, not reactive state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    return this.summary && this.runConfig ? buildResult(this.runConfig, this.summary, pageUrl, new Date(), this.footprint.report, schedule, this.compression.section(), this.deployment.section()) : null;
  }

  /**
   * Starts the experiment, under its schedule when it has one; resolves when the run has ended
   * (with its summary, or null if it failed or could not start).
   */
  run(): Promise<RunSummary | null> {
    if (this.config.schedule.mode !== 'off') return this.schedule.begin(this, () => this.meanWatts());
    this.schedule.clear();
    return this.start();
  }

  /** Mean power of the run so far from its energy estimate, for booking energy at simulated hours. */
  private meanWatts() {
    return runWatts(this.footprint.live?.wh ?? null, seconds(this.progress?.trainingSeconds ?? 0), DEFAULT_WATTS);
  }

  /**
   * Starts a run at once (no schedule) and resolves once it has ended and its energy and carbon
   * report is built.
   * @param options.continueSaved continue the run saved in this browser instead.
   * @param options.config train this config instead of `config`, which (and so the address bar) stays as it is.
   */
  async start(options: { continueSaved?: boolean; config?: ExperimentConfig } = {}): Promise<RunSummary | null> {
    if (this.running) return null;
    const saved = options.continueSaved ? this.savedRun : null;
    if (options.continueSaved && !saved) return null;
    this.clearRun();
    this.savedRun = null;
    if (saved) {
      // The saved run's settings become the lab's (and the address bar's) again.
      this.config = structuredClone(saved.config);
      this.linkIssues = [];
    }
    const config = options.config ? structuredClone(options.config) : $state.snapshot(this.config);
    // A reset while this run is in flight makes it stale: it then leaves the lab's state alone.
    const generation = ++this.generation;
    const stale = () => generation !== this.generation;
    this.runConfig = config;
    const pageBase = this.pageAddress();
    this.footprint.startRun(config, this.schedule.traceName(config.schedule));
    this.phase = 'loading';
    this.message = saved ? `Continuing the saved run from step ${saved.stepsDone} of ${saved.totalSteps}…` : 'Starting the training worker…';
    this.abort = new AbortController();
    try {
      // Events already on their way when Reset terminated the worker belong to the old run: dropped.
      const onEvent = (e: TrainEvent) => {
        if (!stale()) this.onEvent(e);
      };
      const summary = saved ? await this.bridge.resumeSaved(onEvent, this.abort.signal) : await this.bridge.train(config, onEvent, this.abort.signal);
      if (stale()) return null;
      await this.footprint.endRun();
      if (stale()) return null;
      this.summary = summary;
      this.abort = null;
      this.phase = 'evaluating';
      this.message = 'Compressing and evaluating the model…';
      await this.compression.afterRun(config, () => this.result(pageBase));
      if (stale()) return null;
      this.phase = summary.outcome;
      const acc = summary.metrics.testAccuracy;
      this.message =
        summary.outcome === 'finished'
          ? `Finished: ${(acc * 100).toFixed(1)}% test accuracy after ${summary.metrics.epochs} epochs on ${summary.backend.backend}.`
          : `Stopped after ${summary.metrics.steps} steps${Number.isFinite(acc) ? `; test accuracy so far ${(acc * 100).toFixed(1)}%` : ''}.`;
      return summary;
    } catch (error) {
      if (stale() || isCancellation(error)) return null;
      await this.footprint.endRun();
      this.phase = 'failed';
      this.error = error instanceof Error ? error.message : String(error);
      this.message = 'The run failed.';
      // A run that failed after a checkpoint (a lost GPU, say) can be continued from it.
      await this.checkSavedRun();
      return null;
    } finally {
      if (!stale()) this.abort = null;
    }
  }

  private generation = 0;

  /** A run saved in this browser by a tab that closed, reloaded or crashed mid-run. */
  savedRun = $state.raw<SavedRunInfo | null>(null);

  /** Asks the worker whether a saved run is waiting to be continued. */
  async checkSavedRun(): Promise<void> {
    try {
      this.savedRun = await this.bridge.savedRun();
    } catch (error) {
      // A saved run whose settings fail the config schema: named, and not offered.
      if (isCancellation(error)) return;
      this.savedRun = null;
      if (!this.running) this.error = error instanceof Error ? error.message : String(error);
    }
  }

  /** Continues the saved run from its checkpoint. */
  continueSavedRun(): Promise<RunSummary | null> {
    return this.start({ continueSaved: true });
  }

  async discardSavedRun(): Promise<void> {
    await this.bridge.discardSavedRun();
    this.savedRun = null;
  }

  /** Changes the energy settings; a finished run's report is recomputed with them at once. */
  setEnergy(energy: Partial<ExperimentConfig['energy']>): void {
    this.config.energy = { ...this.config.energy, ...energy };
    if (!this.running) this.footprint.applyEnergySettings($state.snapshot(this.config.energy));
  }

  pause(): void {
    if (this.phase === 'training' || this.phase === 'evaluating') {
      this.bridge.pause();
      this.message = 'Pausing after the current step…';
    }
  }

  resume(): void {
    if (this.phase === 'paused') this.bridge.resume();
  }

  stop(): void {
    this.abort?.abort();
    // Sent every time, not only on the first abort: a second Stop must not be lost.
    if (this.running) this.bridge.stop();
    this.message = 'Stopping after the current step…';
  }

  /**
   * Throws the worker away (with its model and GPU memory), rejects every call in flight, clears
   * every busy state (compression, deployment benchmark, sweep, import) and the run. The config stays.
   */
  reset(): void {
    this.generation++;
    this.abort = null;
    this.sweep.abandon();
    this.compression.cancel();
    this.deployment.cancel();
    this.bridge.terminate();
    // Reset means this run is over: a reload must not offer to continue it.
    void this.bridge.discardSavedRun().catch(() => undefined);
    this.savedRun = null;
    this.footprint.abandonRun();
    this.schedule.clear();
    this.clearRun();
    this.runConfig = null;
    this.backend = null;
    this.phase = 'idle';
    this.message = 'Reset. Press Start to train.';
  }

  /** Times the lab's loop against plain model.fit on one backend with the current settings. */
  benchmark(backend: BackendChoice, steps: number, rounds: number, signal?: AbortSignal): Promise<BenchmarkResult> {
    return this.bridge.benchmark($state.snapshot(this.config), backend, steps, rounds, signal);
  }

  /** Destroys the worker's GPU device, as a driver reset would (for tests of that path). */
  loseGpuDeviceForTest(): void {
    this.bridge.loseGpuDeviceForTest();
  }

  private clearRun(): void {
    this.compression.clear();
    this.deployment.clear();
    this.error = null;
    this.summary = null;
    this.progress = null;
    this.epochs = [];
    this.changes = [];
    this.data = null;
    this.losses.length = 0;
    this.lossVersion++;
  }

  private onEvent(e: TrainEvent): void {
    switch (e.type) {
      case 'phase':
        this.phase = e.phase;
        this.message = e.message;
        break;
      case 'backend':
        this.backend = e.report;
        this.footprint.onBackend(e.report);
        break;
      case 'data':
        this.data = e.data;
        break;
      case 'progress':
        this.progress = e.progress;
        this.losses.push(...e.progress.losses);
        this.lossVersion++;
        this.footprint.onProgress(e.progress);
        if (this.runConfig && this.footprint.live) this.compression.checkBudget(this.runConfig, this.footprint.live.wh, e.progress.stepsDone);
        // The framework's controller reads the grid and the energy at epoch boundaries.
        if (this.runConfig?.objective.framework === 'on' && this.footprint.live) {
          this.bridge.updateRunContext(this.footprint.live.intensity, this.footprint.live.wh);
        }
        break;
      case 'pruning':
        this.compression.onPruning(e.update);
        break;
      case 'log':
        this.compression.log(e.entry);
        break;
      case 'epoch':
        this.epochs = [...this.epochs, e.record];
        break;
      case 'change':
        this.changes = [...this.changes, e.change];
        break;
    }
  }
}
