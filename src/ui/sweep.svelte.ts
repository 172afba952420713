/**
 * The Pareto explorer's state: the ticked sweep space, the sweep run one configuration at a time
 * through the lab, each run's measured accuracy and energy, its carbon priced on a replayed trace
 * under its scheduling policy (src/core/objective/sweep-pricing.ts), the fronts and the point the
 * objective's weights pick.
 */
import type { BackendId, ExperimentConfig } from '../core/config/schema';
import { serialiseLink } from '../core/config/link';
import { DEFAULT_WEIGHTS, type ObjectiveWeights } from '../core/objective/objective';
import { paretoFront } from '../core/objective/pareto';
import {
  MAX_SWEEP_CONFIGS,
  SWEEP_OPTIONS,
  configForPoint,
  expandSweep,
  pickByWeights,
  pointLabel,
  sweepSize,
  type SweepDimension,
  type SweepPoint,
  type SweepSelection,
  type SweepValue,
} from '../core/objective/sweep';
import { DEFAULT_PRICING_RULE, policyIntensity, priceRun, type PolicyIntensity } from '../core/objective/sweep-pricing';
import { createReplay, type Replay } from '../core/schedule';
import { kilowattHours, seconds } from '../core/units';
import type { Lab } from './lab.svelte';

/** One measured configuration of the sweep. */
export interface SweepRun {
  readonly point: SweepPoint;
  readonly label: string;
  /** The point's config as it opens: scheduled as it was priced. */
  readonly config: ExperimentConfig;
  /** Its share link (hash without '#'). */
  readonly link: string;
  /** Test accuracy of the exported model at the point's precision (of the trained model when no export could be made). */
  readonly accuracy: number;
  /** Measured training energy. */
  readonly kWh: number;
  readonly trainingSeconds: number;
  /** The backend the run trained on: the point's forced one, or what "auto" measured and picked. */
  readonly ranOn: BackendId;
  /**
   * Index of the earlier run whose training this one reuses, or null. The scheduling policy does
   * not change training, so points that differ only in policy are trained once and priced apart.
   */
  readonly sharedWith: number | null;
  /** Priced carbon of the run, and the job it stood for; NaN until priced. */
  readonly gCO2e: number;
  readonly jobHours: number;
  readonly intensity: number;
}

/** What the sweep ticks when the panel opens: 8 configurations. */
const DEFAULT_SELECTION: SweepSelection = {
  batchSize: [64],
  learningRate: [0.001],
  hidden: [32, 128],
  sparsity: [0, 0.8],
  precision: ['float32'],
  /** None ticked: the sweep trains on the lab's own backend setting. */
  backend: [],
  policy: ['run-now', 'forecast-window'],
};

export class Sweep {
  selection = $state<SweepSelection>(structuredClone(DEFAULT_SELECTION) as SweepSelection);
  /** Bundled trace the carbon is priced on. */
  trace = $state('us-ciso-2022');
  weights = $state<ObjectiveWeights>({ ...DEFAULT_WEIGHTS });
  runs = $state.raw<readonly SweepRun[]>([]);
  active = $state(false);
  pricing = $state(false);
  /** 1-based number of the configuration being trained, and how many there are. */
  current = $state(0);
  total = $state(0);
  message = $state('');
  error = $state<string | null>(null);

  readonly size = $derived(sweepSize(this.selection));
  readonly tooBig = $derived(this.size > MAX_SWEEP_CONFIGS);
  /** Indices of runs on the accuracy-against-carbon front, cheapest first. */
  readonly carbonFront = $derived(paretoFront(this.runs.map((r) => ({ accuracy: r.accuracy, cost: r.gCO2e }))));
  readonly energyFront = $derived(paretoFront(this.runs.map((r) => ({ accuracy: r.accuracy, cost: r.kWh }))));
  /** The reference of the objective: the sweep's first configuration, the user's baseline. */
  readonly reference = $derived(this.runs[0] ?? null);
  readonly picked = $derived.by(() => {
    const ref = this.reference;
    if (!ref || !(ref.kWh > 0) || !(ref.gCO2e > 0)) return -1;
    return pickByWeights(this.runs, this.weights, { kWh: ref.kWh, gCO2e: ref.gCO2e });
  });

