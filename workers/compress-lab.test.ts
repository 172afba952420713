import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { parseLink } from '../src/core/config/link';
import { splitDataset } from '../src/core/data/dataset';
import { syntheticDataset } from '../src/core/data/synthetic';
import type { BackendReport, PruningEvent, TrainEvent } from '../src/core/train/types';
import { kernelSparsity } from './compress';
import { exportForDownload, importZip, RunPruning, type CompressionState } from './compress-lab';
import { Trainer, type StepMoment } from './trainer';
import { nextPosition, planFor } from '../src/core/train/batch-plan';
import type { ExportMetadata } from './contract';

/** The worker writes metadata.json as it is given; its fields are the page's concern. */
const metadata = { link: '#a=1' } as ExportMetadata;

const backend: BackendReport = { choice: 'cpu', backend: 'cpu', explanation: 'test', skipped: [], adapter: null, timestampQuery: false };

async function trainWith(link: string, onRun?: (pruning: RunPruning) => void) {
  await tf.setBackend('cpu');
  const { config, issues } = parseLink(link);
  expect(issues).toEqual([]);
  const data = splitDataset(syntheticDataset('blobs', 600, 0.3, 3), 0.2, 3);
  const events: TrainEvent[] = [];
  const emit = (e: TrainEvent) => events.push(e);
  const pruning = new RunPruning(config, 480, emit);
  onRun?.(pruning);
  const trainer = new Trainer();
  await trainer.run(config, data, backend, emit, { hooks: [pruning.hook] });
  pruning.dispose();
  const model = trainer.model as tf.LayersModel;
  const updates = events.filter((e): e is { type: 'pruning'; update: PruningEvent } => e.type === 'pruning').map((e) => e.update);
  return { config, data, model, updates };
}

describe('RunPruning in the lab trainer', () => {
  it('prunes on the config schedule and reaches the final sparsity by the end', async () => {
    const { model, updates } = await trainWith('#dataset=blobs&samples=600&hidden=16&batch=32&epochs=2&seed=3&prune=on&sparsity=0.75&pruneTo=1&pruneEvery=5');
    expect(updates.length).toBeGreaterThan(1);
    expect(updates.at(-1)?.target).toBe(0.75);
    const report = await kernelSparsity(model);
    for (const layer of report.layers) expect(layer.sparsity).toBeCloseTo(0.75, 1);
    model.dispose();
  });

  it('jumps to the raised target when the budget is passed and holds it', async () => {
    const { model, updates } = await trainWith('#dataset=blobs&samples=600&hidden=16&batch=32&epochs=2&seed=3', (p) => p.raiseTarget(0.9));
    expect(updates).toHaveLength(1);
    expect(updates[0]?.target).toBe(0.9);
    expect((await kernelSparsity(model)).overall).toBeCloseTo(0.9, 1);
    model.dispose();
  });
});

describe('export and import', () => {
  it('measures the file it exports, and a damaged file gets a clear error', async () => {
    const { config, data, model } = await trainWith('#dataset=blobs&samples=600&hidden=16&batch=32&epochs=1&seed=3&prune=on&sparsity=0.5&pruneTo=0');
    const state: CompressionState = { config, data, model, student: null };
    const outcome = await exportForDownload(state, { which: 'trained', precision: 'uint8', metadata, runCsv: 'x\n' });
    expect(outcome.sizes.precision).toBe('uint8');
    expect(outcome.overallSparsity).toBeGreaterThan(0.45);
    expect(Math.abs(outcome.accuracyAfter - outcome.accuracyBefore)).toBeLessThan(0.05);
    const zip = new Uint8Array(outcome.zip);
    expect((await importZip(state, zip)).accuracy).toBeCloseTo(outcome.accuracyAfter, 10);
    await expect(importZip(state, zip.subarray(0, zip.length - 30))).rejects.toThrow(/cannot be loaded as an exported model: .*zip/i);
    await expect(exportForDownload({ ...state, student: null }, { which: 'student', precision: 'uint8', metadata, runCsv: '' })).rejects.toThrow('no distilled student');
    model.dispose();
  });
});

describe('RunPruning when a run continues from a checkpoint', () => {
  /** Step `step` of a run of 480 examples at batch 32 (15 steps an epoch), as the trainer reports it. */
  const momentOf = (model: tf.LayersModel, step: number): StepMoment => {
    const plan = planFor(480, 2, 32);
    const before = { epoch: Math.floor(step / 15), epochOffset: (step % 15) * 32 };
    return { model, step, before, after: nextPosition(plan, before), trainExamples: 480 };
  };

  it('rebuilds the masks at the schedule target on the first step, and later steps hold them', async () => {
    await tf.setBackend('cpu');
    const { config } = parseLink('#dataset=blobs&hidden=16&batch=32&epochs=2&prune=on&sparsity0=0&sparsity=0.8&pruneFrom=0&pruneTo=1&pruneEvery=5');
    const { buildModel } = await import('./model');
    const model = buildModel(config, [2], 3);
    const events: TrainEvent[] = [];
    const pruning = new RunPruning(config, 480, (e) => events.push(e));
    pruning.resumed();
    // Step 22 is past the schedule's end (15 steps per epoch, pruning to epoch 1): the target is final.
    await pruning.afterStep(momentOf(model, 22));
    expect(events.filter((e) => e.type === 'pruning')).toHaveLength(1);
    const pruned = await kernelSparsity(model);
    expect(pruned.overall).toBeGreaterThan(0.75);
    // An optimizer step moves every weight, the pruned ones too; step 23 is no update step, so the
    // rebuilt masks must bring the same zeros back.
    const zerosBefore = await zeroPositions(model);
    model.setWeights(model.getWeights().map((w) => tf.tidy(() => w.add(0.01))));
    expect((await kernelSparsity(model)).overall).toBe(0);
    await pruning.afterStep(momentOf(model, 23));
    expect(events.filter((e) => e.type === 'pruning')).toHaveLength(1);
    expect(await zeroPositions(model)).toEqual(zerosBefore);
    pruning.dispose();
    model.dispose();
  });
});

/** Where each kernel is exactly zero. */
async function zeroPositions(model: tf.LayersModel): Promise<number[][]> {
  const kernels = model.layers.filter((l) => l.getClassName() === 'Dense').map((l) => l.getWeights()[0] as tf.Tensor);
  const values = await Promise.all(kernels.map((k) => k.data()));
  return values.map((v) => Array.from(v.keys()).filter((i) => v[i] === 0));
}
