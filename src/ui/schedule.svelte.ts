/**
 * Carbon-aware scheduling in simulated time, for a class: a recorded trace is replayed at an
 * accelerated rate (one simulated hour per second by default), the chosen policy decides each
 * simulated hour whether training runs, and the lab really pauses and resumes the worker. Training
 * runs at full speed; its measured work is booked at the simulated hour it happened in.
 */
import { describeScheduledRun, ScheduledRun, type ScheduleComparison, type ScheduledRunProgress, type ScheduledStep } from '../core/schedule/classroom';
import type { Decision, Policy } from '../core/schedule/policy';
import { createThresholdPolicy } from '../core/schedule/threshold';
import { liveContext, liveResumePlan, liveWindow, readSavedLiveSchedule, type SavedLiveSchedule } from '../core/schedule/live';
import type { ExperimentConfig } from '../core/config/schema';
import { fraction, gramsPerKWh, joulesFromPower, kWhFromJoules, milliseconds, seconds, watts as asWatts, type Watts } from '../core/units';
import type { RunSummary } from '../core/train/types';
import type { ScheduleSection } from '../core/result';
import { POLICIES } from '../core/schedule/registry';
import { createReplay, type Replay } from '../core/schedule/simulate';
import { pausedMsAt, startDutyCycle, tickDutyCycle, withDuty, type DutyCycle } from '../core/schedule/driver';
import { BUNDLED_TRACES as BUNDLED } from '../core/footprint/source';
import { UPLOADED_TRACE } from '../core/trace/library';
import type { ReplaySegment } from '../core/carbon/providers/replay';
import { formatUtcMinute } from './format';
import type { Lab } from './lab.svelte';
import type { TraceShelf } from './traces.svelte';

const HOUR_MS = 3_600_000;
/** Names of the bundled traces (public/traces), real 2022 hourly data of US grids (see its LICENSE file). */
export const BUNDLED_TRACES: readonly string[] = BUNDLED.map((t) => t.name);
/** Throughput assumed if a run ends before measuring its own, in samples per second. */
const FIRST_GUESS_SAMPLES_PER_SECOND = 500;
/** Power assumed when no energy estimate is available yet (a laptop under load). */
export const DEFAULT_WATTS: Watts = asWatts(30);

/** Seconds between a live schedule's decisions: grid data changes every 30 to 60 minutes. */
export const LIVE_CHECK_SECONDS = 60;

/** The policy a config's schedule settings describe (threshold with its own limit). */
export function policyFor(settings: ExperimentConfig['schedule']): Policy {
  if (settings.policy !== 'threshold') return POLICIES[settings.policy];
  return createThresholdPolicy(
    settings.thresholdKind === 'absolute' ? { kind: 'absolute', limit: gramsPerKWh(settings.threshold) } : { kind: 'percentile', percentile: settings.threshold },
  );
}

/** Wall ms between two saves of a simulated schedule's state while nothing else changes (its clock moves). */
const SAVE_EVERY_MS = 1000;

/**
 * A simulated schedule's state, saved beside its run's checkpoint so a reload continues it where
 * it was: the deadline, the decisions so far, the decision in force, the paused time and where
 * the replay clock stood within the current simulated step.
 */
export interface SavedSimulatedSchedule extends ScheduledRunProgress {
  readonly kind: 'simulated';
  readonly trace: string;
  readonly startIndex: number;
  readonly decision: Decision;
  /** Wall ms into the current simulated step, and training seconds done in it, when saved. */
  readonly intoStepMs: number;
  readonly trainedInStep: number;
  /** Wall ms the run has spent paused so far. */
  readonly pausedMs: number;
  readonly replayed: string;
  /**
   * The replay clock's stretches so far, one per tab that drove the run (wall ms since the epoch
   * onto trace ms), so a continued run still prices the steps trained before a reload at the
   * hours they trained in. Absent in states saved before it was kept: the earlier steps are then
   * priced on the continued clock.
   */
  readonly stretches?: readonly ReplaySegment[];
}

