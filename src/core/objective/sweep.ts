/**
 * The Pareto explorer's sweep space: a few values per setting, ticked by the user, expanded into
 * whole experiment configs; and the point that the objective's weights pick among measured runs.
 * Pure: the UI trains the configs one at a time and prices them (sweep-pricing.ts).
 */
import { BACKEND_CHOICES, type ExperimentConfig } from '../config/schema';
import { scoreRun, type ObjectiveReference, type ObjectiveWeights, type RunFigures } from './objective';

/** At most this many configurations per sweep: each is a whole training run. */
export const MAX_SWEEP_CONFIGS = 24;

/** The values each setting may take in a sweep (issue 6, item 3). */
export const SWEEP_OPTIONS = {
  batchSize: [32, 64, 128],
  learningRate: [0.001, 0.003],
  /** Units of the (single) hidden layer. */
  hidden: [32, 128],
  /** Final sparsity of magnitude pruning during training; 0 means pruning off. */
  sparsity: [0, 0.8],
  precision: ['float32', 'uint8'],
  /** The training backend (issue 16: "the Pareto explorer can sweep the backend"); auto measures and picks. */
  backend: BACKEND_CHOICES,
  policy: ['run-now', 'forecast-window'],
} as const;

export type SweepDimension = keyof typeof SWEEP_OPTIONS;
export type SweepValue<D extends SweepDimension> = (typeof SWEEP_OPTIONS)[D][number];

/** The ticked values of each setting; an empty list keeps the base config's value. */
export type SweepSelection = { [D in SweepDimension]: readonly SweepValue<D>[] };

/** One configuration of the sweep: the value of every dimension. */
export type SweepPoint = { [D in SweepDimension]: SweepValue<D> | null };

export const SWEEP_DIMENSIONS = Object.keys(SWEEP_OPTIONS) as SweepDimension[];

/** Number of configurations a selection makes: the product of the ticked counts (empty counts 1). */
export function sweepSize(selection: SweepSelection): number {
  return SWEEP_DIMENSIONS.reduce((n, d) => n * Math.max(1, selection[d].length), 1);
}

/**
 * Every combination of the ticked values, the first dimension varying slowest. Each dimension's
 * values are taken in SWEEP_OPTIONS order, so the first configuration takes the first ticked value
 * of each. An empty dimension gives null (keep the base config's value).
 * Throws RangeError above `cap` configurations.
 */
export function expandSweep(selection: SweepSelection, cap: number = MAX_SWEEP_CONFIGS): SweepPoint[] {
  const size = sweepSize(selection);
  if (size > cap) throw new RangeError(`the sweep makes ${size} configurations, more than the ${cap} allowed`);
  let points: Record<string, unknown>[] = [{}];
  for (const d of SWEEP_DIMENSIONS) {
    const options = SWEEP_OPTIONS[d] as readonly unknown[];
    const ticked = options.filter((o) => (selection[d] as readonly unknown[]).includes(o));
    const values = ticked.length > 0 ? ticked : [null];
    points = points.flatMap((p) => values.map((value) => ({ ...p, [d]: value })));
  }
  return points as SweepPoint[];
}

/**
 * The base config with a sweep point's values written in. Model size sets one hidden layer of that
 * many units; sparsity > 0 turns pruning on with that final sparsity, 0 turns it off; a backend is
 * forced as the run's backend (auto measures and picks, as a lab run does); a policy other
 * than run-now schedules the run in simulated time on `trace` (with the job's slack), run-now turns
 * scheduling off, so the config opened from the point reproduces how it was priced.
 */
export function configForPoint(base: ExperimentConfig, point: SweepPoint, trace: string, slackHours: number): ExperimentConfig {
  const c = structuredClone(base);
  if (point.batchSize !== null) c.train.batchSize = point.batchSize;
  if (point.learningRate !== null) c.train.learningRate = point.learningRate;
  if (point.hidden !== null) c.model.hidden = [point.hidden];
  if (point.sparsity !== null) {
    c.compress.pruning = point.sparsity > 0 ? 'on' : 'off';
    if (point.sparsity > 0) {
      c.compress.finalSparsity = point.sparsity;
      c.compress.initialSparsity = Math.min(c.compress.initialSparsity, point.sparsity);
    }
  }
  if (point.precision !== null) c.compress.precision = point.precision;
  if (point.backend !== null) c.backend = point.backend;
  if (point.policy !== null) {
    c.schedule.policy = point.policy;
    if (point.policy === 'run-now') c.schedule.mode = 'off';
    else {
      if (c.schedule.mode === 'off') c.schedule.mode = 'simulated';
      c.schedule.trace = trace;
      c.schedule.slackHours = slackHours;
    }
  }
  return c;
}

/** A short label of a point's values, e.g. "batch 64, lr 0.001, 128 units, sparsity 0.8, uint8, on wasm, forecast-window". */
export function pointLabel(point: SweepPoint): string {
  const parts: string[] = [];
  if (point.batchSize !== null) parts.push(`batch ${point.batchSize}`);
  if (point.learningRate !== null) parts.push(`lr ${point.learningRate}`);
  if (point.hidden !== null) parts.push(`${point.hidden} units`);
  if (point.sparsity !== null) parts.push(point.sparsity > 0 ? `sparsity ${point.sparsity}` : 'dense');
  if (point.precision !== null) parts.push(point.precision);
  if (point.backend !== null) parts.push(`on ${point.backend}`);
  if (point.policy !== null) parts.push(point.policy);
  return parts.length > 0 ? parts.join(', ') : 'the base config';
}

/**
 * Index of the run that minimises the objective (scoreRun) under the weights, or -1 when none has
 * finite figures. Ties go to the earlier run.
 */
export function pickByWeights(runs: readonly RunFigures[], weights: ObjectiveWeights, reference: ObjectiveReference): number {
  let best = -1;
  let bestScore = Infinity;
  runs.forEach((run, i) => {
    if (![run.accuracy, run.kWh, run.gCO2e].every(Number.isFinite)) return;
    const score = scoreRun(run, weights, reference).total;
    if (score < bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}
