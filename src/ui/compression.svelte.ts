/**
 * Compression on the page: per-layer sparsity during a run, the energy budget's rule and run log,
 * one-shot pruning, distillation, the export and its report, and importing an export back. The
 * Lab owns one and forwards the worker's events; every worker call goes through the Lab's bridge.
 */
import { budgetEntry, budgetPassed, budgetSparsityFor, energyPer1000InferencesWh, runCsv, type RunLogEntry } from '../core/compress/plan';
import type { BackendId, ExperimentConfig } from '../core/config/schema';
import { busyWatts } from '../core/energy/power';
import type { DeviceProfile } from '../core/energy/profile-types';
import type { CompressionSection, LabResult } from '../core/result';
import type { PruningEvent } from '../core/train/types';
import type { CompressionOutcome, DistillOutcome, ExportMetadata, ImportedModel, OneShotOutcome } from '../../workers/contract';
import { isCancellation, type WorkerBridge } from './bridge';

/** The worker calls compression makes. */
export type CompressionWorker = Pick<WorkerBridge, 'raisePruningTarget' | 'pruneOneShot' | 'distill' | 'exportModel' | 'importModel'>;

/** What the page needs from the Lab to act on compression. */
export interface CompressionHost {
  readonly worker: CompressionWorker;
  stopRun(): void;
  /** The device profile the footprint chose, the PUE and the backend; null before a run. */
  device(): { profile: DeviceProfile; pue: number; backend: BackendId } | null;
  /** Classes of the last run's data. */
  numClasses(): number;
}

/** Labels of the classes, for metadata.json. */
export function classLabels(config: ExperimentConfig, numClasses: number): string[] {
  // Own data names its classes (issue 15).
  if (config.data.classes.length === numClasses) return [...config.data.classes];
  return Array.from({ length: numClasses }, (_, i) => (config.data.dataset === 'mnist' ? String(i) : `class ${i}`));
}

/** metadata.json of an export: the result without its loss curve and epoch table, and what the export adds. */
export function exportMetadata(result: LabResult, which: 'trained' | 'student', config: ExperimentConfig, numClasses: number, runLog: readonly RunLogEntry[]): ExportMetadata {
  const { lossCurve: _curve, epochs: _epochs, ...rest } = result;
  return { ...rest, exportedModel: which, labels: classLabels(config, numClasses), compressionSettings: config.compress, runLog };
}

export class Compression {
  /** The latest mask update of the run (per-layer sparsity). */
  layers = $state.raw<PruningEvent | null>(null);
  runLog = $state.raw<readonly RunLogEntry[]>([]);
  oneShotResult = $state.raw<OneShotOutcome | null>(null);
  distilled = $state.raw<DistillOutcome | null>(null);
  exported = $state.raw<Omit<CompressionOutcome, 'zip'> | null>(null);
  imported = $state.raw<ImportedModel | null>(null);
  importError = $state<string | null>(null);
  /** Whether an import is being checked. */
  importing = $state(false);
  /** What the compression is doing now, in words; null when idle. */
  busy = $state<string | null>(null);
  error = $state<string | null>(null);

  private zip: ArrayBuffer | null = null;
  /** Aborted by `cancel` (a Reset): the calls in flight reject and their busy states clear. */
  private tasks = new AbortController();
  private budgetDone = false;
  private switchToStudent = false;

  constructor(private readonly host: CompressionHost) {}

  /** The signal every worker call of this class carries. */
  private get signal(): AbortSignal {
    return this.tasks.signal;
  }

  /** Drops every call in flight (their answers are ignored) and clears the busy states at once. */
  cancel(): void {
    this.tasks.abort();
    this.tasks = new AbortController();
    this.busy = null;
    this.importing = false;
  }

  /** A new run starts: forget the last one's compression. */
  clear(): void {
    this.layers = null;
    this.runLog = [];
    this.oneShotResult = null;
    this.distilled = null;
    this.exported = null;
    this.zip = null;
    this.error = null;
    this.budgetDone = false;
    this.switchToStudent = false;
  }

  log(entry: RunLogEntry): void {
    this.runLog = [...this.runLog, entry];
  }

  onPruning(update: PruningEvent): void {
    this.layers = update;
  }

  /** Called on every progress update with the run's live energy: applies the budget rule once. */
  checkBudget(config: ExperimentConfig, wh: number, step: number): void {
    if (!budgetPassed(wh, config.compress.budgetWh, this.budgetDone)) return;
    this.budgetDone = true;
    this.log(budgetEntry(config.compress, wh, step, Date.now()));
    if (config.compress.onBudget === 'prune') this.host.worker.raisePruningTarget(budgetSparsityFor(config.compress));
    else {
      this.switchToStudent = true;
      this.host.stopRun();
    }
  }