/** A stored value as a simulated schedule's state, or null when it is not one (it is then not used). */
export function readSavedSchedule(value: unknown): SavedSimulatedSchedule | null {
  const v = value as Partial<SavedSimulatedSchedule> | null;
  const numbers = [v?.startIndex, v?.deadlineIndex, v?.workDone, v?.intoStepMs, v?.trainedInStep, v?.pausedMs];
  if (v === null || typeof v !== 'object' || v.kind !== 'simulated' || typeof v.trace !== 'string') return null;
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n)) || !Array.isArray(v.steps)) return null;
  if (typeof v.decision?.duty !== 'number' || typeof v.replayed !== 'string') return null;
  return { ...(v as SavedSimulatedSchedule), stretches: readStretches(v.stretches) };
}

/** Stored clock stretches, keeping those that can be read (a stretch that cannot is left out). */
function readStretches(value: unknown): ReplaySegment[] {
  if (!Array.isArray(value)) return [];
  return value.filter((s: Partial<ReplaySegment> | null): s is ReplaySegment => Number.isFinite(s?.wallStartMs) && Number.isFinite(s?.traceStartMs));
}

/** Runs training under a schedule; the settings live in the experiment config (`schedule`). */
export class ScheduleSession {
  /** Whether the simulated schedule replays the page's uploaded trace instead of a bundled one. Not in links. */
  useUpload = $state(false);

  status = $state('');
  error = $state<string | null>(null);
  steps = $state.raw<readonly ScheduledStep[]>([]);
  comparison = $state.raw<ScheduleComparison | null>(null);
  current = $state.raw<Decision | null>(null);
  /** Intensity of the window shown on the timeline, from submission to the deadline. */
  window = $state.raw<{ time: number[]; actual: number[]; deadline: number; forecastFrom: number; forecast: number[] } | null>(null);
  active = $state(false);

  /** Whether the schedule shown is a live one (no oracle to compare with). */
  get isLive(): boolean {
    return this.live;
  }

  /** Label of the policy of the run shown. */
  policyLabel = $state('');
  private policyLabelId: ScheduleSection['policy'] = 'run-now';
  /** Length of one decision step in hours (an hour of a trace; a check interval when live). */
  stepHours = $state(1);
  readonly account = $derived(describeScheduledRun(this.policyLabel, this.steps, this.comparison, this.stepHours));

  private run: ScheduledRun | null = null;
  private replay: Replay | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private watts: () => Watts = () => DEFAULT_WATTS;
  /** The duty-cycle driver of the run in progress (src/core/schedule/driver.ts). */
  private cycle: DutyCycle | null = null;
  private decision: Decision | null = null;
  private rate = 1;
  /** What the simulated run replays (the trace's import note and start), kept for the final status. */
  private replayed = '';
  /** Trace name and start index of the simulated run, and when its state was last saved (wall ms). */
  private traceShown = '';
  private startIndex = 0;
  private lastSave = 0;
  /** The replay clock's stretches before this tab's, and this tab's own (see `SavedSimulatedSchedule.stretches`). */
  private stretches: readonly ReplaySegment[] = [];
  private stretch: ReplaySegment | null = null;
  /** Live mode: decisions so far and wall-clock paused time. */
  private live = $state(false);
  private liveSteps: ScheduledStep[] = [];
  private livePausedMs = 0;
  /** Live mode: when the job is due and when the grid was last asked (ms since the Unix epoch). */
  private liveDeadline = 0;
  private lastCheckAt: number | null = null;

  constructor(private readonly traces: TraceShelf) {}

  /** The trace a simulated schedule with these settings replays: the upload when chosen, else the bundled one. */
  traceName(settings: ExperimentConfig['schedule']): string {
    return this.useUpload && this.traces.uploaded ? UPLOADED_TRACE : settings.trace;
  }

