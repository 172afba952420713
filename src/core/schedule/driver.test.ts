import { describe, expect, it } from 'vitest';
import { dutyCommand, pausedMsAt, startDutyCycle, tickDutyCycle, withDuty, type DutyCycle } from './driver';
import type { RunPhase } from '../train/types';

const tick = (now: number, phase: RunPhase, trainingSeconds = 0) => ({ now, phase, trainingSeconds });

describe('dutyCommand', () => {
  it('resumes a paused run inside the duty share and pauses a training one after it', () => {
    expect(dutyCommand(0.5, 0.2, 'paused')).toBe('resume');
    expect(dutyCommand(0.5, 0.7, 'training')).toBe('pause');
    expect(dutyCommand(0.5, 0.7, 'evaluating')).toBe('pause');
  });

  it('leaves a run alone that already does what the duty asks, and never touches a run that is not training or paused', () => {
    expect(dutyCommand(1, 0.99, 'training')).toBeNull();
    expect(dutyCommand(0, 0, 'paused')).toBeNull();
    expect(dutyCommand(0, 0.1, 'loading')).toBeNull();
    expect(dutyCommand(1, 0.1, 'finished')).toBeNull();
  });

  it('pauses for a whole interval at duty 0', () => {
    expect(dutyCommand(0, 0, 'training')).toBe('pause');
  });
});

describe('tickDutyCycle', () => {
  it('books each interval with the training done in it and starts the next one exactly an interval later', () => {
    let cycle: DutyCycle = startDutyCycle(1000, 100, 1);
    const inside = tickDutyCycle(cycle, tick(1050, 'training', 0.04));
    expect(inside.booked).toBeNull();
    expect(inside.command).toBeNull();
    // The tick comes late (at 1130): the interval of 1000-1100 is booked, the next starts at 1100.
    const end = tickDutyCycle(inside.cycle, tick(1130, 'training', 0.1));
    expect(end.booked).toEqual({ trainedSeconds: 0.1, start: 1000 });
    expect(end.cycle.intervalStart).toBe(1100);
    cycle = end.cycle;
    const second = tickDutyCycle(cycle, tick(1200, 'training', 0.25));
    expect(second.booked?.trainedSeconds).toBeCloseTo(0.15, 12);
    expect(second.booked?.start).toBe(1100);
  });

  it('applies the next decision from the interval that follows the booked one', () => {
    const cycle = startDutyCycle(0, 100, 1);
    const step = tickDutyCycle(cycle, tick(100, 'training', 1), () => 0);
    expect(step.cycle.duty).toBe(0);
    expect(step.command).toBe('pause');
  });

  it('carries the duty over when no next decision is given, and a later decision applies at once', () => {
    const cycle = startDutyCycle(0, 100, 0.5);
    const step = tickDutyCycle(cycle, tick(160, 'training'));
    expect(step.cycle.duty).toBe(0.5);
    expect(step.command).toBe('pause');
    expect(tickDutyCycle(withDuty(step.cycle, 1), tick(170, 'paused')).command).toBe('resume');
  });

  it('counts the time the run spends paused, a pause in progress included', () => {
    let cycle = startDutyCycle(0, 1000, 0);
    cycle = tickDutyCycle(cycle, tick(100, 'paused')).cycle;
    cycle = tickDutyCycle(cycle, tick(400, 'paused')).cycle;
    expect(pausedMsAt(cycle, 500)).toBe(400);
    cycle = tickDutyCycle(cycle, tick(600, 'training')).cycle;
    expect(cycle.pausedMs).toBe(500);
    expect(pausedMsAt(cycle, 5000)).toBe(500);
  });

  it('refuses an interval of no length', () => {
    expect(() => startDutyCycle(0, 0, 1)).toThrow(RangeError);
  });
});
