/**
 * The measurement behind "auto": a few warm training steps of the configured model, at the
 * configured batch, on each backend that starts, within about two seconds in all. The figures are
 * cached per adapter, model shape and batch (Cache Storage, which workers have), so the next run
 * with the same shape starts at once.
 */
import * as tf from '@tensorflow/tfjs';
import { probeBatchFor, probeKey, type BackendMeasurement, type ProbeBatch, type ProbeOutcome } from '../src/core/backend/auto';
import type { SkippedBackend } from '../src/core/backend/select';
import type { BackendId, ExperimentConfig } from '../src/core/config/schema';
import { featureSize, type SplitDataset } from '../src/core/data/dataset';
import { buildModel, buildOptimizer } from './model';

/** The whole probe's budget (issue 16: "at most about 2 s in total"). */
export const PROBE_BUDGET_MS = 2000;
/** Less than this left of the budget, a backend is not started: too little to time anything after its start. */
const MIN_SHARE_MS = 250;
/** Untimed steps first: the first compiles shaders or kernels, the second fills buffer pools. */
const WARM_STEPS = 2;
/**
 * The first backend's first steps are of this many examples: they say whether a step of the
 * configured batch can be timed on every backend within the budget (probeBatchFor). When it cannot
 * (a CNN on this 2-core machine: 0.4 to 4 s a step of 64 on each backend), every backend is timed
 * at this batch instead, the same for all so the figures compare.
 */
export const CALIBRATION_BATCH = 8;
/** At most this many timed steps per backend (a multiple of READ_EVERY, so the last window is read); read back every few, so GPU queues stay short. */
const MAX_TIMED_STEPS = 24;
const READ_EVERY = 4;
const CACHE_NAME = 'lab-backend-probe-v1';

/** What the probe needs from the run: its config and, when asked, its data. */
export interface ProbeInput {
  readonly config: ExperimentConfig;
  readonly data: () => Promise<SplitDataset>;
  /** Measure even when the cache has figures (the benchmark does, to report the probe's cost). */
  readonly fresh?: boolean;
}

/** Starts a backend and says whether it runs on a software adapter; throws when it cannot start. */
export type BackendStarter = (backend: BackendId) => Promise<{ software: boolean }>;

const cacheUrl = (key: string): string => `${self.location.origin}/__backend-probe/${encodeURIComponent(key)}`;

async function cached(key: string): Promise<ProbeOutcome | null> {
  try {
    const hit = await (await caches.open(CACHE_NAME)).match(cacheUrl(key));
    if (!hit) return null;
    const stored = (await hit.json()) as ProbeOutcome;
    return Array.isArray(stored.measurements) && stored.measurements.length > 0 ? { ...stored, seconds: 0, cached: true } : null;
  } catch {
    return null; // No Cache Storage here (an insecure context, or Node): measure every time.
  }
}

async function remember(key: string, outcome: ProbeOutcome): Promise<void> {
  try {
    await (await caches.open(CACHE_NAME)).put(cacheUrl(key), new Response(JSON.stringify(outcome)));
  } catch {
    // Not cached: the next run measures again.
  }
}

/** A backend whose steps did not finish before the probe's deadline. */
class TooSlow extends Error {}

/** Waits for `read`, or throws TooSlow at `deadline` (the step's work is left to finish unwatched). */
function before<T>(read: Promise<T>, deadline: number): Promise<T> {
  const wait = deadline - performance.now();
  if (wait <= 0) return Promise.reject(new TooSlow());
  return Promise.race([read, new Promise<never>((_, reject) => setTimeout(() => reject(new TooSlow()), wait))]);
}

/** What tfjs' WebGPU backend offers for parallel compilation (tfjs 4.22, backend_webgpu.js). */
interface ParallelCompiling {
  checkCompileCompletionAsync?: () => Promise<unknown>;
}

/** One training step of the probe on the batch `x`, `y`; returns its loss, left on the device. */
function probeStep(model: tf.LayersModel, optimizer: tf.Optimizer, x: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.tidy(() => optimizer.minimize(() => tf.metrics.categoricalCrossentropy(y, model.apply(x, { training: true }) as tf.Tensor).mean() as tf.Scalar, true) as tf.Scalar);
}

