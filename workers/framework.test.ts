/** The multi-objective framework under Node (cpu backend): penalty, neuron removal, controller. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunLogEntry } from '../src/core/compress/plan';
import { parseLink } from '../src/core/config/link';
import { splitDataset } from '../src/core/data/dataset';
import { syntheticDataset } from '../src/core/data/synthetic';
import type { BackendReport, TrainingChange } from '../src/core/train/types';
import { learningRateAfterSizing } from '../src/core/objective/sizing';
import { frameworkOptions, groupPenalty, hiddenDenseLayers, maskedProbeLosses, penalisedLoss, withoutNeurons } from './framework';
import { buildModel } from './model';
import { crossEntropyLoss, Trainer } from './trainer';

const report: BackendReport = { choice: 'cpu', backend: 'cpu', explanation: '', skipped: [], adapter: null, timestampQuery: false };

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

describe('the compute penalty', () => {
  it('is the sum of weighted neuron norms', () => {
    const { config } = parseLink('#dataset=xor&hidden=3');
    const model = buildModel(config, [2], 2);
    const kernel = (hiddenDenseLayers(model)[0]?.getWeights()[0] as tf.Tensor).arraySync() as number[][];
    const norms = [0, 1, 2].map((j) => Math.sqrt(kernel.reduce((a, row) => a + (row[j] as number) ** 2, 0)));
    const value = groupPenalty(model, [[1, 2, 3]]).arraySync() as number;
    expect(value).toBeCloseTo(norms[0]! + 2 * norms[1]! + 3 * norms[2]!, 4);
  });

  it('adds the penalty times its coefficient to the task loss, and is the task loss alone at 0', () => {
    const { config } = parseLink('#dataset=xor&hidden=3');
    const model = buildModel(config, [2], 2);
    const x = tf.tensor2d([[0.3, -0.2], [1, 0.5]]);
    const oneHot = tf.oneHot(tf.tensor1d([0, 1], 'int32'), 2).toFloat();
    const weights = [[1, 2, 3]];
    let c = 0.5;
    const loss = penalisedLoss(() => c, () => weights);
    const task = crossEntropyLoss(model, x, oneHot).objective.arraySync() as number;
    const penalty = groupPenalty(model, weights).arraySync() as number;
    expect(loss(model, x, oneHot).objective.arraySync()).toBeCloseTo(task + 0.5 * penalty, 5);
    c = 0;
    const plain = loss(model, x, oneHot);
    expect(plain.objective.arraySync()).toBeCloseTo(task, 6);
    expect(plain.shown).toBeUndefined();
    tf.dispose([x, oneHot]);
  });

  it('removes neurons without changing what the others compute', async () => {
    const { config } = parseLink('#dataset=blobs&hidden=4,3');
    const model = buildModel(config, [2], 3);
    // Zero neuron 1 of the first layer and neuron 2 of the second: their removal changes no output.
    const ws = model.getWeights().map((w) => w.arraySync()) as number[][][] | number[][];
    const k0 = ws[0] as number[][];
    k0.forEach((row) => (row[1] = 0));
    (ws[1] as unknown as number[])[1] = 0;
    const k1 = ws[2] as number[][];
    k1.forEach((row) => (row[2] = 0));
    (ws[3] as unknown as number[])[2] = 0;
    model.setWeights(ws.map((w) => tf.tensor(w as number[])));
    const smaller = await withoutNeurons(model, config, [[true, false, true, true], [true, true, false]], [2], 3);
    expect(hiddenDenseLayers(smaller).map((l) => (l.getWeights()[0] as tf.Tensor).shape[1])).toEqual([3, 2]);
    const x = tf.tensor2d([[0.3, -0.2], [1, 0.5], [-0.7, 0.1]]);
    const a = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    const b = (smaller.predict(x) as tf.Tensor).arraySync() as number[][];
    a.forEach((row, i) => row.forEach((v, j) => expect(b[i]?.[j]).toBeCloseTo(v, 5)));
  });
});

describe('the sizing probes', () => {
  it('score each candidate by masking exactly as the model without those neurons would, in one call', async () => {
    const { config } = parseLink('#dataset=blobs&hidden=6,5');
    const model = buildModel(config, [2], 3);
    const keeps = [
      [[true, false, true, true, false, true], [false, true, true, true, true]],
      [[false, true, true, false, true, true], [true, true, false, false, true]],
    ];
    const x = tf.tensor2d([[0.3, -0.2], [1, 0.5], [-0.7, 0.1], [0.2, 0.9]]);
    const oneHot = tf.oneHot(tf.tensor1d([0, 2, 1, 2], 'int32'), 3).toFloat();
    const probe = { x, oneHot };
    const [full, first, second] = await maskedProbeLosses(model, probe, [null, ...keeps]);
    for (const [i, keep] of keeps.entries()) {
      const smaller = await withoutNeurons(model, config, keep, [2], 3);
      const [removed] = await maskedProbeLosses(smaller, probe, [null]);
      expect([first, second][i]).toBeCloseTo(removed as number, 5);
      smaller.dispose();
    }
    expect(full).not.toBeCloseTo(first as number, 3);
    expect(first).not.toBeCloseTo(second as number, 3);
    tf.dispose([x, oneHot]);
  });
});

describe('a run with the framework on', () => {
  it('shrinks the model after the first epoch, adapts to a dirty grid, logs what it did, and still learns', async () => {
    const { config, issues } = parseLink('#dataset=blobs&samples=900&hidden=32&lr=0.02&batch=16&epochs=3&seed=4&framework=on&penalty=0.05&shrinkAfter=1&shrinkBelow=0.3&refIntensity=300&maxBatch=64');
    expect(issues).toEqual([]);
    const data = splitDataset(syntheticDataset('blobs', 900, 0.1, 4), 0.2, 4);
    const log: RunLogEntry[] = [];
    const changes: TrainingChange[] = [];
    const context = { intensity: 600, energyWh: 0 };
    const trainer = new Trainer();
    const framework = frameworkOptions(config, { inputShape: [2], numClasses: 3 }, context, (e) => log.push(e));
    const summary = await trainer.run(config, data, report, (e) => e.type === 'change' && changes.push(e.change), { loss: framework.loss, hooks: framework.hooks });
    const units = hiddenDenseLayers(trainer.model as tf.LayersModel).map((l) => (l.getWeights()[0] as tf.Tensor).shape[1] as number);
    const kept = units[0] as number;
    expect(kept).toBeLessThan(32);

    // The sizing decision after epoch 1 (45 steps of 16): the log names the width the model has,
    // with the chosen candidate's score; the batch and learning rate it logs are the ones applied.
    const [width, batch, rate] = log;
    expect(width).toMatchObject({ step: 45, what: `hidden neurons 32 -> ${kept}` });
    // Its reason lists every candidate's score; the width kept has the lowest.
    const scores = new Map((width?.why.split('weight norm): ')[1] ?? '').split('; ').map((row) => {
      const [hidden, total] = [row.split(':')[0], Number(row.split('= ')[1])];
      return [hidden, total] as const;
    }));
    expect(scores.size).toBeGreaterThan(1);
    expect(scores.get(String(kept))).toBe(Math.min(...scores.values()));
    const sizing = changes[0] as TrainingChange;
    expect(sizing).toMatchObject({ step: 45, epoch: 1, examplesDone: 720, batchSize: { from: 16 } });
    // Measured on the smaller model, whose gradient is larger just after the cut, the batch may stay.
    expect(batch?.what).toBe(sizing.batchSize.to === 16 ? 'batch size kept at 16' : `batch size 16 -> ${sizing.batchSize.to}`);
    const noise = Number(/B_simple is about (\d+) examples/.exec(batch?.why ?? '')?.[1]);
    expect(noise).toBeGreaterThanOrEqual(sizing.batchSize.to);
    const expectedRate = learningRateAfterSizing(0.02, sizing.batchSize.to / 16, 32 / kept, 'adam');
    expect(sizing.learningRate.to).toBeCloseTo(expectedRate, 12);
    expect(rate?.what).toBe(`learning rate ${(0.02).toPrecision(3)} -> ${expectedRate.toPrecision(3)}`);

    // On the dirty grid the controller doubles the batch (square-root rule for Adam), up to maxBatch.
    // A later look at the gradient noise (batchRecheckEpochs: 2 epochs in) may double it first.
    const recheck = (c: TrainingChange) => log.some((e) => e.what === `batch size ${c.batchSize.from} -> ${c.batchSize.to}` && e.why.includes('B_simple'));
    const controller = changes.slice(1).filter((c) => c.batchSize.to !== c.batchSize.from && !recheck(c));
    for (const c of controller) {
      expect(c.batchSize.to).toBe(Math.min(64, c.batchSize.from * 2));
      expect(c.learningRate.to).toBeCloseTo(c.learningRate.from * Math.sqrt(c.batchSize.to / c.batchSize.from), 12);
      expect(log.map((e) => e.what)).toContain(`batch size ${c.batchSize.from} -> ${c.batchSize.to}, learning rate ${c.learningRate.from.toPrecision(3)} -> ${c.learningRate.to.toPrecision(3)}`);
    }
    expect(controller.length).toBeGreaterThan(0);
    // With the neurons removed, no compute penalty is applied or logged.
    expect(log.some((e) => e.what.startsWith('compute penalty'))).toBe(false);
    expect(summary.outcome).toBe('finished');
    // The step count follows the batch sizes in force: 45 at 16, then each later epoch at its batch.
    const batchOfEpoch = (epoch: number) => [...changes].reverse().find((c) => c.epoch <= epoch)?.batchSize.to ?? 16;
    expect(summary.metrics.steps).toBe(45 + Math.floor(720 / batchOfEpoch(1)) + Math.floor(720 / batchOfEpoch(2)));
    expect(changes.at(-1)?.totalSteps).toBe(summary.metrics.steps);
    expect(summary.metrics.testAccuracy).toBeGreaterThan(0.8);
    trainer.model?.dispose();
  });
});

describe('an early sizing decision', () => {
  it('looks at the batch size again as the run goes on, and each batch it sets stays within the noise it measured', async () => {
    const { config, issues } = parseLink('#dataset=blobs&samples=900&hidden=32&lr=0.02&batch=8&epochs=2&seed=5&framework=on&penalty=0&shrinkAfter=0.1&shrinkBelow=0&refIntensity=300&maxBatch=64');
    expect(issues).toEqual([]);
    const framework = frameworkOptions(config, { inputShape: [2], numClasses: 3 }, { intensity: 300, energyWh: 0 }, () => undefined);
    // The decision at 0.1 epochs, then looks at 0.2, 0.4 and 0.8 epochs (not past half the run).
    expect(framework.hooks.map((h) => h.at?.epochs)).toEqual([0.1, 0.2, 0.4, 0.8]);
    const log: RunLogEntry[] = [];
    const changes: TrainingChange[] = [];
    const run = frameworkOptions(config, { inputShape: [2], numClasses: 3 }, { intensity: 300, energyWh: 0 }, (e) => log.push(e));
    const data = splitDataset(syntheticDataset('blobs', 900, 0.1, 5), 0.2, 5);
    const summary = await new Trainer().run(config, data, report, (e) => e.type === 'change' && changes.push(e.change), { loss: run.loss, hooks: run.hooks });
    expect(summary.outcome).toBe('finished');
    const batchLines = log.filter((e) => e.what.startsWith('batch size') && e.what.includes('->'));
    // Every batch change logged is one applied, never past the B_simple it cites nor maxBatch.
    for (const line of batchLines) {
      const [from, to] = (/batch size (\d+) -> (\d+)/.exec(line.what) ?? []).slice(1).map(Number);
      expect(changes.some((c) => c.batchSize.from === from && c.batchSize.to === to)).toBe(true);
      expect(to).toBeLessThanOrEqual(Math.min(64, Number(/about (\d+) examples/.exec(line.why)?.[1])));
    }
    expect(summary.metrics.testAccuracy).toBeGreaterThan(0.8);
  });
});

describe('the reference intensity', () => {
  it('is the first intensity the page reports, not a fallback latched before one arrived', async () => {
    const { config } = parseLink('#dataset=blobs&samples=600&hidden=16&lr=0.02&batch=16&epochs=3&seed=6&framework=on&penalty=0&shrinkAfter=0.1&shrinkBelow=0&maxBatch=1024');
    const context: { intensity: number | null; energyWh: number } = { intensity: null, energyWh: 0 };
    const log: RunLogEntry[] = [];
    const run = frameworkOptions(config, { inputShape: [2], numClasses: 3 }, context, (e) => log.push(e));
    // The carbon source answers after the sizing decision, with a grid that then stays flat.
    const answer = { name: 'the carbon source', at: { epochs: 0.5, run: async () => ((context.intensity = 384), null) } };
    const data = splitDataset(syntheticDataset('blobs', 600, 0.1, 6), 0.2, 6);
    await new Trainer().run(config, data, report, () => undefined, { loss: run.loss, hooks: [...run.hooks, answer] });
    expect(log.some((e) => e.why.includes('the grid is dirty'))).toBe(false);
  });
});

describe('removing neurons on the wasm backend', () => {
  it('gives a model that predicts (a gather output assigned to a variable misreads there)', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    try {
      const { config } = parseLink('#hidden=8');
      const model = buildModel(config, [4, 4, 1], 3);
      const smaller = await withoutNeurons(model, config, [[true, false, true, true, false, true, true, true]], [4, 4, 1], 3);
      const out = smaller.predict(tf.ones([2, 4, 4, 1])) as tf.Tensor;
      expect(out.shape).toEqual([2, 3]);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});
