import { describe, expect, it } from 'vitest';
import { distillationGradient, distillationLoss, logSoftmax, oneHot, softmax, type DistillationBatch } from './distill';

describe('softmax', () => {
  it('gives rows that sum to 1, flatter at higher temperature', () => {
    const logits = Float32Array.of(1, 2, 3, -1, 0, 1);
    const p1 = softmax(logits, 3);
    const p4 = softmax(logits, 3, 4);
    expect(p1[0]! + p1[1]! + p1[2]!).toBeCloseTo(1, 12);
    expect(p1[3]! + p1[4]! + p1[5]!).toBeCloseTo(1, 12);
    expect(p4[2]! - p4[0]!).toBeLessThan(p1[2]! - p1[0]!);
  });

  it('stays finite for very large logits', () => {
    const p = softmax(Float32Array.of(1000, 999, -1000), 3);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(p[2]).toBe(0);
    expect(Number.isFinite(logSoftmax(Float32Array.of(1000, -1000), 2)[1]!)).toBe(true);
  });
});

describe('distillationLoss', () => {
  // Teacher logits [2 ln 3, 0] at T = 2 give soft targets [3/4, 1/4]; student logits 0 give [1/2, 1/2].
  const batch: DistillationBatch = {
    studentLogits: Float32Array.of(0, 0),
    teacherLogits: Float32Array.of(2 * Math.log(3), 0),
    targets: oneHot([0], 2),
    numClasses: 2,
    temperature: 2,
    alpha: 0.1,
  };
  const kl = 0.75 * Math.log(0.75 / 0.5) + 0.25 * Math.log(0.25 / 0.5);

  it('is alpha * cross-entropy + (1 - alpha) * T^2 * KL(teacher || student)', () => {
    const loss = distillationLoss(batch);
    expect(loss.hard).toBeCloseTo(Math.log(2), 6);
    expect(loss.soft).toBeCloseTo(4 * kl, 6);
    expect(loss.total).toBeCloseTo(0.1 * Math.log(2) + 0.9 * 4 * kl, 6);
  });

  it('has no soft term when the student matches the teacher', () => {
    const same = { ...batch, studentLogits: batch.teacherLogits };
    expect(distillationLoss(same).soft).toBeCloseTo(0, 12);
  });

  it('averages over the batch', () => {
    const two = {
      ...batch,
      studentLogits: Float32Array.of(0, 0, 0, 0),
      teacherLogits: Float32Array.of(2 * Math.log(3), 0, 2 * Math.log(3), 0),
      targets: oneHot([0, 0], 2),
    };
    expect(distillationLoss(two).total).toBeCloseTo(distillationLoss(batch).total, 12);
  });

  it('reduces to plain cross-entropy at alpha 1 and to the soft term at alpha 0', () => {
    expect(distillationLoss({ ...batch, alpha: 1 }).total).toBeCloseTo(Math.log(2), 6);
    expect(distillationLoss({ ...batch, alpha: 0 }).total).toBeCloseTo(4 * kl, 6);
  });

  it('rejects mismatched lengths and bad parameters', () => {
    expect(() => distillationLoss({ ...batch, targets: new Float32Array(3) })).toThrow(RangeError);
    expect(() => distillationLoss({ ...batch, temperature: 0 })).toThrow(RangeError);
    expect(() => distillationLoss({ ...batch, alpha: 1.5 })).toThrow(RangeError);
    expect(() => distillationLoss({ ...batch, numClasses: 3 })).toThrow(RangeError);
  });
});

describe('distillationGradient', () => {
  it('matches central differences of the loss', () => {
    // Logits on a 1/16 grid so that +-h (a power of two) is exact in float32.
    const batch: DistillationBatch = {
      studentLogits: Float32Array.of(0.5, -1.25, 2, 0.0625, 1, -0.5, 3, 0, -2),
      teacherLogits: Float32Array.of(1, 0.25, -1, 2.5, -0.75, 0.125, 0, 1.5, -1),
      targets: oneHot([2, 0, 1], 3),
      numClasses: 3,
      temperature: 3,
      alpha: 0.3,
    };
    const grad = distillationGradient(batch);
    const h = 2 ** -10;
    for (let i = 0; i < batch.studentLogits.length; i++) {
      const plus = Float32Array.from(batch.studentLogits);
      const minus = Float32Array.from(batch.studentLogits);
      plus[i]! += h;
      minus[i]! -= h;
      const numeric = (distillationLoss({ ...batch, studentLogits: plus }).total - distillationLoss({ ...batch, studentLogits: minus }).total) / (2 * h);
      expect(grad[i]).toBeCloseTo(numeric, 6);
    }
  });
});

describe('oneHot', () => {
  it('sets one 1 per row and rejects labels out of range', () => {
    expect([...oneHot([2, 0], 3)]).toEqual([0, 0, 1, 1, 0, 0]);
    expect(() => oneHot([3], 3)).toThrow(RangeError);
  });
});
