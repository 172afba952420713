/**
 * The measurement behind "auto": a few warm training steps of the configured model, at the
 * configured batch, on each backend that starts, within about two seconds in all. The figures are
 * cached per adapter, model shape and batch (Cache Storage, which workers have), so the next run
 * with the same shape starts at once.
 */
import * as tf from '@tensorflow/tfjs';
import { probeKey, type BackendMeasurement, type ProbeOutcome } from '../src/core/backend/auto';
import type { SkippedBackend } from '../src/core/backend/select';
import type { BackendId, ExperimentConfig } from '../src/core/config/schema';
import type { SplitDataset } from '../src/core/data/dataset';
import { buildModel, buildOptimizer } from './model';

/** The whole probe's budget (issue 16: "at most about 2 s in total"). */
export const PROBE_BUDGET_MS = 2000;
/** Untimed steps first: the first compiles shaders or kernels, the second fills buffer pools. */
const WARM_STEPS = 2;
/** At most this many timed steps per backend; read back every few, so GPU queues stay short. */
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

/**
 * Samples per second of warm training steps on the running backend. Stops timing at `softEnd`,
 * and gives up at `deadline`: a backend that has not finished its warm-up by then throws TooSlow.
 */
async function timeSteps(config: ExperimentConfig, data: SplitDataset, softEnd: number, deadline: number): Promise<number> {
  const batch = Math.min(config.train.batchSize, data.train.y.length);
  const { inputShape, numClasses } = data.train;
  const model = buildModel(config, inputShape, numClasses);
  const optimizer = buildOptimizer(config);
  const size = inputShape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(data.train.x.subarray(0, batch * size), [batch, ...inputShape]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(data.train.y.slice(0, batch)), 'int32'), numClasses).toFloat());
  const step = () =>
    tf.tidy(() => optimizer.minimize(() => tf.metrics.categoricalCrossentropy(y, model.apply(x, { training: true }) as tf.Tensor).mean() as tf.Scalar, true) as tf.Scalar);
  const losses: tf.Tensor[] = [];
  const reads: Promise<unknown>[] = [];
  const read = (t: tf.Tensor) => {
    const data = t.data();
    reads.push(data.catch(() => undefined));
    return before(data, deadline);
  };
  try {
    for (let i = 0; i < WARM_STEPS; i++) {
      const loss = step();
      losses.push(loss);
      await read(loss);
    }
    let steps = 0;
    const start = performance.now();
    let end = start;
    while (steps < MAX_TIMED_STEPS && end < softEnd) {
      const loss = step();
      losses.push(loss);
      steps++;
      if (steps % READ_EVERY === 0 || performance.now() >= softEnd) {
        await read(loss);
        end = performance.now();
      }
    }
    if (end === start) {
      await read(losses[losses.length - 1] as tf.Tensor);
      end = performance.now();
    }
    return (steps * batch * 1000) / (end - start);
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
  const order = [...candidates].sort((a, b) => PROBE_ORDER.indexOf(a) - PROBE_ORDER.indexOf(b));
  for (const [i, backend] of order.entries()) {
    // Starting a GPU backend alone can take a second: once the budget is spent, the rest are not started.
    if (i > 0 && performance.now() - began >= PROBE_BUDGET_MS) {
      failed.push({ backend, reason: `the probe's ${(PROBE_BUDGET_MS / 1000).toFixed(1)} s budget was spent before its turn` });
      continue;
    }
    // Each backend gets an equal share of what is left; timing stops halfway through its share.
    const share = Math.max(100, (PROBE_BUDGET_MS - (performance.now() - began)) / (order.length - i));
    try {
      const { software } = await start(backend);
      // The share counts from a started backend: loading a wasm module on a busy machine is no
      // measure of its training speed, and counting it gave wasm up and picked a slower backend.
      const deadline = performance.now() + share;
      const samplesPerSecond = await timeSteps(input.config, data, performance.now() + share / 2, deadline);
      measurements.push({ backend, samplesPerSecond, software });
    } catch (error) {
      const reason = error instanceof TooSlow ? `its first training steps took longer than the probe's ${(share / 1000).toFixed(1)} s share` : (error as Error).message;
      failed.push({ backend, reason });
    }
  }
  const outcome: ProbeOutcome = { measurements, failed, seconds: (performance.now() - began) / 1000, cached: false };
  if (measurements.length > 0) await remember(key, outcome);
  return outcome;
}
