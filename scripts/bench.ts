/**
 * npm run bench [-- --steps N --rounds K --backends webgpu,webgl,wasm,cpu]
 *
 * For each backend available in headless Chromium, the samples per second of the lab's own
 * training loop and of plain TensorFlow.js model.fit on the same model (the default MNIST MLP),
 * data and batch size, measured in the same worker one after the other, and their ratio.
 */
import { serialiseLink } from '../src/core/config/link.ts';
import { defaultConfig, type BackendId } from '../src/core/config/schema.ts';
import type { BenchmarkResult } from '../workers/contract.ts';
import { ensureBuilt, openLab } from './harness.ts';

const argv = process.argv.slice(2);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const steps = Number(option('--steps') ?? 60);
const rounds = Number(option('--rounds') ?? 3);
const backends = (option('--backends') ?? 'webgpu,webgl,wasm,cpu').split(',') as BackendId[];

ensureBuilt(argv.includes('--build'));
const config = defaultConfig();
console.log(`Benchmark: default MNIST MLP (${config.model.hidden.join('-')} hidden, batch ${config.train.batchSize}), ${steps} steps each, median of ${rounds} interleaved runs after one warm-up run each.`);
console.log('backend  lab samples/s  model.fit samples/s  ratio (lab / fit)');
const session = await openLab(serialiseLink(config));
let worst = Infinity;
try {
  for (const backend of backends) {
    try {
      const r = await session.page.evaluate(
        ([b, n, k]) =>
          (window as unknown as { labAutomation: { benchmark(b: string, n: number, k: number): Promise<BenchmarkResult> } }).labAutomation.benchmark(b, n, k),
        [backend, steps, rounds] as const,
      );
      const ratio = r.labSamplesPerSecond / r.fitSamplesPerSecond;
      worst = Math.min(worst, ratio);
      console.log(`${backend.padEnd(8)} ${r.labSamplesPerSecond.toFixed(0).padStart(13)} ${r.fitSamplesPerSecond.toFixed(0).padStart(20)} ${ratio.toFixed(2).padStart(18)}`);
    } catch (error) {
      console.log(`${backend.padEnd(8)} not available: ${(error as Error).message.split('\n')[0]}`);
    }
  }
} finally {
  await session.close();
}
if (Number.isFinite(worst)) console.log(`lowest ratio: ${worst.toFixed(2)} (target >= 1.00)`);