  /**
   * Loads the trace and runs the lab's experiment under its schedule settings; resolves when the
   * run has ended (with the lab's summary, or null if it failed or could not start).
   */
  async begin(lab: Lab, watts: () => Watts = () => DEFAULT_WATTS): Promise<RunSummary | null> {
    this.resetView(watts);
    const generation = this.generation;
    const settings = lab.config.schedule;
    // Live runs are priced by the energy panel on the real clock; no watts needed here.
    if (settings.mode === 'live') return this.beginLive(lab);
    const policy = policyFor(settings);
    this.policyLabel = policy.label;
    this.rate = settings.rate;
    let run: Promise<RunSummary | null>;
    try {
      const parsed = await this.traces.get(this.traceName(settings));
      if (generation !== this.generation) return null;
      const replay = createReplay(parsed.trace, { horizon: 48 });
      const t0 = Date.parse(`${settings.start}Z`);
      const first = replay.trace.points[0]?.time ?? 0;
      const startIndex = Math.floor((t0 - first) / replay.stepMs);
      if (!Number.isFinite(t0) || startIndex < 0 || startIndex >= replay.values.length - 1) {
        throw new Error(
          `The start ${settings.start} is outside the trace (${formatUtcMinute(first)} to ${formatUtcMinute(first + replay.values.length * replay.stepMs)}); nothing was trained.`,
        );
      }
      this.replay = replay;
      this.traceShown = this.traceName(settings);
      this.startIndex = startIndex;
      this.replayed = `${parsed.note} Replayed from ${settings.start} UTC.`;
      this.active = true;
      this.status = 'Measuring this device’s training speed for the estimate…';
      // The simulated clock starts with the run (the energy panel's replay starts then too).
      const clockStart = performance.now();
      this.stretches = [];
      this.stretch = { wallStartMs: Date.now(), traceStartMs: t0 };
      run = lab.start();
      // Throughput is measured on the first readback (a fraction of a second) unless an earlier
      // run on this page measured it; the estimate sets the deadline, so a guess would move it.
      await this.calibrated(lab, run);
      if (generation !== this.generation) return run;
      const estimate = this.remainingSteps(lab, lab.runConfig ?? lab.config);
      this.run = new ScheduledRun({ replay, policy, startIndex, estimatedSteps: estimate, slackSteps: Math.round((settings.slackHours * HOUR_MS) / replay.stepMs) });
      this.status = `${parsed.note} Replaying from ${settings.start} UTC at ${settings.rate} simulated hour(s) per second; the job is estimated at ${Math.round(estimate * 10) / 10} hour(s) of training, due within ${settings.slackHours} hour(s) after that.`;
      this.drive(lab, clockStart);
    } catch (error) {
      this.error = (error as Error).message;
      this.active = false;
      return null;
    }
    const summary = await run;
    if (generation === this.generation) this.finish(lab);
    else if (this.run) this.comparison = this.run.compare();
    return summary;
  }

  /** Forgets the run shown and stops driving, before a new scheduled run (or a continued one). */
  private resetView(watts: () => Watts): void {
    this.forgetShown();
    this.watts = watts;
    this.livePausedMs = 0;
    this.replayed = '';
    this.rate = 1;
    this.stepHours = 1;
  }

  /** Stops driving and forgets the steps, account and decision shown. */
  private forgetShown(): void {
    this.stop();
    this.error = null;
    this.steps = [];
    this.comparison = null;
    this.current = null;
    this.window = null;
    this.live = false;
    this.liveSteps = [];
    this.lastCheckAt = null;
  }