/**
 * On webgpu, compiles a training step's pipelines asynchronously before it runs (tfjs' parallel
 * compilation: WEBGPU_ENGINE_COMPILE_ONLY, then checkCompileCompletionAsync), on a throwaway copy
 * of the model, so that a slow compile is waited for against the deadline. Compiled by the first
 * step instead, it blocks the worker: measured here, the first CNN step on the software adapter
 * held it 6.8 s past a 0.9 s deadline. The pipelines are cached by shape, so the timed steps reuse them.
 */
async function compileAhead(config: ExperimentConfig, data: SplitDataset, x: tf.Tensor, y: tf.Tensor, deadline: number): Promise<void> {
  const backend = tf.backend() as unknown as ParallelCompiling;
  if (tf.getBackend() !== 'webgpu' || typeof backend.checkCompileCompletionAsync !== 'function') return;
  const model = buildModel(config, data.train.inputShape, data.train.numClasses);
  const optimizer = buildOptimizer(config);
  tf.env().set('WEBGPU_ENGINE_COMPILE_ONLY', true);
  try {
    probeStep(model, optimizer, x, y).dispose();
  } finally {
    tf.env().set('WEBGPU_ENGINE_COMPILE_ONLY', false);
    // Its variables hold whatever the uncomputed kernels left: never trained on.
    model.dispose();
    optimizer.dispose();
  }
  await before(backend.checkCompileCompletionAsync(), deadline);
}

/**
 * Waits for pipelines that a probe left compiling (its deadline gave up on them): until they are
 * done, tfjs' WebGPU backend refuses to run ("Please call checkCompileCompletionAsync"). Call after
 * starting webgpu, before training on it.
 */
export async function settleCompiles(): Promise<void> {
  const backend = tf.backend() as unknown as ParallelCompiling;
  if (tf.getBackend() === 'webgpu' && typeof backend.checkCompileCompletionAsync === 'function') await backend.checkCompileCompletionAsync();
}

/**
 * Samples per second of warm training steps on the running backend. Stops timing at `softEnd`,
 * and gives up at `deadline`: a backend that has not finished its warm-up by then throws TooSlow.
 */
async function timeSteps(config: ExperimentConfig, data: SplitDataset, batch: number, softEnd: number, deadline: number): Promise<number> {
  const { inputShape, numClasses } = data.train;
  const model = buildModel(config, inputShape, numClasses);
  const optimizer = buildOptimizer(config);
  const x = tf.tensor(data.train.x.subarray(0, batch * featureSize(data.train)), [batch, ...inputShape]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(data.train.y.slice(0, batch)), 'int32'), numClasses).toFloat());
  const step = () => probeStep(model, optimizer, x, y);
  const losses: tf.Tensor[] = [];
  const reads: Promise<unknown>[] = [];
  const read = (t: tf.Tensor) => {
    const data = t.data();
    reads.push(data.catch(() => undefined));
    return before(data, deadline);
  };
  try {
    await compileAhead(config, data, x, y, deadline);
    for (let i = 0; i < WARM_STEPS; i++) {
      const loss = step();
      losses.push(loss);
      await read(loss);
    }
    // The best of the read-back windows: a window that other work on the machine slowed (the page
    // starting up beside the worker, a tier-up of the wasm code) says nothing of the backend, and
    // measured as one mean, wasm's first probe in a fresh page once ran at 382 samples/s, against
    // 21,000-41,000 in the probes after it.
    let steps = 0;
    let best = 0;
    const timedStart = performance.now();
    let windowStart = timedStart;
    let windowSteps = 0;
    // At least one timed step: with none, a coarse clock gave 0 / 0 (seen as "cpu NaN/s").
    while (steps < MAX_TIMED_STEPS && (steps === 0 || performance.now() < softEnd)) {
      const loss = step();
      losses.push(loss);
      steps++;
      windowSteps++;
      if (steps % READ_EVERY === 0 || performance.now() >= softEnd) {
        await read(loss);
        const now = performance.now();
        if (now > windowStart) best = Math.max(best, (windowSteps * batch * 1000) / (now - windowStart));
        windowStart = now;
        windowSteps = 0;
      }
    }
    // Every window too short for the worker's coarse clock: the whole timed stretch, at least 0.1 ms.
    return best > 0 ? best : (steps * batch * 1000) / Math.max(0.1, performance.now() - timedStart);
  } finally {
    // A read the deadline gave up on still runs: free its tensors only once it has settled. Freed
    // at once, its late end read freed data in the worker ("Cannot read properties of undefined
    // (reading 'backend')" in tfjs' moveData, seen as a page error in bench and reproduce runs).
    void Promise.all(reads).then(() => {
      tf.dispose([x, y, ...losses]);
      model.dispose();
      optimizer.dispose();
    });
  }
}