  private cancelled = false;
  /** Bumped by `abandon`: a sweep started before it leaves the state alone. */
  private generation = 0;
  // Caches, not reactive state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly replays = new Map<string, Promise<Replay>>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly intensities = new Map<string, PolicyIntensity>();

  constructor(
    private readonly lab: Lab,
    private readonly pageAddress: () => string,
  ) {}

  isTicked<D extends SweepDimension>(d: D, value: SweepValue<D>): boolean {
    return (this.selection[d] as readonly unknown[]).includes(value);
  }

  toggle<D extends SweepDimension>(d: D, value: SweepValue<D>): void {
    const now = this.selection[d] as readonly SweepValue<D>[];
    const next = now.includes(value) ? now.filter((x) => x !== value) : [...now, value];
    this.selection = { ...this.selection, [d]: next };
  }

  /** Trains every configuration in turn; the lab's config (and the address bar) stay as they are. Resolves when the sweep ends. */
  async run(): Promise<void> {
    if (this.active || this.lab.running) return;
    let points: SweepPoint[];
    try {
      points = expandSweep($state.snapshot(this.selection) as SweepSelection);
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return;
    }
    const base = $state.snapshot(this.lab.config) as ExperimentConfig;
    const trace = this.trace;
    const generation = ++this.generation;
    this.cancelled = false;
    this.active = true;
    this.error = null;
    this.runs = [];
    this.total = points.length;
    try {
      // Fetch the trace first: a sweep that cannot be priced should fail before it trains.
      const replay = await this.replay(trace);
      // Index of the run that trained each setting of everything but the policy; local to this sweep.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      const trained = new Map<string, number>();
      for (const [i, point] of points.entries()) {
        if (this.cancelled || generation !== this.generation) break;
        this.current = i + 1;
        const trainingKey = JSON.stringify({ ...point, policy: null });
        const earlier = trained.get(trainingKey);
        const shared = earlier === undefined ? undefined : this.runs[earlier];
        if (earlier !== undefined && shared) {
          const config = configForPoint(base, point, trace, DEFAULT_PRICING_RULE.slackHours);
          const measuredAgain = { ...shared, point, label: pointLabel(point), config, link: serialiseLink(config), sharedWith: earlier };
          this.runs = [...this.runs, this.price(measuredAgain, replay, trace)];
          continue;
        }
        this.message = `Training configuration ${i + 1} of ${points.length}: ${pointLabel(point)}`;
        const measured = await this.measure(base, point, trace);
        if (this.cancelled || generation !== this.generation) break;
        if (!measured) {
          this.error = `Configuration ${i + 1} (${pointLabel(point)}) failed: ${this.lab.error ?? 'no result'}.`;
          break;
        }
        trained.set(trainingKey, this.runs.length);
        this.runs = [...this.runs, this.price(measured, replay, trace)];
      }
      if (generation !== this.generation) return;
      this.message = this.cancelled
        ? `Cancelled after ${this.runs.length} of ${points.length} configurations.`
        : `Done: ${this.runs.length} of ${points.length} configurations.`;
    } catch (e) {
      if (generation === this.generation) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (generation === this.generation) this.active = false;
    }
  }

  /** The lab was reset: the sweep ends at once, keeping the runs measured so far. */
  abandon(): void {
    if (!this.active) return;
    this.generation++;
    this.active = false;
    this.message = `Stopped by Reset after ${this.runs.length} of ${this.total} configurations.`;
  }

  /** Stops the run in progress and the sweep. */
  cancel(): void {
    if (!this.active) return;
    this.cancelled = true;
    this.message = 'Cancelling after the current step…';
    this.lab.stop();
  }

  /** Prices every run again on another bundled trace. */
  async setTrace(name: string): Promise<void> {
    this.trace = name;
    if (this.active || this.runs.length === 0) return;
    this.pricing = true;
    this.error = null;
    try {
      const replay = await this.replay(name);
      // Yield once so the page shows "pricing" before the main thread is busy.
      await new Promise((r) => setTimeout(r, 0));
      if (this.trace === name) this.runs = this.runs.map((r) => this.price(r, replay, name));
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.pricing = false;
    }
  }

  /** Opens a run's config in the lab; the address bar follows the lab's config. */
  open(run: SweepRun): void {
    if (this.lab.running) return;
    this.lab.config = structuredClone(run.config);
    this.lab.dismissLinkIssues();
  }

