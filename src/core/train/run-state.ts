/**
 * The state of a run as plain data, shaped like its checkpoint: a checkpoint is a snapshot of this
 * state plus the tensors (weights, optimizer slots), and continuing a checkpoint restores it. The
 * training loop owns one and mutates it in place; nothing here touches tensors. Pure.
 */
import type { ExperimentConfig } from '../config/schema';
import type { StepRecord } from '../energy/power';
import { examplesLeft, planFor, stepsLeft, type BatchPlan, type RunPosition } from './batch-plan';
import type { RunCheckpoint, StoredTensor } from './checkpoint';
import { etaSeconds, examplesPerSecond, type EpochRecord, type ProgressUpdate } from './types';

export interface RunState {
  /** Steps and examples of the whole run, at the batch sizes in force (updated when one changes). */
  totalSteps: number;
  totalExamples: number;
  /** Steps and examples read back from the device so far. */
  stepsDone: number;
  examplesDone: number;
  /** Where the next step starts. */
  epoch: number;
  epochOffset: number;
  /** Steps read back in the epoch in progress, and its running sums. */
  stepInEpoch: number;
  epochLossSum: number;
  epochCorrect: number;
  /** Training time booked so far (pauses excluded), ms. */
  trainingMs: number;
  batchSize: number;
  learningRate: number;
  readonly lossCurve: number[];
  readonly epochs: EpochRecord[];
  /** Timing of every step run (may be ahead of `stepsDone` until the next readback). */
  readonly steps: StepRecord[];
}

/** The batch plan the state is on now. */
export function planOf(state: RunState, trainExamples: number, epochs: number): BatchPlan {
  return { trainExamples, epochs, batchSize: state.batchSize };
}

export function positionOf(state: RunState): RunPosition {
  return { epoch: state.epoch, epochOffset: state.epochOffset };
}

/** A new run of `config` on `trainExamples` examples. */
export function freshRunState(config: ExperimentConfig, trainExamples: number): RunState {
  const plan = planFor(trainExamples, config.train.epochs, config.train.batchSize);
  const start = { epoch: 0, epochOffset: 0 };
  return {
    totalSteps: stepsLeft(plan, start),
    totalExamples: examplesLeft(plan, start),
    stepsDone: 0,
    examplesDone: 0,
    epoch: 0,
    epochOffset: 0,
    stepInEpoch: 0,
    epochLossSum: 0,
    epochCorrect: 0,
    trainingMs: 0,
    batchSize: plan.batchSize,
    learningRate: config.train.learningRate,
    lossCurve: [],
    epochs: [],
    steps: [],
  };
}

/**
 * The state a checkpoint holds. Checkpoints written before the batch size could change mid-run
 * lack the example counts: there the batch never changed, so steps x batch size is exact.
 */
export function runStateFromCheckpoint(c: RunCheckpoint, trainExamples: number): RunState {
  const batchSize = Math.min(c.batchSize ?? c.config.train.batchSize, trainExamples);
  return {
    totalSteps: c.totalSteps,
    totalExamples: c.totalExamples ?? c.totalSteps * batchSize,
    stepsDone: c.stepsDone,
    examplesDone: c.examplesDone ?? c.stepsDone * batchSize,
    epoch: c.epoch,
    epochOffset: c.epochOffset ?? c.stepInEpoch * batchSize,
    stepInEpoch: c.stepInEpoch,
    epochLossSum: c.epochLossSum,
    epochCorrect: c.epochCorrect,
    trainingMs: c.trainingMs,
    batchSize,
    learningRate: c.learningRate ?? c.config.train.learningRate,
    lossCurve: [...c.lossCurve],
    epochs: [...c.epochs],
    steps: [...c.steps],
  };
}

/** What a checkpoint holds besides the state: the run's config and its tensors. */
export interface CheckpointTensors {
  readonly config: ExperimentConfig;
  readonly weights: readonly StoredTensor[];
  readonly optimizer: readonly StoredTensor[];
  /** Hidden layer sizes now (the framework may have removed neurons). */
  readonly hidden: readonly number[];
}

/** A checkpoint of `state` (copied, so later steps do not change it), taken between two steps. */
export function snapshotOf(state: RunState, tensors: CheckpointTensors, paused: boolean, savedAt: number): RunCheckpoint {
  return {
    version: 1,
    savedAt,
    paused,
    ...tensors,
    totalSteps: state.totalSteps,
    totalExamples: state.totalExamples,
    stepsDone: state.stepsDone,
    examplesDone: state.examplesDone,
    epoch: state.epoch,
    stepInEpoch: state.stepInEpoch,
    epochOffset: state.epochOffset,
    epochLossSum: state.epochLossSum,
    epochCorrect: state.epochCorrect,
    trainingMs: state.trainingMs,
    lossCurve: [...state.lossCurve],
    epochs: [...state.epochs],
    steps: [...state.steps],
    batchSize: state.batchSize,
    learningRate: state.learningRate,
  };
}

/**
 * Sets a new batch size from the next step on and recounts the run: the steps and examples done,
 * plus those left from the current position at the new size. Call with every step read back.
 */
export function changeBatchSize(state: RunState, batchSize: number, trainExamples: number, epochs: number): void {
  const plan = planFor(trainExamples, epochs, batchSize);
  state.batchSize = plan.batchSize;
  state.totalSteps = state.stepsDone + stepsLeft(plan, positionOf(state));
  state.totalExamples = state.examplesDone + examplesLeft(plan, positionOf(state));
}

/** The progress event of a run's state after `seconds` of training, for the steps from `firstStep`. */
export function progressOf(state: RunState, seconds: number, firstStep: number, losses: readonly number[], steps: readonly StepRecord[]): ProgressUpdate {
  return {
    firstStep,
    losses,
    epoch: state.epoch,
    stepsDone: state.stepsDone,
    totalSteps: state.totalSteps,
    examplesDone: state.examplesDone,
    totalExamples: state.totalExamples,
    samplesPerSecond: examplesPerSecond(state.examplesDone, seconds),
    trainingSeconds: seconds,
    etaSeconds: etaSeconds(state.examplesDone, state.totalExamples, seconds),
    steps,
  };
}
