/**
 * The training loop under Node on the cpu and wasm backends: same seed, same curve, bit for bit;
 * pause, resume and stop behave; the model really learns.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLink } from '../src/core/config/link';
import type { ExperimentConfig } from '../src/core/config/schema';
import { splitDataset } from '../src/core/data/dataset';
import { syntheticDataset } from '../src/core/data/synthetic';
import type { BackendReport, TrainEvent } from '../src/core/train/types';
import { Trainer, type TrainHook } from './trainer';
import type { RunCheckpoint } from '../src/core/train/checkpoint';
import { polynomialDecay, pruningScheduleFor, sparsityAt } from '../src/core/compress';
import { RunPruning } from './compress-lab';

const report = (backend: 'cpu' | 'wasm'): BackendReport => ({
  choice: backend,
  backend,
  explanation: '',
  skipped: [],
  adapter: null,
  timestampQuery: false,
});

function configOf(link: string): ExperimentConfig {
  const { config, issues } = parseLink(link);
  expect(issues).toEqual([]);
  return config;
}

async function train(config: ExperimentConfig, backend: 'cpu' | 'wasm', onEvent: (e: TrainEvent, t: Trainer) => void = () => undefined) {
  await tf.setBackend(backend);
  const d = config.data;
  const data = splitDataset(syntheticDataset(d.dataset as 'spiral', d.samples, d.noise, config.train.seed), d.testFraction, config.train.seed);
  const trainer = new Trainer();
  const summary = await trainer.run(config, data, report(backend), (e) => onEvent(e, trainer));
  trainer.model?.dispose();
  return summary;
}

beforeAll(async () => {
  tf.enableProdMode();
  await tf.ready();
});

describe.each(['cpu', 'wasm'] as const)('training loop on %s', (backend) => {
  const link = '#dataset=spiral&samples=600&hidden=16,16&activation=tanh&lr=0.02&batch=32&epochs=4&seed=7';

  it('gives an identical loss curve for the same link', async () => {
    const a = await train(configOf(link), backend);
    const b = await train(configOf(link), backend);
    expect(a.lossCurve.length).toBe(4 * Math.floor(480 / 32));
    expect(b.lossCurve).toEqual(a.lossCurve);
    expect(b.metrics.testAccuracy).toBe(a.metrics.testAccuracy);
  });

  it('gives a different curve for a different seed', async () => {
    const a = await train(configOf(link), backend);
    const c = await train(configOf(link.replace('seed=7', 'seed=8')), backend);
    expect(c.lossCurve).not.toEqual(a.lossCurve);
  });

  it('learns: the loss falls and test accuracy beats chance', async () => {
    const s = await train(configOf('#dataset=blobs&samples=600&hidden=16&lr=0.05&epochs=5&seed=3'), backend);
    expect(s.outcome).toBe('finished');
    expect(s.metrics.testAccuracy).toBeGreaterThan(0.8);
    const first = s.lossCurve.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = s.lossCurve.slice(-5).reduce((a, b) => a + b) / 5;
    expect(last).toBeLessThan(first * 0.7);
    expect(s.epochs).toHaveLength(5);
  });
});

describe('controls', () => {
  const link = '#dataset=xor&samples=800&hidden=8&batch=16&epochs=3&seed=11';

  it('pause and resume keep progress and give the same curve as an uninterrupted run', async () => {
    const plain = await train(configOf(link), 'cpu');
    const phases: string[] = [];
    let paused = false;
    const interrupted = await train(configOf(link), 'cpu', (e, t) => {
      if (e.type === 'phase') phases.push(e.phase);
      if (e.type === 'progress' && !paused && e.progress.stepsDone > 10) {
        paused = true;
        t.pause();
        setTimeout(() => t.resume(), 50);
      }
    });
    expect(phases).toContain('paused');
    expect(interrupted.lossCurve).toEqual(plain.lossCurve);
  });

  it('stop ends the run early with its figures so far', async () => {
    let stopped = false;
    const s = await train(configOf(link), 'cpu', (e, t) => {
      if (e.type === 'progress' && !stopped && e.progress.stepsDone > 5) {
        stopped = true;
        t.stop();
      }
    });
    expect(s.outcome).toBe('stopped');
    expect(s.metrics.steps).toBeLessThan(3 * 40);
    expect(s.metrics.steps).toBe(s.lossCurve.length);
    expect(Number.isFinite(s.metrics.testAccuracy)).toBe(true);
  });
});

describe('step timing for the energy meter', () => {
  it('records one step per training step, sent with the progress updates, with busy within wall time', async () => {
    const sent: TrainEvent[] = [];
    const s = await train(configOf('#dataset=spiral&samples=600&hidden=8&batch=32&epochs=2&seed=7'), 'cpu', (e) => sent.push(e));
    expect(s.steps.length).toBe(s.metrics.steps);
    const streamed = sent.flatMap((e) => (e.type === 'progress' ? e.progress.steps : []));
    expect(streamed).toEqual(s.steps);
    expect(new Set(s.steps.map((r) => r.epoch))).toEqual(new Set([0, 1]));
    for (const r of s.steps) {
      expect(r.wallMs).toBeGreaterThanOrEqual(0);
      expect(r.busyMs).toBeGreaterThanOrEqual(0);
      expect(r.busyMs).toBeLessThanOrEqual(r.wallMs + 1e-9);
      expect(r.gpuKernelMs).toBeNull();
    }
  });
});

describe('checkpoints', () => {
  // Momentum resumes bit for bit. Adam's setWeights recomputes beta^t with pow() where training
  // multiplies it step by step (tfjs adam_optimizer.ts), so its curve may differ in the last bit.
  it.each([
    ['mid-epoch', 30, 'momentum', 0],
    ['at an epoch boundary', 40, 'momentum', 0],
    ['mid-epoch with Adam', 30, 'adam', 1e-5],
  ] as const)('a run continued from a checkpoint taken %s gives the same curve and weights as an uninterrupted run', async (_name, pauseAfter, optimizer, tolerance) => {
    const config = configOf(`#dataset=xor&samples=800&hidden=8&batch=16&epochs=3&seed=11&optimizer=${optimizer}&lr=0.05`);
    await tf.setBackend('cpu');
    const data = splitDataset(syntheticDataset('xor', 800, 0.1, 11), 0.2, 11);
    const plain = new Trainer();
    const whole = await plain.run(config, data, report('cpu'), () => undefined);
    const wholeWeights = await Promise.all((plain.model as tf.LayersModel).getWeights().map((w) => w.data()));

    // Pause once enough steps are done; the checkpoint written at the pause is the resume point.
    let saved: RunCheckpoint | null = null;
    const first = new Trainer();
    const stopped = first.run(config, data, report('cpu'), (e) => {
      if (e.type === 'progress' && e.progress.stepsDone >= pauseAfter && !saved) first.pause();
    }, {
      hooks: [{ name: 'checkpoint', checkpoint: { save: (c) => {
        saved = c;
        first.stop();
      } } }],
    });
    await stopped;
    expect(saved).not.toBeNull();
    const checkpoint = saved as unknown as RunCheckpoint;
    expect(checkpoint.stepsDone).toBeGreaterThanOrEqual(pauseAfter);

    // A new trainer, as after a reload, continues from the stored plain data.
    const second = new Trainer();
    const resumed = await second.run(config, data, report('cpu'), () => undefined, { resume: structuredClone(checkpoint) });
    const resumedWeights = await Promise.all((second.model as tf.LayersModel).getWeights().map((w) => w.data()));
    if (tolerance === 0) {
      expect(resumed.lossCurve).toEqual(whole.lossCurve);
      expect(resumed.epochs).toEqual(whole.epochs);
      expect(resumedWeights).toEqual(wholeWeights);
    } else {
      expect(resumed.lossCurve.length).toBe(whole.lossCurve.length);
      resumed.lossCurve.forEach((x, i) => expect(Math.abs(x - (whole.lossCurve[i] as number))).toBeLessThan(tolerance));
      resumedWeights.forEach((w, i) => w.forEach((x, j) => expect(Math.abs(x - ((wholeWeights[i] as Float32Array)[j] as number))).toBeLessThan(tolerance)));
    }
    expect(resumed.metrics.steps).toBe(whole.metrics.steps);
  });

  it('changes the batch size mid-epoch, and a checkpoint taken after it continues bit-exact', async () => {
    const config = configOf('#dataset=xor&samples=800&hidden=8&batch=16&epochs=2&seed=11&optimizer=momentum&lr=0.05');
    await tf.setBackend('cpu');
    const data = splitDataset(syntheticDataset('xor', 800, 0.1, 11), 0.2, 11);
    // A quarter into the first epoch (160 of 640 examples, after step 10) the batch doubles.
    const grow: TrainHook = { name: 'grow', at: { epochs: 0.25, run: async (info) => ({ batchSize: info.batchSize * 2 }) } };
    const plain = new Trainer();
    const whole = await plain.run(config, data, report('cpu'), () => undefined, { hooks: [grow] });
    // 640 examples: 10 steps of 16, then (640 - 160) / 32 = 15 of 32 in epoch 1, and 20 of 32 in epoch 2.
    expect(whole.metrics.steps).toBe(10 + 15 + 20);

    let saved: RunCheckpoint | null = null;
    const first = new Trainer();
    await first.run(config, data, report('cpu'), () => undefined, {
      hooks: [
        grow,
        // Pause after step 18, mid-epoch and after the change.
        { name: 'pause', afterStep: ({ step }) => {
          if (step === 17) first.pause();
        } },
        { name: 'checkpoint', checkpoint: { save: (c) => {
          saved = c;
          first.stop();
        } } },
      ],
    });
    const checkpoint = saved as unknown as RunCheckpoint;
    expect(checkpoint.batchSize).toBe(32);
    expect(checkpoint.epoch).toBe(0);
    expect(checkpoint.stepsDone).toBe(18);
    expect(checkpoint.epochOffset).toBe(160 + 8 * 32);
    const second = new Trainer();
    const resumed = await second.run(config, data, report('cpu'), () => undefined, { hooks: [grow], resume: structuredClone(checkpoint) });
    expect(resumed.lossCurve).toEqual(whole.lossCurve);
    expect(resumed.epochs).toEqual(whole.epochs);
  });

  it('counts train accuracy over the examples an epoch used, across a batch change', async () => {
    const config = configOf('#dataset=blobs&samples=800&hidden=8&batch=16&epochs=2&seed=3&lr=0.05');
    await tf.setBackend('cpu');
    const data = splitDataset(syntheticDataset('blobs', 800, 0.1, 3), 0.2, 3);
    const grow: TrainHook = { name: 'grow', at: { epochs: 0.25, run: async () => ({ batchSize: 32 }) } };
    const s = await new Trainer().run(config, data, report('cpu'), () => undefined, { hooks: [grow] });
    // Epoch 1 used 10 x 16 + 15 x 32 = 640 examples (25 steps: 25 x 32 = 800 would cap it at 0.8).
    for (const e of s.epochs) {
      const correct = e.trainAccuracy * 640;
      expect(Math.abs(correct - Math.round(correct))).toBeLessThan(1e-6);
    }
    expect(s.epochs[1]?.trainAccuracy).toBeGreaterThan(0.85);
    expect(s.epochs[1]?.trainAccuracy).toBeLessThanOrEqual(1);
  });

  it('calls afterStep once per step with the run-wide step index', async () => {
    const config = configOf('#dataset=xor&samples=400&hidden=4&batch=32&epochs=2&seed=1');
    await tf.setBackend('cpu');
    const data = splitDataset(syntheticDataset('xor', 400, 0.1, 1), 0.2, 1);
    const seen: number[] = [];
    await new Trainer().run(config, data, report('cpu'), () => undefined, { hooks: [{ name: 'record', afterStep: ({ step }) => seen.push(step) }] });
    expect(seen).toEqual([...Array(20).keys()]);
  });
});

describe('a batch size changed mid-epoch', () => {
  it('keeps samples per second, the ETA and the pruning schedule right', async () => {
    // 640 training examples at batch 16 (40 steps an epoch); pruning to 80 % by the end of epoch 1, every 5 steps.
    const config = configOf('#dataset=xor&samples=800&hidden=8&batch=16&epochs=2&seed=11&optimizer=momentum&lr=0.05&prune=on&sparsity0=0&sparsity=0.8&pruneFrom=0&pruneTo=1&pruneEvery=5');
    await tf.setBackend('cpu');
    const data = splitDataset(syntheticDataset('xor', 800, 0.1, 11), 0.2, 11);
    const events: TrainEvent[] = [];
    const emit = (e: TrainEvent) => events.push(e);
    const pruning = new RunPruning(config, 640, emit);
    // A quarter into epoch 1 (after step 10, 160 examples) the batch doubles.
    const grow: TrainHook = { name: 'grow', at: { epochs: 0.25, run: async () => ({ batchSize: 32 }) } };
    const trainer = new Trainer();
    const summary = await trainer.run(config, data, report('cpu'), emit, { hooks: [pruning.hook, grow] });
    pruning.dispose();
    trainer.model?.dispose();

    const change = events.flatMap((e) => (e.type === 'change' ? [e.change] : []));
    // 10 steps of 16, 15 of 32 to the end of epoch 1 (640 examples), 20 of 32 in epoch 2.
    expect(change).toEqual([{ step: 10, epoch: 0, examplesDone: 160, batchSize: { from: 16, to: 32 }, learningRate: { from: 0.05, to: 0.05 }, totalSteps: 45, totalExamples: 1280 }]);
    expect(summary.metrics.steps).toBe(45);

    // Throughput counts the examples each step processed, and the ETA the examples left.
    const examplesAfter = (steps: number) => (steps <= 10 ? 16 * steps : 160 + 32 * (steps - 10));
    const progress = events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []));
    const late = progress.filter((p) => p.stepsDone > 10);
    expect(late.length).toBeGreaterThan(0);
    for (const p of progress) {
      expect(p.examplesDone).toBe(examplesAfter(p.stepsDone));
      expect(p.samplesPerSecond).toBeCloseTo(p.examplesDone / p.trainingSeconds, 6);
    }
    for (const p of late) {
      expect(p.totalExamples).toBe(1280);
      expect(p.totalSteps).toBe(45);
      expect(p.etaSeconds).toBeCloseTo(((1280 - p.examplesDone) * p.trainingSeconds) / p.examplesDone, 6);
    }
    expect(summary.metrics.samplesPerSecond).toBeCloseTo(1280 / summary.metrics.wallSeconds, 6);

    // The schedule counts steps of 16: after the change each step covers two of them, so the
    // updates (every 5) fall on these steps, and the final sparsity comes at the start of epoch 2
    // (step 25), where the schedule put it, not 40 steps in.
    const updates = events.flatMap((e) => (e.type === 'pruning' ? [e.update] : []));
    expect(updates.map((u) => u.step)).toEqual([0, 5, 10, 12, 15, 17, 20, 22, 25]);
    const schedule = polynomialDecay(pruningScheduleFor(config.compress, 40, 2)!);
    const scheduleSteps = [0, 5, 10, 15, 20, 25, 30, 35, 40];
    updates.forEach((u, i) => expect(u.target).toBe(sparsityAt(schedule, scheduleSteps[i] as number)));
    expect(updates.at(-1)?.target).toBe(0.8);
  });
});