/** CPU backends first: a GPU backend left running late (see TooSlow) then slows nothing measured after it. */
const PROBE_ORDER: readonly BackendId[] = ['wasm', 'cpu', 'webgl', 'webgpu'];

/**
 * On the first backend: a few steps of CALIBRATION_BATCH, and from their rate the batch every
 * backend is timed at (probeBatchFor). When it is CALIBRATION_BATCH, these steps are the first
 * backend's figure.
 */
async function calibrate(
  input: ProbeInput,
  data: SplitDataset,
  backend: BackendId,
  share: number,
): Promise<{ batch: ProbeBatch; samplesPerSecond: number | null }> {
  const configured = Math.min(input.config.train.batchSize, data.train.y.length);
  if (configured <= CALIBRATION_BATCH) return { batch: { batch: configured }, samplesPerSecond: null };
  // The warm-up and one timed step: a few hundredths of a second where steps are quick.
  const began = performance.now();
  const rate = await timeSteps(input.config, data, CALIBRATION_BATCH, began, began + share);
  const batch = probeBatchFor({ configured, small: CALIBRATION_BATCH, samplesPerSecond: rate, backend, shareMs: share, budgetMs: PROBE_BUDGET_MS });
  return { batch, samplesPerSecond: batch.batch === configured ? null : rate };
}

/**
 * Measures every candidate backend in turn (or reads the cache). A backend that fails to start or
 * to train is reported in `failed`. Leaves whichever backend it measured last running.
 */
export async function probeBackends(candidates: readonly BackendId[], start: BackendStarter, adapter: string, input: ProbeInput): Promise<ProbeOutcome> {
  const data = await input.data();
  const key = probeKey({ adapter, config: input.config, inputShape: data.train.inputShape, numClasses: data.train.numClasses });
  const hit = input.fresh ? null : await cached(key);
  if (hit) return hit;
  const began = performance.now();
  const measurements: BackendMeasurement[] = [];
  const failed: SkippedBackend[] = [];
  let batch: ProbeBatch | null = null;
  const order = [...candidates].sort((a, b) => PROBE_ORDER.indexOf(a) - PROBE_ORDER.indexOf(b));
  for (const [i, backend] of order.entries()) {
    // Starting a GPU backend alone can take a second: once the budget is (nearly) spent, the rest are not started.
    if (i > 0 && performance.now() - began >= PROBE_BUDGET_MS - MIN_SHARE_MS) {
      failed.push({ backend, reason: `the probe's ${(PROBE_BUDGET_MS / 1000).toFixed(1)} s budget was spent before its turn` });
      continue;
    }
    // Each backend gets an equal share of what is left; timing stops halfway through its share.
    const share = Math.max(MIN_SHARE_MS, (PROBE_BUDGET_MS - (performance.now() - began)) / (order.length - i));
    try {
      const asked = performance.now();
      const { software } = await start(backend);
      // A CPU backend's share counts from its start: loading a wasm module on a busy machine is
      // no measure of its training speed, and counting it gave wasm up and picked a slower
      // backend. A GPU backend's counts from asking for it: making a WebGL context or a WebGPU
      // device took up to 1.3 s here, past the probe's budget when it was not counted.
      const startedAt = backend === 'wasm' || backend === 'cpu' ? performance.now() : asked;
      let samplesPerSecond: number | null = null;
      const left = () => share - (performance.now() - startedAt);
      if (!batch) ({ batch, samplesPerSecond } = await calibrate(input, data, backend, left()));
      const rest = left();
      samplesPerSecond ??= await timeSteps(input.config, data, batch.batch, performance.now() + rest / 2, performance.now() + rest);
      measurements.push({ backend, samplesPerSecond, software });
    } catch (error) {
      const reason = error instanceof TooSlow ? `its first training steps took longer than the probe's ${(share / 1000).toFixed(1)} s share` : (error as Error).message;
      failed.push({ backend, reason });
    }
  }
  const timedAt = batch?.reason ? { batch: batch.batch, batchReason: batch.reason } : {};
  const outcome: ProbeOutcome = { measurements, failed, seconds: (performance.now() - began) / 1000, cached: false, ...timedAt };
  if (measurements.length > 0) await remember(key, outcome);
  return outcome;
}
