/**
 * What the network learns, on the page: polls the worker for snapshots of the model (decision
 * boundary, kernels, confusion matrix) while a run is live and the view is on screen, and keeps
 * the latest. At most one request is in flight and the next waits POLL_MS after its answer, so the
 * worker answers a few times a second at most and never every step. When the run settles (paused,
 * finished, stopped, failed) one final snapshot is taken.
 */
import { tick, untrack } from 'svelte';
import type { ExperimentConfig } from '../core/config/schema';
import { drawNetwork, type NetworkDrawing } from '../core/inspect/network';
import type { RunPhase } from '../core/train/types';
import type { InspectDigits, InspectPoints, InspectSnapshot } from '../../workers/contract';
import type { Confusion } from '../core/inspect/confusion';
import { isCancellation, type WorkerBridge } from './bridge';

/** Milliseconds from one snapshot's answer to the next request. */
export const POLL_MS = 300;
/** Side of the decision-boundary grid: 64 x 64 cells. */
export const GRID = 64;
/** While training, the test split is predicted for the confusion matrix at most this often. */
export const CONFUSION_EVERY_MS = 2000;

/** The User Timing name of each snapshot's main-thread work (state and render; the views' canvases draw in the next frame). */
export const UPDATE_MEASURE = 'inspect-update';

/** Phases in which the model changes, so the views are polled. */
const LIVE: readonly RunPhase[] = ['loading', 'training', 'evaluating'];

/** What the inspect views need from the Lab. */
export interface InspectHost {
  readonly worker: Pick<WorkerBridge, 'inspect'>;
  /** The run's config (a new object per run), or null before a run and after a reset. */
  runConfig(): ExperimentConfig | null;
  phase(): RunPhase;
  /**
   * Changes (a new value) whenever the trained model changes after its run, as a one-shot prune
   * does; the settled views then take one more snapshot.
   */
  modelVersion(): unknown;
}

export class Inspect {
  /** The latest decision boundary and kernels; null before the run's model exists. */
  snapshot = $state.raw<InspectSnapshot | null>(null);
  /** The run's training and test points (2-D data), received once per run. */
  points = $state.raw<InspectPoints | null>(null);
  /** The latest confusion matrix and its digits (image data). */
  confusion = $state.raw<{ matrix: Confusion; digits: InspectDigits | null } | null>(null);
  /** Snapshots received in this run. */
  received = $state(0);
  error = $state<string | null>(null);

  readonly network: NetworkDrawing | null = $derived(this.snapshot ? drawNetwork(this.snapshot.network.sizes, this.snapshot.network.kernels) : null);

  private run: ExperimentConfig | null = null;
  private inFlight = false;
  /** A final snapshot was asked for while another was in flight. */
  private finalPending = false;
  /** The settled phase whose final snapshot was taken (null while live or off screen). */
  private settled: RunPhase | null = null;
  /** The model version the settled phase's final snapshot was taken of. */
  private settledModel: unknown = undefined;
  private lastConfusionAt = -Infinity;

  constructor(private readonly host: InspectHost) {}

  /**
   * Call from an effect with whether the views are on screen; it reads the run's phase and config,
   * so the effect re-runs when they change. Returns the cleanup that stops the polling.
   */
  follow(visible: boolean): () => void {
    const config = this.host.runConfig();
    const phase = this.host.phase();
    const model = this.host.modelVersion();
    return untrack(() => {
      if (config !== this.run) this.startRun(config);
      if (!config || !visible) {
        this.settled = null;
        return () => undefined;
      }
      if (LIVE.includes(phase)) {
        this.settled = null;
        return this.poll();
      }
      if (this.settled !== phase || this.settledModel !== model) {
        this.settled = phase;
        this.settledModel = model;
        void this.refresh(true);
      }
      return () => undefined;
    });
  }

  /** A new run (or none): its snapshots replace the last run's. */
  private startRun(config: ExperimentConfig | null): void {
    this.run = config;
    this.snapshot = null;
    this.points = null;
    this.confusion = null;
    this.received = 0;
    this.error = null;
    this.settled = null;
    this.lastConfusionAt = -Infinity;
  }

  /** Requests a snapshot now and POLL_MS after each answer, until the returned function is called. */
  private poll(): () => void {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      void this.refresh(false).finally(() => {
        if (!stopped) timer = setTimeout(tick, POLL_MS);
      });
    };
    tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /** One snapshot, unless one is in flight (a final one is then asked for after it). */
  async refresh(final: boolean): Promise<void> {
    if (this.inFlight) {
      this.finalPending ||= final;
      return;
    }
    this.inFlight = true;
    const run = this.run;
    const asked = performance.now();
    const confusion = final || asked - this.lastConfusionAt >= CONFUSION_EVERY_MS;
    try {
      const s = await this.host.worker.inspect({ grid: GRID, points: this.points === null, confusion });
      if (run === this.run && s) this.receive(s, asked);
    } catch (e) {
      if (run === this.run && !isCancellation(e)) this.error = `The model could not be inspected (${e instanceof Error ? e.message : String(e)}); training goes on, and the views try again.`;
    } finally {
      this.inFlight = false;
      if (this.finalPending) {
        this.finalPending = false;
        void this.refresh(true);
      }
    }
  }

  private receive(s: InspectSnapshot, asked: number): void {
    const start = performance.now();
    this.snapshot = s;
    if (s.points) this.points = s.points;
    if (s.confusion) {
      this.confusion = { matrix: s.confusion, digits: s.digits };
      this.lastConfusionAt = asked;
    }
    this.error = null;
    this.received++;
    // How long the page spends on a snapshot (its canvases draw in the next frame), in DevTools' timings and for the long-task check.
    void tick().then(() => performance.measure(UPDATE_MEASURE, { start }));
  }
}
