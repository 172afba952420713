/**
 * The lab's state: the experiment config, the run and its curves. Components render it and call
 * its methods; only this class talks to the worker bridge.
 */
import { parseLink, serialiseLink } from '../core/config/link';
import { defaultConfig, type BackendChoice, type ConfigIssue, type ExperimentConfig } from '../core/config/schema';
import type { BenchmarkResult } from '../../workers/contract';
import { appendAll, type SavedRunEntry } from '../core/train/checkpoint-log';
import { buildResult, type LabResult, type ScheduleSection } from '../core/result';
import type { BackendReport, DataSummary, EpochRecord, ProgressUpdate, RunPhase, RunSummary, TrainEvent, TrainingChange } from '../core/train/types';
import { runWatts } from '../core/energy/power';
import { seconds } from '../core/units';
import type { ResumedReplayClock } from '../core/carbon/providers/replay';
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
import type { RowEncoding } from '../core/tabular/encode';

/** What Start does with the saved runs waiting: discard them, keep them for later, or not start. */
export type StartChoice = 'discard' | 'keep' | 'cancel';

/** A fresh id for a run's saved record and Web Lock. */
function newRunId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `run-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * Lets the page run its other tasks (input, paint) before the next stretch of end-of-run work, so
 * no single main-thread task grows past 50 ms (issue 13).
 */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

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
  /** How the run's table encodes a row, kept from its start (the Try panel types rows with it); null when it trains on no table. */
  runTable = $state.raw<RowEncoding | null>(null);
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
  readonly inspect = new Inspect({
    worker: this.bridge,
    runConfig: () => this.runConfig,
    phase: () => this.phase,
    // A one-shot prune after the run changes the model the views show.
    modelVersion: () => this.compression.oneShotResult,
  });
  /** The Try panel: the trained model (or its export) on one input, with its time and energy (issue 15). */
  readonly trial = new TryModel({
    worker: this.bridge,
    run: () => (this.summary && this.runConfig && this.data && !this.running ? { summary: this.summary, config: this.runConfig, data: this.data } : null),
    device: () => (this.footprint.chosen ? { profile: this.footprint.chosen.profile, pue: this.runConfig?.energy.pue ?? 1 } : null),
    // A run started while the table was still being read takes its encoding once it is read.
    table: () => this.runTable ?? (this.runConfig ? this.tableOf(this.runConfig) : null),
    exported: () => {
      const e = this.compression.exported;
      const zip = this.compression.zipBytes;
      return e && zip ? { zip, label: `${e.which === 'student' ? 'distilled student' : 'trained model'}, ${e.sizes.precision}` } : null;
    },
  });
  private abort: AbortController | null = null;

  /**
   * How the table `config` trains on encodes a row: the loaded preview's encoding while it was
   * read with that file and those settings (the same file and settings give the same statistics).
   */
  private tableOf(config: ExperimentConfig): RowEncoding | null {
    return config.data.dataset === 'table' ? (this.ownData.previewOf(config)?.encoding ?? null) : null;
  }

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
    if (!this.running && this.savedRuns.length > 0) return this.askThenRun();
    if (this.config.schedule.mode !== 'off') return this.schedule.begin(this, () => this.meanWatts());
    this.schedule.clear();
    return this.start();
  }

  /**
   * Start while saved runs wait: the page asks (see `startQuestion`) whether to discard them or
   * keep them for later, or not to start at all, before anything is deleted.
   */
  private async askThenRun(): Promise<RunSummary | null> {
    this.startQuestion?.answer('cancel');
    const choice = await new Promise<StartChoice>((answer) => {
      this.startQuestion = { answer };
    });
    this.startQuestion = null;
    if (choice === 'cancel') return null;
    const waiting = this.savedRuns;
    this.savedRuns = [];
    if (choice === 'discard') await Promise.all(waiting.map((e) => this.bridge.discardSavedRun(e.runId).catch(() => undefined)));
    return this.run();
  }

  /** Mean power of the run so far from its energy estimate, for booking energy at simulated hours. */
  private meanWatts() {
    return runWatts(this.footprint.live?.wh ?? null, seconds(this.progress?.trainingSeconds ?? 0), DEFAULT_WATTS);
  }

  /**
   * Starts a run at once (no schedule) and resolves once it has ended and its energy and carbon
   * report is built.
   * @param options.continueSaved continue the saved run of this id (one of `savedRuns`) instead.
   * @param options.config train this config instead of `config`, which (and so the address bar) stays as it is.
   * @param options.replay a continued simulated schedule's clock: where its replay continues from, and its stretches before.
   */
  async start(options: { continueSaved?: string; config?: ExperimentConfig; replay?: ResumedReplayClock } = {}): Promise<RunSummary | null> {
    if (this.running) return null;
    const saved = options.continueSaved ? (this.savedRuns.find((e) => e.runId === options.continueSaved)?.info ?? null) : null;
    if (options.continueSaved && !saved) return null;
    this.clearRun();
    const runId = options.continueSaved ?? newRunId();
    this.runId = runId;
    this.savedRuns = this.savedRuns.filter((e) => e.runId !== runId);
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
    this.runTable = this.tableOf(config);
    const pageBase = this.pageAddress();
    this.footprint.startRun(config, this.schedule.traceName(config.schedule), options.replay);
    this.phase = 'loading';
    this.message = saved ? `Continuing the saved run from step ${saved.stepsDone} of ${saved.totalSteps}…` : 'Starting the training worker…';
    this.abort = new AbortController();
    try {
      // Events already on their way when Reset terminated the worker belong to the old run: dropped.
      const onEvent = (e: TrainEvent) => {
        if (!stale()) this.guarded(`a ${e.type} event`, () => this.onEvent(e));
      };
      const summary = saved ? await this.bridge.resumeSaved(runId, onEvent, this.abort.signal) : await this.bridge.train(config, onEvent, runId, this.abort.signal);
      // The run's end is handled in several tasks: the energy report, the summary (and what the
      // page derives from it), the compression, the final phase.
      await nextTask();
      if (stale()) return null;
      await this.footprint.endRun();
      await nextTask();
      if (stale()) return null;
      this.summary = summary;
      this.abort = null;
      this.phase = 'evaluating';
      this.message = 'Compressing and evaluating the model…';
      await nextTask();
      if (stale()) return null;
      await this.compression.afterRun(config, () => this.result(pageBase));
      await nextTask();
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

  /** Id of the run shown: its saved record and its Web Lock (held by the worker while it trains). */
  private runId: string | null = null;

  /**
   * Runs saved in this browser by tabs that closed, reloaded or crashed mid-run (never one another
   * tab is training), newest first; one saved by an incompatible version is named and kept.
   */
  savedRuns = $state.raw<readonly SavedRunEntry[]>([]);
  /** The newest saved run that can be continued, or null. */
  readonly savedRun = $derived(this.savedRuns.find((e) => e.info !== null) ?? null);
  /** Set while Start asks what becomes of the saved runs waiting; `answer` gives the person's choice. */
  startQuestion = $state.raw<{ readonly answer: (choice: StartChoice) => void } | null>(null);
  /** What the run shown could not save (a full disk): the banner says it instead of "loses nothing". */
  unsaved = $state<{ readonly runId: string; readonly text: string } | null>(null);

  /** Asks the worker which saved runs wait to be continued. */
  async checkSavedRun(): Promise<void> {
    try {
      this.savedRuns = await this.bridge.savedRuns();
    } catch (error) {
      if (isCancellation(error)) return;
      this.savedRuns = [];
    }
  }

  /** What was not saved of a saved run, as this tab saw it or as its record notes; null when all was. */
  unsavedOf(entry: SavedRunEntry): string | null {
    return this.unsaved?.runId === entry.runId ? this.unsaved.text : entry.unsaved;
  }

  /** Continues a saved run (the newest by default) from its checkpoint, under its schedule if it had one. */
  async continueSavedRun(runId: string | undefined = this.savedRun?.runId): Promise<RunSummary | null> {
    const entry = this.savedRuns.find((e) => e.runId === runId);
    if (!runId || !entry?.info || this.running) return null;
    if (entry.info.config.schedule.mode !== 'off') {
      const schedule = await this.bridge.savedSchedule(runId).catch(() => null);
      return this.schedule.resumeSaved(this, runId, schedule, () => this.meanWatts());
    }
    this.schedule.clear();
    return this.start({ continueSaved: runId });
  }

  /** Deletes a saved run (by default the newest that can be continued). */
  async discardSavedRun(runId: string | undefined = this.savedRun?.runId): Promise<void> {
    if (!runId) return;
    await this.bridge.discardSavedRun(runId);
    this.savedRuns = this.savedRuns.filter((e) => e.runId !== runId);
  }

  /** Stores the state of the schedule the run shown trains under, beside its checkpoint. */
  saveScheduleState(state: unknown): void {
    if (this.runId && this.running) this.bridge.saveScheduleState(this.runId, state);
  }

  /**
   * Runs a handler of the worker's events; an error it throws is shown (the run goes on), not
   * swallowed by the worker's side of the bridge.
   */
  private guarded(what: string, act: () => void): void {
    try {
      act();
    } catch (error) {
      this.error = `The page failed to handle ${what} (${error instanceof Error ? error.message : String(error)}); training goes on, but what the page shows may lag behind.`;
    }
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
    const runId = this.runId;
    if (runId) {
      void this.bridge.discardSavedRun(runId).catch(() => undefined);
      this.savedRuns = this.savedRuns.filter((e) => e.runId !== runId);
    }
    this.runId = null;
    this.startQuestion?.answer('cancel');
    this.footprint.abandonRun();
    this.schedule.clear();
    this.clearRun();
    this.runConfig = null;
    this.runTable = null;
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

  /** A progress event: each part of the page gets it on its own, so one that throws stops no other. */
  private onProgress(progress: ProgressUpdate): void {
    this.progress = progress;
    appendAll(this.losses, progress.losses);
    this.lossVersion++;
    this.guarded('the energy estimate of a progress event', () => this.footprint.onProgress(progress));
    this.guarded('the energy budget of a progress event', () => {
      if (this.runConfig && this.footprint.live) this.compression.checkBudget(this.runConfig, this.footprint.live.wh, progress.stepsDone);
    });
    // The framework's controller reads the grid and the energy at epoch boundaries.
    if (this.runConfig?.objective.framework === 'on' && this.footprint.live) {
      this.bridge.updateRunContext(this.footprint.live.intensity, this.footprint.live.wh);
    }
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
        this.onProgress(e.progress);
        break;
      case 'storage':
        if (this.runId) this.unsaved = { runId: this.runId, text: e.unsaved };
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