  /**
   * Continues a saved run under the simulated schedule it was saved with: the same deadline,
   * decisions, paused time and replay clock (so steps are priced at the hours they train in).
   * A state that cannot be read, or whose trace is gone, continues the run unscheduled and says so.
   */
  async resumeSaved(lab: Lab, runId: string, value: unknown, watts: () => Watts = () => DEFAULT_WATTS): Promise<RunSummary | null> {
    this.resetView(watts);
    const live = readSavedLiveSchedule(value);
    if (live) return this.resumeLive(lab, runId, live);
    const generation = this.generation;
    const saved = readSavedSchedule(value);
    const settings = lab.savedRuns.find((e) => e.runId === runId)?.info?.config.schedule;
    let replay: Replay;
    try {
      if (!saved || !settings) throw new Error(value === null ? 'its state was not saved' : 'its state could not be read');
      replay = createReplay((await this.traces.get(saved.trace)).trace, { horizon: 48 });
      if (saved.startIndex + saved.steps.length >= replay.values.length) throw new Error(`it had reached the end of the trace ${saved.trace}`);
    } catch (error) {
      if (generation !== this.generation) return null;
      const summary = lab.start({ continueSaved: runId });
      this.error = `The saved schedule could not be continued (${(error as Error).message}); the run continues unscheduled.`;
      return summary;
    }
    if (generation !== this.generation) return null;
    const policy = policyFor(settings);
    this.policyLabel = policy.label;
    this.rate = settings.rate;
    this.replay = replay;
    this.traceShown = saved.trace;
    this.startIndex = saved.startIndex;
    this.replayed = saved.replayed;
    this.run = new ScheduledRun({ replay, policy, startIndex: saved.startIndex, estimatedSteps: 0, slackSteps: 0, resume: saved });
    this.active = true;
    const first = replay.trace.points[0]?.time ?? 0;
    const clockMs = first + this.run.index * replay.stepMs + saved.intoStepMs * this.rate * 3600;
    this.status = `Continuing the schedule at ${formatUtcMinute(clockMs)} UTC (simulated), where it was; due by ${formatUtcMinute(first + this.run.deadlineIndex * replay.stepMs)} UTC.`;
    this.stretches = saved.stretches ?? [];
    this.stretch = { wallStartMs: Date.now(), traceStartMs: clockMs };
    const run = lab.start({ continueSaved: runId, replay: { fromMs: clockMs, earlier: this.stretches } });
    // A run saved paused comes back paused, maybe before any step: its driver must start anyway.
    await this.calibrated(lab, run, true);
    if (generation !== this.generation) return run;
    this.decision = saved.decision;
    this.current = saved.decision;
    this.steps = [...this.run.steps];
    this.comparison = this.run.compare();
    this.updateWindow();
    const now = performance.now();
    const trained = lab.progress?.trainingSeconds ?? 0;
    this.cycle = { intervalMs: this.wallStepMs(), intervalStart: now - saved.intoStepMs, duty: saved.decision.duty, trainedAtStart: trained - Math.min(saved.trainedInStep, trained), pausedSince: null, pausedMs: saved.pausedMs };
    this.timer = setInterval(() => this.simulatedTick(lab), Math.max(20, Math.min(250, this.wallStepMs() / 10)));
    const summary = await run;
    if (generation === this.generation) this.finish(lab);
    return summary;
  }

  /** The schedule's state now, for `resumeSaved`; null while none is driving. */
  private snapshot(lab: Lab, now: number): SavedSimulatedSchedule | SavedLiveSchedule | null {
    if (!this.live) return this.simulatedSnapshot(lab, now);
    if (!this.cycle) return null;
    return { kind: 'live', deadline: this.liveDeadline, steps: this.liveSteps, decision: this.current, pausedMs: pausedMsAt(this.cycle, now), lastCheckAt: this.lastCheckAt };
  }

  private simulatedSnapshot(lab: Lab, now: number): SavedSimulatedSchedule | null {
    const { run, cycle, decision } = this;
    if (!run || !cycle || !decision) return null;
    const trained = (lab.progress?.trainingSeconds ?? 0) - cycle.trainedAtStart;
    return {
      kind: 'simulated', trace: this.traceShown, startIndex: this.startIndex, ...run.progress(), decision,
      intoStepMs: now - cycle.intervalStart, trainedInStep: Math.max(0, trained), pausedMs: pausedMsAt(cycle, now), replayed: this.replayed,
      stretches: this.stretch ? [...this.stretches, this.stretch] : this.stretches,
    };
  }

  /** Saves the schedule's state beside the run's checkpoint: at once, or when the last save is a while ago. */
  private save(lab: Lab, now: number, force: boolean): void {
    if (!force && now - this.lastSave < SAVE_EVERY_MS) return;
    const state = this.snapshot(lab, now);
    if (!state) return;
    this.lastSave = now;
    lab.saveScheduleState(state);
  }

