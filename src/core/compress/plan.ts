/**
 * How the lab applies compression to a run: the config's epoch-based pruning settings as a TFMOT
 * schedule in steps, the energy-budget rule, the run log, energy per inference and the run CSV.
 * Pure: the worker and the page call these.
 */
import type { polynomialDecay } from './schedule';

/** The options `polynomialDecay` takes. */
export type PolynomialDecayOptions = Parameters<typeof polynomialDecay>[0];

/** The compression settings of a config (ExperimentConfig['compress'], repeated so core/compress imports no config). */
export interface CompressSettings {
  readonly pruning: 'off' | 'on';
  readonly initialSparsity: number;
  readonly finalSparsity: number;
  readonly beginEpoch: number;
  readonly endEpoch: number;
  readonly frequency: number;
  readonly budgetWh: number;
  readonly onBudget: 'prune' | 'student';
  readonly budgetSparsity: number;
}

/**
 * The pruning schedule of a run in optimizer steps, or null when pruning is off. Epochs become
 * steps at `stepsPerEpoch`; the end is clamped to the run's last step and moved back onto an
 * update step (begin + k * frequency), so the final sparsity is reached before training ends.
 */
export function pruningScheduleFor(settings: CompressSettings, stepsPerEpoch: number, epochs: number): PolynomialDecayOptions | null {
  if (settings.pruning !== 'on') return null;
  const lastStep = Math.max(0, stepsPerEpoch * epochs - 1);
  const beginStep = Math.min(lastStep, Math.round(settings.beginEpoch * stepsPerEpoch));
  const end = Math.max(beginStep, Math.min(lastStep, Math.round(settings.endEpoch * stepsPerEpoch)));
  const endStep = beginStep + Math.floor((end - beginStep) / settings.frequency) * settings.frequency;
  return {
    initialSparsity: settings.initialSparsity,
    finalSparsity: settings.finalSparsity,
    beginStep,
    endStep,
    frequency: settings.frequency,
    power: 3,
  };
}

/** One line of the run log: when (wall time and training step), what compression did, and why. */
export interface RunLogEntry {
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** The training step it happened at; null after training. */
  readonly step: number | null;
  readonly what: string;
  readonly why: string;
}

/** Whether the energy so far has just passed the budget: true once, the first time `wh` exceeds it. */
export function budgetPassed(wh: number, budgetWh: number, alreadyPassed: boolean): boolean {
  return !alreadyPassed && budgetWh > 0 && Number.isFinite(wh) && wh > budgetWh;
}

/** The run-log entry for a budget that was passed, naming the action taken. */
export function budgetEntry(settings: CompressSettings, wh: number, step: number | null, time: number): RunLogEntry {
  const why = `the run's estimated energy (${wh.toPrecision(3)} Wh) passed the budget of ${settings.budgetWh} Wh`;
  if (settings.onBudget === 'prune') {
    const target = Math.max(settings.budgetSparsity, settings.pruning === 'on' ? settings.finalSparsity : 0);
    return { time, step, what: `pruned every kernel to ${(target * 100).toFixed(0)} % sparsity at once and held the masks for the rest of training`, why };
  }
  return { time, step, what: 'stopped training the model and switched to distilling the smaller student from it', why };
}

/** The sparsity to prune to when the budget is passed with action 'prune': never below the schedule's own target. */
export function budgetSparsityFor(settings: CompressSettings): number {
  return Math.max(settings.budgetSparsity, settings.pruning === 'on' ? settings.finalSparsity : 0);
}

/**
 * Estimated energy of 1,000 inferences in Wh: the measured time of a batched forward pass over
 * 1,000 examples, times the device's power while busy, times the PUE. The power is the device
 * profile's full-load power of the components the backend keeps busy (the footprint's own
 * model), so this is an upper-end estimate for one device, not a measurement.
 */
export function energyPer1000InferencesWh(msPer1000: number, busyWatts: number, pue = 1): number {
  if (!(msPer1000 >= 0) || !(busyWatts >= 0) || !(pue >= 1)) throw new RangeError(`need ms >= 0, watts >= 0 and PUE >= 1, got ${msPer1000}, ${busyWatts}, ${pue}`);
  return ((msPer1000 / 1000) * busyWatts * pue) / 3600;
}

/** One epoch's figures for the run CSV. */
export interface CsvEpoch {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  readonly kWh?: number | null;
  readonly gCO2e?: number | null;
}

/** The run's CSV (run.csv in the export): one row per epoch, energy and carbon where known. */
export function runCsv(epochs: readonly CsvEpoch[]): string {
  const cell = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '' : String(x));
  const rows = epochs.map((e) => [e.epoch, e.trainLoss, e.trainAccuracy, e.testLoss, e.testAccuracy, e.kWh, e.gCO2e].map(cell).join(','));
  return ['epoch,train_loss,train_accuracy,test_loss,test_accuracy,kwh,gco2e', ...rows].join('\n') + '\n';
}
