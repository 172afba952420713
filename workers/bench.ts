/**
 * Throughput of the lab's loop against plain `model.fit` on the same model, data and batch size,
 * measured in the same worker one after the other.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../src/core/config/schema';
import { takeExamples, type SplitDataset } from '../src/core/data/dataset';
import type { BackendReport } from '../src/core/train/types';
import type { BenchmarkResult } from './contract';
import { buildModel, buildOptimizer } from './model';
import { Trainer } from './trainer';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Runs `steps` training steps each way, after one warm-up run each, then `rounds` interleaved timed runs; returns median samples per second. */
export async function benchmarkBackend(config: ExperimentConfig, data: SplitDataset, report: BackendReport, steps: number, rounds: number): Promise<BenchmarkResult> {
  const batch = config.train.batchSize;
  const count = Math.min(steps * batch, data.train.y.length);
  const slice: SplitDataset = { train: takeExamples(data.train, range(count)), test: takeExamples(data.test, range(Math.min(batch, data.test.y.length))) };
  const oneEpoch: ExperimentConfig = { ...config, train: { ...config.train, epochs: 1 } };

  const labOnce = async () => {
    const trainer = new Trainer();
    const summary = await trainer.run(oneEpoch, slice, report, () => undefined);
    trainer.model?.dispose();
    return summary.metrics.samplesPerSecond;
  };

  const fitOnce = async () => {
    const model = buildModel(oneEpoch, data.train.inputShape, data.train.numClasses);
    model.compile({ optimizer: buildOptimizer(oneEpoch), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const [x, y] = tf.tidy(() => [
      tf.tensor(slice.train.x, [count, ...slice.train.inputShape]),
      tf.oneHot(tf.tensor1d(Int32Array.from(slice.train.y), 'int32'), slice.train.numClasses).toFloat(),
    ]);
    const start = performance.now();
    await model.fit(x as tf.Tensor, y as tf.Tensor, { batchSize: batch, epochs: 1, shuffle: true, verbose: 0 });
    const seconds = (performance.now() - start) / 1000;
    tf.dispose([x as tf.Tensor, y as tf.Tensor]);
    model.dispose();
    return count / seconds;
  };

  await labOnce();
  await fitOnce();
  // Interleaved rounds, median of each, so a burst of other load on the machine hits both alike.
  const lab: number[] = [];
  const fit: number[] = [];
  for (let r = 0; r < rounds; r++) {
    lab.push(await labOnce());
    fit.push(await fitOnce());
  }
  return { backend: report.backend, labSamplesPerSecond: median(lab), fitSamplesPerSecond: median(fit), steps: Math.floor(count / batch), rounds, probe: report.probe };
}