  /**
   * Live mode: the run's own carbon source (the energy panel's choice) gives the intensity now and
   * its forecast; the policy decides every LIVE_CHECK_SECONDS, on the wall clock, whether training
   * runs. A run that pauses for hours keeps its checkpoint, so closing the tab loses nothing.
   */
  private async beginLive(lab: Lab): Promise<RunSummary | null> {
    const settings = lab.config.schedule;
    const policy = policyFor(settings);
    if (policy.evaluationOnly) {
      this.error = `${policy.label} needs the future of the grid, which a live run cannot know; choose another policy. Nothing was trained.`;
      return null;
    }
    this.showLive(policy);
    this.active = true;
    this.status = 'Measuring this device’s training speed for the estimate…';
    const generation = this.generation;
    const run = lab.start();
    await this.calibrated(lab, run);
    if (generation !== this.generation) return run;
    this.liveDeadline = Date.now() + this.remainingWallSeconds(lab, lab.runConfig ?? lab.config) * 1000 + settings.slackHours * HOUR_MS;
    this.status = `Live: deciding every ${LIVE_CHECK_SECONDS} s from the grid's intensity and forecast; the job is due by ${formatUtcMinute(this.liveDeadline)} UTC.`;
    await this.driveLive(lab, policy, null);
    return this.endLive(lab, run);
  }

  /** Shows a live schedule under a policy (a check interval is one decision step). */
  private showLive(policy: Policy): void {
    this.policyLabel = policy.label;
    this.policyLabelId = policy.id;
    this.stepHours = LIVE_CHECK_SECONDS / 3600;
    this.live = true;
  }

  /**
   * Starts the live driver. A new schedule checks at once; a continued one (`resumed`) keeps the
   * decision in force and its paused time until its next check is due.
   */
  private async driveLive(lab: Lab, policy: Policy, resumed: { readonly sinceCheckMs: number; readonly duty: number; readonly pausedMs: number } | null): Promise<void> {
    const remainingMs = () => this.remainingWallSeconds(lab, lab.runConfig ?? lab.config) * 1000;
    const check = this.liveCheck(lab, policy, remainingMs);
    const intervalMs = LIVE_CHECK_SECONDS * 1000;
    const now = performance.now();
    if (resumed) {
      this.cycle = { ...startDutyCycle(now - resumed.sinceCheckMs, intervalMs, resumed.duty, lab.progress?.trainingSeconds ?? 0), pausedMs: resumed.pausedMs };
    } else {
      this.cycle = startDutyCycle(now, intervalMs, 1);
      await check();
    }
    this.timer = setInterval(() => this.liveTick(lab, check), 250);
    this.save(lab, performance.now(), true);
  }

  /** Waits for a live run's end and says how it ended. */
  private async endLive(lab: Lab, run: Promise<RunSummary | null>): Promise<RunSummary | null> {
    const summary = await run;
    // Cleared by a Reset meanwhile: nothing of this run is shown any more.
    if (!this.live) return summary;
    this.stopLive();
    const outcome = lab.summary?.outcome ?? lab.phase;
    this.status = outcome === 'finished' ? 'The run finished.' : `The run ended (${outcome}).`;
    return summary;
  }