  /** After a run: distil when asked (or when the budget switched to the student), then evaluate the export. */
  async afterRun(config: ExperimentConfig, result: () => LabResult | null): Promise<void> {
    const wanted = config.compress.pruning === 'on' || config.compress.distill === 'on' || this.switchToStudent;
    if (!wanted) return;
    const signal = this.signal;
    if (config.compress.distill === 'on' || this.switchToStudent) await this.distill(config);
    // Reset meanwhile: the model is gone with its worker.
    if (signal.aborted) return;
    await this.buildExport(config, result, this.switchToStudent && this.distilled ? 'student' : 'trained');
  }

  async pruneOneShot(sparsity: number, fineTuneEpochs: number): Promise<void> {
    await this.task('Pruning the trained model…', async () => {
      this.oneShotResult = await this.host.worker.pruneOneShot(sparsity, fineTuneEpochs, this.signal);
      this.exported = null;
      this.zip = null;
      this.log({ time: Date.now(), step: null, what: `one-shot pruning to ${(sparsity * 100).toFixed(0)} % with ${fineTuneEpochs} epoch(s) of fine-tuning`, why: 'asked for on the page' });
    });
  }

  async distill(config: ExperimentConfig): Promise<void> {
    const c = config.compress;
    await this.task('Distilling the student…', async () => {
      this.distilled = await this.host.worker.distill({ temperature: c.temperature, alpha: c.alpha, studentHidden: [...c.studentHidden], epochs: config.train.epochs }, this.signal);
      this.log({ time: Date.now(), step: null, what: `distilled a student with hidden [${c.studentHidden.join(', ')}] at T ${c.temperature}, alpha ${c.alpha}`, why: this.switchToStudent ? 'the energy budget was passed' : 'distillation is on in the settings' });
    });
  }

  /** Builds the export of the trained model (or the student) at the config's precision and measures it. */
  async buildExport(config: ExperimentConfig, result: () => LabResult | null, which: 'trained' | 'student' = 'trained'): Promise<ArrayBuffer | null> {
    return this.task('Exporting and evaluating the file…', async () => {
      const r = result();
      if (!r) throw new Error('There is no finished run to export: train one first.');
      const metadata = exportMetadata(r, which, config, this.host.numClasses(), this.runLog);
      const byEpoch = r.energy?.byEpoch ?? [];
      const csv = runCsv(r.epochs.map((e) => ({ ...e, kWh: byEpoch.find((b) => b.epoch === e.epoch)?.kWh ?? null, gCO2e: byEpoch.find((b) => b.epoch === e.epoch)?.gCO2e ?? null })));
      const outcome = await this.host.worker.exportModel({ which, precision: config.compress.precision, metadata, runCsv: csv }, this.signal);
      const { zip, ...rest } = outcome;
      this.zip = zip;
      this.exported = rest;
      return zip;
    });
  }

  /** The zip built last, or null. */
  get zipBytes(): ArrayBuffer | null {
    return this.zip;
  }

  /** Estimated Wh per 1,000 inferences for a measured batched-predict time, or null without a device profile. */
  energyPer1000(msPer1000: number): number | null {
    const device = this.host.device();
    return device ? energyPer1000InferencesWh(msPer1000, busyWatts(device.profile, device.backend), device.pue) : null;
  }

  /** The result file's `compression` section, or null before an export was evaluated. */
  section(): CompressionSection | null {
    const e = this.exported;
    if (!e) return null;
    return {
      sparsity: e.overallSparsity,
      precision: e.sizes.precision,
      exportBytes: e.sizes.exportBytes,
      gzipBytes: e.sizes.gzipBytes,
      denseFloat32Bytes: e.sizes.denseFloat32Bytes,
      accuracyBefore: e.accuracyBefore,
      accuracyAfter: e.accuracyAfter,
      model: e.which,
      ratio: e.sizes.ratio,
      perChannelAccuracy: e.perChannelAccuracy,
      energyPer1000InferencesWh: this.energyPer1000(e.msPer1000),
      runLog: [...this.runLog],
    };
  }

  /** Loads an exported zip back (checks it and evaluates it on the last run's test data). */
  async importFile(bytes: ArrayBuffer): Promise<void> {
    // A failed import keeps the model imported before; a good one replaces it.
    this.importError = null;
    this.importing = true;
    try {
      this.imported = await this.host.worker.importModel(bytes, this.signal);
    } catch (e) {
      if (!isCancellation(e)) this.importError = e instanceof Error ? e.message : String(e);
    } finally {
      this.importing = false;
    }
  }

  private async task<T>(label: string, body: () => Promise<T>): Promise<T | null> {
    this.busy = label;
    this.error = null;
    try {
      return await body();
    } catch (e) {
      if (!isCancellation(e)) this.error = e instanceof Error ? e.message : String(e);
      return null;
    } finally {
      if (this.busy === label) this.busy = null;
    }
  }
}
