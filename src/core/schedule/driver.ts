/**
 * The duty-cycle driver shared by simulated and live schedules, as pure functions: the page calls
 * `tickDutyCycle` on a timer with the clock, the run's phase and its training seconds so far, and
 * gets back the command to send (resume, pause or nothing) and, at the end of each decision
 * interval, the interval's booked training. A decision's duty below 1 trains for that share of
 * each interval, then pauses for the rest.
 */
import type { RunPhase } from '../train/types';

export interface DutyCycle {
  /** Length of one decision interval on the driver's clock, in ms (a simulated hour at the replay rate; a live check interval). */
  readonly intervalMs: number;
  /** Clock time the current interval began, in ms. */
  readonly intervalStart: number;
  /** Share of each interval that trains, 0 to 1. */
  readonly duty: number;
  /** Training seconds the run had done when the interval began. */
  readonly trainedAtStart: number;
  /** Clock time the run was first seen paused in its current pause, or null while it is not paused. */
  readonly pausedSince: number | null;
  /** Clock ms the run has spent paused, pauses in progress excluded. */
  readonly pausedMs: number;
}

/** What the driver is told at each tick. */
export interface DutyTick {
  /** The driver's clock, in ms. */
  readonly now: number;
  readonly phase: RunPhase;
  /** Training seconds the run has done so far (its progress). */
  readonly trainingSeconds: number;
}

/** One interval that ended at this tick. */
export interface BookedInterval {
  /** Training seconds done in the interval. */
  readonly trainedSeconds: number;
  /** Clock time the interval began, in ms. */
  readonly start: number;
}

export interface DutyStep {
  readonly cycle: DutyCycle;
  /** What to tell the run: 'resume' a paused run, 'pause' a training one, or null. */
  readonly command: 'resume' | 'pause' | null;
  /** The interval that ended at this tick, or null within an interval. */
  readonly booked: BookedInterval | null;
}

/** A driver whose first interval starts at `now` with `duty`. */
export function startDutyCycle(now: number, intervalMs: number, duty: number, trainingSeconds = 0): DutyCycle {
  if (!(intervalMs > 0)) throw new RangeError(`a decision interval must be longer than 0 ms, got ${intervalMs}`);
  return { intervalMs, intervalStart: now, duty, trainedAtStart: trainingSeconds, pausedSince: null, pausedMs: 0 };
}

/** The same driver under a new decision, from now on. */
export const withDuty = (cycle: DutyCycle, duty: number): DutyCycle => ({ ...cycle, duty });

/**
 * One tick. When the current interval has ended, it is booked, the next one starts exactly one
 * interval later (so the clock does not drift), and `nextDuty` (given the booked interval) names
 * the duty of the interval that starts; without it the duty carries over.
 */
export function tickDutyCycle(cycle: DutyCycle, tick: DutyTick, nextDuty?: (booked: BookedInterval) => number): DutyStep {
  let next = trackPause(cycle, tick);
  let booked: BookedInterval | null = null;
  let within = (tick.now - next.intervalStart) / next.intervalMs;
  if (within >= 1) {
    booked = { trainedSeconds: tick.trainingSeconds - next.trainedAtStart, start: next.intervalStart };
    const intervalStart = next.intervalStart + next.intervalMs;
    next = { ...next, intervalStart, trainedAtStart: tick.trainingSeconds, duty: nextDuty ? nextDuty(booked) : next.duty };
    within = Math.max(0, (tick.now - intervalStart) / next.intervalMs);
  }
  return { cycle: next, command: dutyCommand(next.duty, within % 1, tick.phase), booked };
}

/** The command that keeps a run at `duty` at `within` (0 to 1) of an interval. */
export function dutyCommand(duty: number, within: number, phase: RunPhase): 'resume' | 'pause' | null {
  const shouldRun = duty > 0 && within < duty;
  if (shouldRun && phase === 'paused') return 'resume';
  if (!shouldRun && (phase === 'training' || phase === 'evaluating')) return 'pause';
  return null;
}

/** Clock ms the run has spent paused, counting a pause still in progress up to `now`. */
export const pausedMsAt = (cycle: DutyCycle, now: number): number => cycle.pausedMs + (cycle.pausedSince === null ? 0 : now - cycle.pausedSince);

function trackPause(cycle: DutyCycle, tick: DutyTick): DutyCycle {
  if (tick.phase === 'paused' && cycle.pausedSince === null) return { ...cycle, pausedSince: tick.now };
  if (tick.phase !== 'paused' && cycle.pausedSince !== null) return { ...cycle, pausedSince: null, pausedMs: cycle.pausedMs + (tick.now - cycle.pausedSince) };
  return cycle;
}