  /**
   * Continues a saved run under the live schedule it was saved with: the same deadline, decisions
   * and paused time, the decision in force holding (a paused run stays paused) until the next check
   * is due. Past its deadline the run finishes at once, unscheduled, and says so.
   */
  private async resumeLive(lab: Lab, runId: string, saved: SavedLiveSchedule): Promise<RunSummary | null> {
    const settings = lab.savedRuns.find((e) => e.runId === runId)?.info?.config.schedule;
    const policy = settings ? policyFor(settings) : null;
    if (!policy || policy.evaluationOnly) {
      this.error = 'The saved live schedule could not be continued (its settings could not be read); the run continues unscheduled.';
      return lab.start({ continueSaved: runId });
    }
    this.showLive(policy);
    this.liveSteps = [...saved.steps];
    this.steps = this.liveSteps;
    this.current = saved.decision;
    this.liveDeadline = saved.deadline;
    this.lastCheckAt = saved.lastCheckAt;
    this.livePausedMs = saved.pausedMs;
    if (saved.steps.length > 0) this.window = liveWindow(this.liveSteps, { now: Date.now(), stepMs: HOUR_MS, forecast: [] }, saved.deadline);
    const plan = liveResumePlan(saved, Date.now(), LIVE_CHECK_SECONDS * 1000);
    const generation = this.generation;
    const due = formatUtcMinute(saved.deadline);
    this.active = true;
    if (plan.kind === 'deadline-passed') {
      this.status = `The job was due by ${due} UTC, which passed while the run waited; it finishes now, without pausing again.`;
      this.current = { duty: fraction(1), kind: 'deadline', reason: 'The deadline has passed, so training runs to the end now.' };
      const run = lab.start({ continueSaved: runId });
      // No more checks: a driver at full duty resumes the run (saved paused) and keeps it training.
      this.cycle = { ...startDutyCycle(performance.now(), LIVE_CHECK_SECONDS * 1000, 1), pausedMs: saved.pausedMs };
      this.timer = setInterval(() => this.liveTick(lab, () => Promise.resolve()), 250);
      return this.endLive(lab, run);
    }
    const next = Math.max(0, Math.round((LIVE_CHECK_SECONDS * 1000 - plan.sinceCheckMs) / 1000));
    const holding = saved.decision ? (saved.decision.duty > 0 ? 'training' : 'paused') : 'training';
    this.status = `Live: continuing the saved schedule, ${holding} as decided until the next decision in ${next} s; the job is due by ${due} UTC.`;
    const run = lab.start({ continueSaved: runId });
    // A run saved paused comes back paused, maybe before any step: its driver must start anyway.
    await this.calibrated(lab, run, true);
    if (generation !== this.generation) return run;
    await this.driveLive(lab, policy, { sinceCheckMs: plan.sinceCheckMs, duty: saved.decision?.duty ?? 1, pausedMs: saved.pausedMs });
    return this.endLive(lab, run);
  }

  /** One tick of the live driver: a check at the end of each interval, and the duty in between. */
  private liveTick(lab: Lab, check: () => Promise<void>): void {
    if (!this.cycle) return;
    if (ScheduleSession.trainingOver(lab)) {
      this.stopLive();
      return;
    }
    const step = tickDutyCycle(this.cycle, { now: performance.now(), phase: lab.phase, trainingSeconds: lab.progress?.trainingSeconds ?? 0 });
    this.cycle = step.cycle;
    if (step.booked) void check();
    this.command(lab, step.command);
    this.save(lab, performance.now(), step.command !== null);
  }

  /** Stops the live driver and keeps the time the run spent paused. */
  private stopLive(): void {
    if (this.cycle) this.livePausedMs = pausedMsAt(this.cycle, performance.now());
    this.stop();
  }

  /**
   * The live check: reads the grid's intensity and forecast and lets the policy decide. Counted
   * from the start of the check (the driver's interval), so a slow or failing provider is asked
   * once an interval; a check still running when the next is due is not repeated.
   */
  private liveCheck(lab: Lab, policy: Policy, remainingMs: () => number): () => Promise<void> {
    let checking = false;
    return async () => {
      if (!this.active || checking) return;
      checking = true;
      this.lastCheckAt = Date.now();
      const deadline = this.liveDeadline;
      try {
        const outlook = await lab.footprint.outlook();
        if (!this.active || !outlook) return;
        const started = (lab.progress?.stepsDone ?? 0) > 0;
        // The intensities of the decisions so far (those before a reload too) are the policy's past.
        const past = this.liveSteps.map((s) => s.intensity);
        const d = policy.decide(liveContext({ ...outlook, past, remainingWork: milliseconds(remainingMs()), deadline, interruptible: true, started }));
        this.current = d;
        if (this.cycle) this.cycle = withDuty(this.cycle, d.duty);
        this.liveSteps = [...this.liveSteps, { time: outlook.now, intensity: outlook.current, forecastNext: outlook.forecast[0] ?? Number.NaN, decision: d, kWh: 0, gCO2e: 0, index: this.liveSteps.length }];
        this.steps = this.liveSteps;
        this.window = liveWindow(this.liveSteps, outlook, deadline);
        this.status = `Live from ${outlook.label}${outlook.usedFallback ? ' (fallback)' : ''}; next decision in ${LIVE_CHECK_SECONDS} s; due by ${formatUtcMinute(deadline)} UTC.`;
        this.save(lab, performance.now(), true);
      } catch (error) {
        this.error = `The live schedule could not read the grid (${(error as Error).message}); training runs unscheduled until the next check.`;
        if (this.cycle) this.cycle = withDuty(this.cycle, 1);
      } finally {
        checking = false;
      }
    };
  }

