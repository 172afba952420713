/**
 * The framework's controller (steps 2 to 6 of its training algorithm): at each epoch boundary it
 * reads the grid intensity and the energy metered so far, sets the compute penalty, adapts the
 * batch size and learning rate, and triggers compression past the energy threshold. Every change
 * comes with its reason, for the run log. Pure: the worker applies the decisions.
 *
 * Batch size changes only between epochs: tfjs-webgpu pools GPU buffers by exact shape, so a
 * batch size that changed every step would allocate new buffers every step.
 */
import { penaltyCoefficient, type ObjectiveWeights } from './objective';

export interface ControllerSettings {
  readonly weights: ObjectiveWeights;
  /** Intensity at which the penalty has its base strength, gCO2/kWh (e.g. the trace's mean). */
  readonly refIntensity: number;
  /** Penalty coefficient at the reference intensity with beta = gamma = 1. */
  readonly basePenalty: number;
  /** Energy after which compression steps in, Wh; Infinity for never. */
  readonly energyBudgetWh: number;
  readonly baseBatchSize: number;
  readonly maxBatchSize: number;
  readonly baseLearningRate: number;
  readonly optimizer: 'sgd' | 'momentum' | 'adam';
}

/** What the controller knows at an epoch boundary. */
export interface ControllerState {
  /** The epoch about to start, from 0. */
  readonly epoch: number;
  readonly intensity: number;
  readonly energyWh: number;
  /** Mean training loss of the last two epochs, oldest first (fewer early on). */
  readonly recentLosses: readonly number[];
  readonly batchSize: number;
  readonly learningRate: number;
  readonly compressed: boolean;
}

export interface LogEntry {
  readonly epoch: number;
  readonly what: string;
  readonly why: string;
}

export interface ControllerDecision {
  readonly batchSize: number;
  readonly learningRate: number;
  readonly penalty: number;
  readonly compress: boolean;
  readonly log: readonly LogEntry[];
}

/** Above this share of the reference intensity the grid counts as dirty, below 1/this as clean. */
const DIRTY = 1.1;
/** A loss that fell by less than this share in an epoch has plateaued. */
const PLATEAU = 0.01;
/** Learning-rate factor on a plateau (the lab's choice; Keras' ReduceLROnPlateau uses 0.1). */
const PLATEAU_FACTOR = 0.5;

/**
 * How the learning rate follows the batch size: linearly for SGD and momentum (Goyal et al. 2017,
 * "Accurate, Large Minibatch SGD"), by the square root for Adam (Malladi et al. 2022, "On the SDEs
 * and Scaling Rules for Adaptive Gradient Algorithms").
 */
export function scaledLearningRate(lr: number, fromBatch: number, toBatch: number, optimizer: ControllerSettings['optimizer']): number {
  const ratio = toBatch / fromBatch;
  return lr * (optimizer === 'adam' ? Math.sqrt(ratio) : ratio);
}

/** Decides the next epoch's settings; see the module comment. */
export function controllerDecision(s: ControllerSettings, state: ControllerState): ControllerDecision {
  const log: LogEntry[] = [];
  const epoch = state.epoch;
  const penalty = penaltyCoefficient(state.intensity, s.weights, s.refIntensity, s.basePenalty);
  // No penalty in use (none configured, or the neurons are already removed): nothing to report.
  if (s.basePenalty > 0) log.push({
    epoch,
    what: `compute penalty ${penalty.toPrecision(3)}`,
    why: `the grid is at ${Math.round(state.intensity)} gCO2/kWh against a reference of ${Math.round(s.refIntensity)}; the penalty scales with beta + gamma x intensity / reference`,
  });

  let batchSize = state.batchSize;
  let learningRate = state.learningRate;
  const ratio = state.intensity / s.refIntensity;
  if (ratio > DIRTY && batchSize * 2 <= s.maxBatchSize) {
    batchSize = batchSize * 2;
    learningRate = scaledLearningRate(learningRate, state.batchSize, batchSize, s.optimizer);
    log.push({
      epoch,
      what: `batch size ${state.batchSize} -> ${batchSize}, learning rate ${state.learningRate.toPrecision(3)} -> ${learningRate.toPrecision(3)}`,
      why: `the grid is dirty (${Math.round(ratio * 100)}% of the reference): larger batches do the same epoch in fewer, fuller steps; the learning rate follows the ${s.optimizer === 'adam' ? 'square-root' : 'linear'} scaling rule`,
    });
  } else if (ratio < 1 / DIRTY && batchSize > s.baseBatchSize) {
    batchSize = Math.max(s.baseBatchSize, batchSize / 2);
    learningRate = scaledLearningRate(learningRate, state.batchSize, batchSize, s.optimizer);
    log.push({
      epoch,
      what: `batch size ${state.batchSize} -> ${batchSize}, learning rate ${state.learningRate.toPrecision(3)} -> ${learningRate.toPrecision(3)}`,
      why: `the grid is clean (${Math.round(ratio * 100)}% of the reference): back towards the batch size that learns most per sample`,
    });
  }

  const [before, last] = state.recentLosses.length >= 2 ? state.recentLosses.slice(-2) : [Number.NaN, Number.NaN];
  if (Number.isFinite(before) && Number.isFinite(last) && (before as number) - (last as number) < PLATEAU * (before as number)) {
    const lowered = learningRate * PLATEAU_FACTOR;
    log.push({
      epoch,
      what: `learning rate ${learningRate.toPrecision(3)} -> ${lowered.toPrecision(3)}`,
      why: `the training loss fell by less than ${PLATEAU * 100}% last epoch (${(before as number).toFixed(4)} -> ${(last as number).toFixed(4)})`,
    });
    learningRate = lowered;
  }

  const compress = !state.compressed && state.energyWh >= s.energyBudgetWh;
  if (compress) {
    log.push({
      epoch,
      what: 'compression triggered',
      why: `the run has used ${state.energyWh.toPrecision(3)} Wh, past its budget of ${s.energyBudgetWh} Wh`,
    });
  }
  return { batchSize, learningRate, penalty, compress, log };
}
