import { describe, expect, it } from 'vitest';
import { controllerDecision, scaledLearningRate, type ControllerSettings } from './controller';
import { mlpMacs, neuronEnergyWeights, penaltyCoefficient, scoreRun, stepObjective } from './objective';
import { dominates, paretoFront } from './pareto';

const W = { alpha: 1, beta: 0.5, gamma: 2 };

describe('the multi-objective loss', () => {
  it('scores a run with each term normalised by the reference', () => {
    const t = scoreRun({ accuracy: 0.9, kWh: 0.002, gCO2e: 0.3 }, W, { kWh: 0.004, gCO2e: 1.2 });
    expect(t.accuracy).toBeCloseTo(0.1, 12);
    expect(t.energy).toBeCloseTo(0.25, 12);
    expect(t.carbon).toBeCloseTo(0.5, 12);
    expect(t.total).toBeCloseTo(0.85, 12);
  });

  it('gives the baseline exactly beta + gamma for energy and carbon', () => {
    const t = scoreRun({ accuracy: 1, kWh: 3, gCO2e: 7 }, W, { kWh: 3, gCO2e: 7 });
    expect(t.energy + t.carbon).toBeCloseTo(W.beta + W.gamma, 12);
  });

  it('prices a step at the intensity of its moment', () => {
    const clean = stepObjective(0.5, 1e-6, 100, W, { stepKWh: 1e-6, intensity: 400 });
    const dirty = stepObjective(0.5, 1e-6, 800, W, { stepKWh: 1e-6, intensity: 400 });
    expect(clean.carbon).toBeCloseTo(0.5, 12);
    expect(dirty.carbon).toBeCloseTo(4, 12);
    expect(dirty.accuracy).toBe(clean.accuracy);
  });

  it('raises the compute penalty with the grid intensity', () => {
    expect(penaltyCoefficient(400, W, 400, 1e-3)).toBeCloseTo(1e-3 * 2.5, 15);
    expect(penaltyCoefficient(800, W, 400, 1e-3)).toBeCloseTo(1e-3 * 4.5, 15);
  });

  it('rejects a zero reference rather than dividing by it', () => {
    expect(() => scoreRun({ accuracy: 1, kWh: 1, gCO2e: 1 }, W, { kWh: 0, gCO2e: 1 })).toThrow(RangeError);
  });

  it('weights neurons by the multiply-accumulates they cause', () => {
    const [first, second] = neuronEnergyWeights([784, 128, 64, 10]);
    // 784 + 64 = 848 MACs per first-layer unit, 128 + 10 = 138 per second-layer unit.
    expect((first?.[0] as number) / (second?.[0] as number)).toBeCloseTo(848 / 138, 12);
    const all = [...(first ?? []), ...(second ?? [])];
    expect(all.reduce((a, b) => a + b, 0) / all.length).toBeCloseTo(1, 12);
    expect(mlpMacs([784, 128, 10])).toBe(784 * 128 + 128 * 10);
  });
});

describe('the Pareto front', () => {
  it('keeps exactly the runs no other run beats on both accuracy and carbon', () => {
    const points = [
      { accuracy: 0.9, cost: 10 }, // 0: front (cheapest at 0.9)
      { accuracy: 0.95, cost: 20 }, // 1: front
      { accuracy: 0.92, cost: 25 }, // 2: dominated by 1
      { accuracy: 0.85, cost: 5 }, // 3: front (cheapest)
      { accuracy: 0.9, cost: 12 }, // 4: dominated by 0
      { accuracy: 0.97, cost: 40 }, // 5: front (most accurate)
      { accuracy: 0.95, cost: 20 }, // 6: duplicate of a front point
      { accuracy: Number.NaN, cost: 1 }, // 7: a failed run
    ];
    expect(paretoFront(points)).toEqual([3, 0, 1, 6, 5]);
    expect(dominates(points[1] as never, points[2] as never)).toBe(true);
    expect(dominates(points[1] as never, points[6] as never)).toBe(false);
  });
});

describe('the controller', () => {
  const settings: ControllerSettings = {
    weights: W,
    refIntensity: 300,
    basePenalty: 1e-4,
    energyBudgetWh: 0.5,
    baseBatchSize: 32,
    maxBatchSize: 128,
    baseLearningRate: 0.01,
    optimizer: 'momentum',
  };

  it('follows a scripted day: dirty grid, plateau, budget passed, clean grid', () => {
    // Epoch 1: dirty grid -> bigger batches, learning rate scaled linearly.
    const d1 = controllerDecision(settings, { epoch: 1, intensity: 450, energyWh: 0.1, recentLosses: [0.9], batchSize: 32, learningRate: 0.01, compressed: false });
    expect(d1.batchSize).toBe(64);
    expect(d1.learningRate).toBeCloseTo(0.02, 12);
    expect(d1.compress).toBe(false);
    expect(d1.log.map((e) => e.what)).toContain('batch size 32 -> 64, learning rate 0.0100 -> 0.0200');

    // Epoch 2: still dirty but the loss plateaued: bigger batch again, then the plateau halves the rate.
    const d2 = controllerDecision(settings, { epoch: 2, intensity: 500, energyWh: 0.3, recentLosses: [0.5, 0.499], batchSize: 64, learningRate: 0.02, compressed: false });
    expect(d2.batchSize).toBe(128);
    expect(d2.learningRate).toBeCloseTo(0.02, 12);
    expect(d2.log.some((e) => e.why.includes('fell by less than 1%'))).toBe(true);

    // Epoch 3: the budget is passed: compression, once, with the reason.
    const d3 = controllerDecision(settings, { epoch: 3, intensity: 500, energyWh: 0.6, recentLosses: [0.499, 0.4], batchSize: 128, learningRate: 0.02, compressed: false });
    expect(d3.batchSize).toBe(128);
    expect(d3.compress).toBe(true);
    expect(d3.log.at(-1)?.why).toContain('past its budget of 0.5 Wh');
    const d3b = controllerDecision(settings, { epoch: 4, intensity: 500, energyWh: 0.7, recentLosses: [0.4, 0.3], batchSize: 128, learningRate: 0.02, compressed: true });
    expect(d3b.compress).toBe(false);

    // Epoch 5: clean grid: back towards the base batch size.
    const d4 = controllerDecision(settings, { epoch: 5, intensity: 150, energyWh: 0.8, recentLosses: [0.3, 0.2], batchSize: 128, learningRate: 0.02, compressed: true });
    expect(d4.batchSize).toBe(64);
    expect(d4.learningRate).toBeCloseTo(0.01, 12);
    expect(d4.penalty).toBeLessThan(d3.penalty);
  });

  it('scales Adam by the square root of the batch ratio', () => {
    expect(scaledLearningRate(0.001, 32, 128, 'adam')).toBeCloseTo(0.002, 12);
    expect(scaledLearningRate(0.001, 32, 128, 'sgd')).toBeCloseTo(0.004, 12);
  });
});