  /** Trains one configuration and reads its accuracy, energy and time; null when the run failed or stopped. */
  private async measure(base: ExperimentConfig, point: SweepPoint, trace: string): Promise<Omit<SweepRun, 'gCO2e' | 'jobHours' | 'intensity'> | null> {
    const config = configForPoint(base, point, trace, DEFAULT_PRICING_RULE.slackHours);
    // The run trains at once: its schedule is priced on the trace afterwards, not waited for.
    const summary = await this.lab.start({ config: { ...structuredClone(config), schedule: { ...config.schedule, mode: 'off' } } });
    if (!summary || summary.outcome !== 'finished') return null;
    const page = this.pageAddress();
    let compression = this.lab.compression.section();
    if (!compression && this.lab.runConfig) {
      await this.lab.compression.buildExport(this.lab.runConfig, () => this.lab.result(page));
      compression = this.lab.compression.section();
    }
    const result = this.lab.result(page);
    const kWh = result?.energy?.kWh ?? Number.NaN;
    return {
      point,
      label: pointLabel(point),
      config,
      link: serialiseLink(config),
      accuracy: compression?.accuracyAfter ?? summary.metrics.testAccuracy,
      kWh,
      trainingSeconds: summary.metrics.wallSeconds,
      ranOn: summary.backend.backend,
      sharedWith: null,
    };
  }

  private price(run: Omit<SweepRun, 'gCO2e' | 'jobHours' | 'intensity'>, replay: Replay, trace: string): SweepRun {
    const policy = run.config.schedule.mode === 'off' ? 'run-now' : run.config.schedule.policy;
    const referenceSeconds = this.runs[0]?.trainingSeconds ?? run.trainingSeconds;
    if (!Number.isFinite(run.kWh)) return { ...run, gCO2e: Number.NaN, jobHours: Number.NaN, intensity: Number.NaN };
    const priced = priceRun({ kWh: kilowattHours(run.kWh), trainingSeconds: seconds(run.trainingSeconds) }, seconds(referenceSeconds), replay, policy, DEFAULT_PRICING_RULE, (h) => {
      // Job lengths differ by timer noise; a cache per trace, policy and 0.01 h is exact enough.
      const key = `${trace}|${policy}|${h.toFixed(2)}`;
      let hit = this.intensities.get(key);
      if (!hit) {
        hit = policyIntensity(replay, policy, Number(h.toFixed(2)), DEFAULT_PRICING_RULE);
        this.intensities.set(key, hit);
      }
      return hit;
    });
    return { ...run, gCO2e: priced.gCO2e, jobHours: priced.jobHours, intensity: priced.intensity };
  }

  private replay(name: string): Promise<Replay> {
    let hit = this.replays.get(name);
    if (!hit) {
      hit = this.lab.traces.get(name).then((named) => createReplay(named.trace));
      hit.catch(() => this.replays.delete(name));
      this.replays.set(name, hit);
    }
    return hit;
  }
}

/** The values offered per setting, with labels, for the panel. */
export const SWEEP_CHOICES: readonly { dimension: SweepDimension; label: string; values: readonly { value: SweepValue<SweepDimension>; text: string }[] }[] = [
  { dimension: 'batchSize', label: 'Batch size', values: SWEEP_OPTIONS.batchSize.map((v) => ({ value: v, text: String(v) })) },
  { dimension: 'learningRate', label: 'Learning rate', values: SWEEP_OPTIONS.learningRate.map((v) => ({ value: v, text: String(v) })) },
  { dimension: 'hidden', label: 'Model size (hidden units)', values: SWEEP_OPTIONS.hidden.map((v) => ({ value: v, text: String(v) })) },
  { dimension: 'sparsity', label: 'Sparsity (pruning during training)', values: SWEEP_OPTIONS.sparsity.map((v) => ({ value: v, text: v === 0 ? '0 (dense)' : String(v) })) },
  { dimension: 'precision', label: 'Export precision', values: SWEEP_OPTIONS.precision.map((v) => ({ value: v, text: v })) },
  { dimension: 'backend', label: 'Backend (none ticked: the lab\'s setting)', values: SWEEP_OPTIONS.backend.map((v) => ({ value: v, text: v })) },
  { dimension: 'policy', label: 'Scheduling policy', values: SWEEP_OPTIONS.policy.map((v) => ({ value: v, text: v })) },
];