  /** Sends the driver's command to the lab. */
  private command(lab: Lab, command: 'resume' | 'pause' | null): void {
    if (command === 'resume') lab.resume();
    if (command === 'pause') lab.pause();
  }

  /** Resolves once the run has measured its throughput (or, with `orPaused`, shows paused), or has ended. */
  private calibrated(lab: Lab, run: Promise<unknown>, orPaused = false): Promise<void> {
    return new Promise((resolve) => {
      let done = false;
      void run.finally(() => {
        done = true;
        resolve();
      });
      const poll = setInterval(() => {
        if (done || (lab.progress && lab.progress.samplesPerSecond > 0) || (orPaused && lab.phase === 'paused')) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
  }

  /** The `schedule` section of the result file, or null when no scheduled run was shown. */
  resultSection(): ScheduleSection | null {
    if (this.live) {
      // The future of a live grid is unknown, so there is no oracle to compare with.
      return { policy: this.policyLabelId, simulated: false, pausedSeconds: this.livePausedMs / 1000, savingVsRunNow: null, shareOfOracle: null };
    }
    if (!this.run) return null;
    const pausedSteps = this.run.totals().pausedSteps;
    return {
      policy: this.run.policyId as ScheduleSection['policy'],
      simulated: true,
      // Simulated seconds spent paused, on the trace's clock.
      pausedSeconds: (pausedSteps * (this.replay?.stepMs ?? HOUR_MS)) / 1000,
      savingVsRunNow: this.comparison?.savingVsRunNow ?? null,
      shareOfOracle: this.comparison?.shareOfOracle ?? null,
    };
  }

  /** Forgets the scheduled run shown (a new unscheduled run starts). */
  clear(): void {
    this.forgetShown();
    this.run = null;
    this.replay = null;
    this.stretches = [];
    this.stretch = null;
    this.status = '';
  }

  /** Stops driving the lab (the run itself is stopped by the lab's own controls). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.active = false;
    // A begin() still awaiting (loading a trace, calibrating) sees this and gives up.
    this.generation++;
  }

  private generation = 0;

  /** Whether the run a driver was started for has finished training (its compression may go on). */
  private static trainingOver(lab: Lab): boolean {
    return lab.summary !== null || lab.phase === 'failed' || lab.phase === 'idle';
  }

  /** Wall-clock seconds of training left at the measured (or first-guess) throughput. */
  private remainingWallSeconds(lab: Lab, config: { train: { batchSize: number; epochs: number } }): number {
    const p = lab.progress;
    const sps = p && p.samplesPerSecond > 0 ? p.samplesPerSecond : FIRST_GUESS_SAMPLES_PER_SECOND;
    // Counted in examples, so a batch size changed mid-run (by the framework) does not skew it.
    const left = p ? p.totalExamples - p.examplesDone : (lab.data?.trainExamples ?? 8000) * config.train.epochs;
    return Math.max(0, left) / sps;
  }

  /** Work left in trace steps: the remaining training time on the simulated clock. */
  private remainingSteps(lab: Lab, config: { train: { batchSize: number; epochs: number } }): number {
    const simMs = this.remainingWallSeconds(lab, config) * this.rate * HOUR_MS;
    return simMs / (this.replay?.stepMs ?? HOUR_MS);
  }

  private wallStepMs(): number {
    return ((this.replay?.stepMs ?? HOUR_MS) / HOUR_MS / this.rate) * 1000;
  }

  /** Books a finished simulated step with the training done in it. */
  private bookStep(trainedSeconds: number): void {
    const run = this.run;
    if (!run || !this.decision) return;
    const kWh = kWhFromJoules(joulesFromPower(this.watts(), seconds(trainedSeconds)));
    const work = (trainedSeconds * this.rate * HOUR_MS) / (this.replay?.stepMs ?? HOUR_MS);
    run.finishStep(this.decision, kWh, work);
    this.steps = [...run.steps];
    this.comparison = run.compare();
  }

  /** Drives the lab through the simulated hours: one decision per trace step, its duty in between. */
  private drive(lab: Lab, clockStart: number): void {
    const wallStepMs = this.wallStepMs();
    this.decision = this.decideNow(lab);
    this.cycle = startDutyCycle(clockStart, wallStepMs, this.decision.duty);
    this.timer = setInterval(() => this.simulatedTick(lab), Math.max(20, Math.min(250, wallStepMs / 10)));
    this.save(lab, performance.now(), true);
  }

  private simulatedTick(lab: Lab): void {
    const run = this.run;
    if (!run || !this.decision || !this.cycle) return;
    // Training is over (compression may still run): book the last, partial step and stop.
    if (ScheduleSession.trainingOver(lab)) {
      this.finish(lab);
      return;
    }
    let outOfTrace = false;
    const step = tickDutyCycle(this.cycle, { now: performance.now(), phase: lab.phase, trainingSeconds: lab.progress?.trainingSeconds ?? 0 }, (booked) => {
      this.bookStep(booked.trainedSeconds);
      outOfTrace = run.outOfTrace;
      if (outOfTrace) return 1;
      this.decision = this.decideNow(lab);
      return this.decision.duty;
    });
    this.cycle = step.cycle;
    if (outOfTrace) {
      this.error = 'The trace ended before the run did; the rest runs unscheduled.';
      lab.resume();
      this.stop();
      return;
    }
    this.command(lab, step.command);
    this.save(lab, performance.now(), step.booked !== null || step.command !== null);
  }

  private decideNow(lab: Lab): Decision {
    const run = this.run as ScheduledRun;
    const d = run.decide(this.remainingSteps(lab, lab.runConfig ?? lab.config));
    this.current = d;
    this.updateWindow();
    return d;
  }

  private updateWindow(): void {
    const run = this.run;
    const replay = this.replay;
    if (!run || !replay) return;
    const first = replay.trace.points[0]?.time ?? 0;
    const from = run.steps[0]?.index ?? run.index;
    const to = Math.min(replay.values.length, Math.max(run.deadlineIndex, run.index + 1) + 2);
    const time: number[] = [];
    const actual: number[] = [];
    for (let i = from; i < to; i++) {
      time.push((first + i * replay.stepMs) / 1000);
      // The recorded value of hours not yet reached is shown only as the forecast.
      actual.push(i <= run.index ? (replay.values[i] as number) : Number.NaN);
    }
    const forecast = Array.from(replay.forecastAt(run.index)).slice(0, Math.max(0, to - run.index - 1));
    this.window = { time, actual, deadline: (first + run.deadlineIndex * replay.stepMs) / 1000, forecastFrom: run.index + 1 - from, forecast };
  }

  private finish(lab: Lab): void {
    if (!this.run || !this.active) return;
    this.stop();
    if (this.cycle) this.bookStep((lab.progress?.trainingSeconds ?? 0) - this.cycle.trainedAtStart);
    this.comparison = this.run.compare();
    const outcome = lab.summary?.outcome ?? lab.phase;
    const ended = outcome === 'finished' ? 'The run finished; the account below is final.' : `The run ended (${outcome}); the account covers the work done.`;
    this.status = this.live ? ended : `${ended} ${this.replayed}`;
  }
}
