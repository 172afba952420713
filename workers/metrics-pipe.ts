/**
 * The metrics pipe of a run: each step's loss and correct count stay on the device as scalars
 * until a readback, which stacks them into one tensor and reads it asynchronously, with at most
 * one readback in flight. Reading back every step would stall a GPU pipeline. A readback books
 * the figures into the run's state and sends a progress event.
 */
import * as tf from '@tensorflow/tfjs';
import { divergenceAt, type TrainEvent } from '../src/core/train/types';
import { progressOf, type RunState } from '../src/core/train/run-state';
import type { RunClock, RunGate } from './run-gate';

/** Read metrics back at least this often while training (milliseconds). */
const READBACK_INTERVAL_MS = 250;
/** ...or when this many steps are waiting, whichever comes first. */
const READBACK_MAX_STEPS = 64;

const now = () => performance.now();

export class MetricsPipe {
  private pendingLoss: tf.Scalar[] = [];
  private pendingCorrect: tf.Scalar[] = [];
  /** Examples of each pending step. */
  private pendingExamples: number[] = [];
  private inflight: Promise<void> | null = null;
  private lastReadback = now();
  /** Step records already sent with a progress event. */
  private sentRecords: number;
  private divergence: string | null = null;

  constructor(
    private readonly state: RunState,
    private readonly clock: RunClock,
    private readonly gate: RunGate,
    private readonly emit: (e: TrainEvent) => void,
  ) {
    this.sentRecords = state.steps.length;
  }

  /** Keeps one step's loss and correct count (the pipe owns and disposes them). */
  push(loss: tf.Scalar, correct: tf.Scalar, examples: number): void {
    this.pendingLoss.push(loss);
    this.pendingCorrect.push(correct);
    this.pendingExamples.push(examples);
  }

  /** Whether a readback is due: time has passed or enough steps are waiting. */
  get due(): boolean {
    return now() - this.lastReadback > READBACK_INTERVAL_MS || this.pendingLoss.length >= READBACK_MAX_STEPS;
  }

  /** Throws when a loss read back shows divergence. */
  checkDivergence(): void {
    if (this.divergence) throw new Error(`Training diverged: ${this.divergence}. The run stopped; try a lower learning rate.`);
  }

  /** Starts a readback of the pending steps; with `wait`, returns once every readback is booked. */
  async flush(wait: boolean): Promise<void> {
    if (this.inflight) await this.inflight;
    if (this.pendingLoss.length > 0) this.inflight = this.readPending();
    if (wait && this.inflight) {
      await this.inflight;
      this.inflight = null;
    }
  }

  private readPending(): Promise<void> {
    const losses = this.pendingLoss;
    const corrects = this.pendingCorrect;
    const examples = this.pendingExamples.reduce((a, b) => a + b, 0);
    this.pendingLoss = [];
    this.pendingCorrect = [];
    this.pendingExamples = [];
    const packed = tf.tidy(() => tf.concat([tf.stack(losses), tf.stack(corrects).toFloat()]));
    tf.dispose([...losses, ...corrects]);
    const steps = this.state.steps.slice(this.sentRecords);
    this.sentRecords = this.state.steps.length;
    this.lastReadback = now();
    return this.gate.readback(packed.data() as Promise<Float32Array>).then(
      (values) => {
        packed.dispose();
        this.book(values, examples, steps);
      },
      (error: unknown) => {
        // A failed readback (a lost device) still frees its tensor; the run stops at the next gate.
        packed.dispose();
        throw error;
      },
    );
  }

  private book(values: Float32Array, examples: number, steps: RunState['steps']): void {
    const s = this.state;
    const count = values.length / 2;
    const firstStep = s.stepsDone;
    const stepLosses = Array.from(values.subarray(0, count));
    this.divergence ??= divergenceAt(stepLosses, firstStep);
    for (let i = 0; i < count; i++) {
      s.epochLossSum += stepLosses[i] as number;
      s.epochCorrect += values[count + i] as number;
    }
    s.stepInEpoch += count;
    s.stepsDone += count;
    s.examplesDone += examples;
    s.lossCurve.push(...stepLosses);
    const seconds = this.clock.seconds;
    this.emit({
      type: 'progress',
      progress: progressOf(s, seconds, firstStep, stepLosses, steps),
    });
  }

  /** Frees what is still pending after a failed run. */
  dispose(): void {
    this.inflight?.catch(() => undefined);
    tf.dispose([...this.pendingLoss, ...this.pendingCorrect]);
    this.pendingLoss = [];
    this.pendingCorrect = [];
  }
}
