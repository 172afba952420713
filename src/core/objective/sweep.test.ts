import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/schema';
import { parseLink, serialiseLink } from '../config/link';
import { configForPoint, expandSweep, pickByWeights, pointLabel, sweepSize, type SweepSelection } from './sweep';

const none: SweepSelection = { batchSize: [], learningRate: [], hidden: [], sparsity: [], precision: [], backend: [], policy: [] };

describe('the sweep space', () => {
  it('counts the product of the ticked values, an unticked setting counting once', () => {
    expect(sweepSize(none)).toBe(1);
    expect(sweepSize({ ...none, batchSize: [32, 64, 128], policy: ['run-now', 'forecast-window'] })).toBe(6);
    expect(sweepSize({ batchSize: [32, 64, 128], learningRate: [0.001, 0.003], hidden: [32, 128], sparsity: [0, 0.8], precision: ['float32', 'uint8'], backend: [], policy: ['run-now', 'forecast-window'] })).toBe(96);
  });

  it('expands every combination, the first ticked value of each setting first', () => {
    const points = expandSweep({ ...none, hidden: [128, 32], sparsity: [0.8, 0] });
    expect(points.map((p) => [p.hidden, p.sparsity])).toEqual([[32, 0], [32, 0.8], [128, 0], [128, 0.8]]);
    expect(points[0]?.batchSize).toBeNull();
  });

  it('refuses a sweep above the cap', () => {
    expect(() => expandSweep({ ...none, batchSize: [32, 64, 128], learningRate: [0.001, 0.003], hidden: [32, 128], sparsity: [0, 0.8], precision: ['float32', 'uint8'] })).toThrow(RangeError);
    expect(expandSweep({ ...none, batchSize: [32, 64, 128], learningRate: [0.001, 0.003], hidden: [32, 128], sparsity: [0, 0.8] }, 24)).toHaveLength(24);
  });

  it('writes a point into the base config and the config survives a link', () => {
    const base = defaultConfig();
    const [point] = expandSweep({ batchSize: [128], learningRate: [0.003], hidden: [32], sparsity: [0.8], precision: ['float32'], backend: [], policy: ['forecast-window'] });
    const c = configForPoint(base, point!, 'us-pjm-2022', 24);
    expect(c.train.batchSize).toBe(128);
    expect(c.train.learningRate).toBe(0.003);
    expect(c.model.hidden).toEqual([32]);
    expect(c.compress).toMatchObject({ pruning: 'on', finalSparsity: 0.8, precision: 'float32' });
    expect(c.schedule).toMatchObject({ mode: 'simulated', policy: 'forecast-window', trace: 'us-pjm-2022', slackHours: 24 });
    expect(base.train.batchSize).toBe(64);
    const { config, issues } = parseLink(serialiseLink(c));
    expect(issues).toEqual([]);
    expect(config).toEqual(c);
    expect(pointLabel(point!)).toBe('batch 128, lr 0.003, 32 units, sparsity 0.8, float32, forecast-window');
  });

  it('sweeps the backend: each ticked backend is forced in its config and named in its label', () => {
    const base = defaultConfig();
    const points = expandSweep({ ...none, backend: ['cpu', 'wasm'] });
    expect(points.map((p) => p.backend)).toEqual(['wasm', 'cpu']);
    const configs = points.map((p) => configForPoint(base, p, 'us-ciso-2022', 24));
    expect(configs.map((c) => c.backend)).toEqual(['wasm', 'cpu']);
    expect(parseLink(serialiseLink(configs[1]!)).config.backend).toBe('cpu');
    expect(points.map(pointLabel)).toEqual(['on wasm', 'on cpu']);
    // None ticked keeps the base's backend.
    expect(configForPoint(base, expandSweep(none)[0]!, 'us-ciso-2022', 24).backend).toBe(base.backend);
  });

  it('turns pruning and scheduling off for a dense, run-now point', () => {
    const base = defaultConfig();
    base.compress.pruning = 'on';
    base.schedule.mode = 'simulated';
    const c = configForPoint(base, { ...expandSweep(none)[0]!, sparsity: 0, policy: 'run-now' }, 'us-ciso-2022', 24);
    expect(c.compress.pruning).toBe('off');
    expect(c.schedule.mode).toBe('off');
  });
});

describe('the weights pick a point', () => {
  const runs = [
    { accuracy: 0.95, kWh: 1, gCO2e: 100 }, // the baseline
    { accuracy: 0.94, kWh: 0.5, gCO2e: 40 }, // cheaper, one point worse
    { accuracy: 0.7, kWh: 0.1, gCO2e: 5 }, // very cheap, much worse
    { accuracy: Number.NaN, kWh: 0.01, gCO2e: 1 }, // a failed run
  ];
  const ref = { kWh: 1, gCO2e: 100 };

  it.each([
    [{ alpha: 1, beta: 0, gamma: 0 }, 0],
    [{ alpha: 1, beta: 0.25, gamma: 0.25 }, 1],
    [{ alpha: 0.1, beta: 1, gamma: 1 }, 2],
  ])('with weights %o it picks run %i', (w, expected) => {
    expect(pickByWeights(runs, w, ref)).toBe(expected);
  });

  it('picks nothing among failed runs', () => {
    expect(pickByWeights([runs[3]!], { alpha: 1, beta: 1, gamma: 1 }, ref)).toBe(-1);
  });
});
