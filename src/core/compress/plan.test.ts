import { describe, expect, it } from 'vitest';
import { budgetEntry, budgetPassed, budgetSparsityFor, energyPer1000InferencesWh, pruningScheduleFor, runCsv, type CompressSettings } from './plan';
import { polynomialDecay, pruningAt } from './schedule';

const settings: CompressSettings = {
  pruning: 'on', initialSparsity: 0, finalSparsity: 0.8, beginEpoch: 0, endEpoch: 1, frequency: 25, budgetWh: 0, onBudget: 'prune', budgetSparsity: 0.9,
};

describe('pruningScheduleFor', () => {
  it('is null when pruning is off', () => {
    expect(pruningScheduleFor({ ...settings, pruning: 'off' }, 125, 2)).toBeNull();
  });

  it('turns epochs into steps and ends on an update step, so the final sparsity is reached', () => {
    const s = pruningScheduleFor(settings, 125, 2);
    expect(s).toMatchObject({ beginStep: 0, endStep: 125, frequency: 25, power: 3 });
    expect(pruningAt(polynomialDecay(s!), 125)).toEqual({ shouldPrune: true, sparsity: 0.8 });
  });

  it('clamps the end to the last step of the run', () => {
    const s = pruningScheduleFor({ ...settings, endEpoch: 10, frequency: 10 }, 50, 2);
    expect(s?.endStep).toBe(90);
    expect(s!.endStep).toBeLessThanOrEqual(99);
  });
});

describe('the energy budget', () => {
  it('is passed once, the first time the energy exceeds it', () => {
    expect(budgetPassed(0.5, 1, false)).toBe(false);
    expect(budgetPassed(1.2, 1, false)).toBe(true);
    expect(budgetPassed(1.5, 1, true)).toBe(false);
  });

  it('means no budget at 0 Wh', () => {
    expect(budgetPassed(100, 0, false)).toBe(false);
  });

  it('never lowers the sparsity the schedule already aims for', () => {
    expect(budgetSparsityFor({ ...settings, finalSparsity: 0.95 })).toBe(0.95);
    expect(budgetSparsityFor({ ...settings, pruning: 'off', finalSparsity: 0.95 })).toBe(0.9);
  });

  it('logs what was done and why', () => {
    const entry = budgetEntry({ ...settings, budgetWh: 2 }, 2.5, 40, 1000);
    expect(entry).toMatchObject({ time: 1000, step: 40 });
    expect(entry.what).toContain('90 %');
    expect(entry.why).toContain('2.50 Wh) passed the budget of 2 Wh');
    expect(budgetEntry({ ...settings, budgetWh: 2, onBudget: 'student' }, 2.5, 40, 1000).what).toContain('student');
  });
});

describe('energyPer1000InferencesWh', () => {
  it('is time x power x PUE in watt-hours', () => {
    // 36 ms at 100 W, PUE 1.5: 0.036 s * 150 W = 5.4 J = 0.0015 Wh.
    expect(energyPer1000InferencesWh(36, 100, 1.5)).toBeCloseTo(0.0015, 12);
  });

  it('rejects a PUE below 1 or negative inputs', () => {
    expect(() => energyPer1000InferencesWh(1, 10, 0.5)).toThrow(RangeError);
    expect(() => energyPer1000InferencesWh(-1, 10)).toThrow(RangeError);
  });
});

describe('runCsv', () => {
  it('writes one row per epoch and leaves unknown energy empty', () => {
    const csv = runCsv([{ epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, testLoss: 0.6, testAccuracy: 0.75, kWh: 1e-6, gCO2e: null }]);
    expect(csv).toBe('epoch,train_loss,train_accuracy,test_loss,test_accuracy,kwh,gco2e\n1,0.5,0.8,0.6,0.75,0.000001,\n');
  });
});
