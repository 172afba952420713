/**
 * "auto" by measurement: from the training throughput measured on each backend that started, and
 * the device profile's power on each, the backend with the least energy per training sample, and
 * one sentence with the figures. Pure: the worker measures (workers/backend-probe.ts), this decides.
 */
import type { BackendId, ExperimentConfig } from '../config/schema';
import { cellEnergyWh } from '../deploy/table';
import type { DeviceProfile } from '../energy/profile-types';
import type { SkippedBackend } from './select';

/** Warm training throughput of one backend, as the probe measured it. */
export interface BackendMeasurement {
  readonly backend: BackendId;
  /** Training samples per second over the timed warm steps (forward, backward, update). */
  readonly samplesPerSecond: number;
  /** A GPU backend running on a software (fallback) adapter, such as SwiftShader. */
  readonly software: boolean;
}

/** What a probe found: the measurements, the backends that failed, and what it cost. */
export interface ProbeOutcome {
  readonly measurements: readonly BackendMeasurement[];
  readonly failed: readonly SkippedBackend[];
  /** Wall time of the probe; 0 when the figures came from the cache. */
  readonly seconds: number;
  /** Whether the figures were measured earlier on this device and read back from the cache. */
  readonly cached: boolean;
  /** The batch the steps were timed at, when it is not the configured one (steps of that took too long to time). */
  readonly batch?: number;
  /** Why the steps were timed at `batch`. */
  readonly batchReason?: string;
}

/** A measured backend with its power and its energy per training sample, at the typical variant. */
export interface RankedBackend extends BackendMeasurement {
  readonly watts: number;
  readonly joulesPerSample: number;
}

/** The backend "auto" picks, every measured backend by energy per sample, and the sentence. */
export interface AutoPick {
  readonly backend: BackendId;
  readonly ranked: readonly RankedBackend[];
  readonly sentence: string;
}

/**
 * Watts the device draws while training runs flat out on `backend`, by the lab's power model:
 * the same rule the deployment table meters inference with (cellEnergyWh, src/core/deploy/table.ts):
 * on webgpu and webgl the GPU is busy, on wasm and cpu the GPU idles and one CPU thread is busy.
 */
export function trainingWatts(backend: BackendId, profile: DeviceProfile): number {
  const oneSecond = { backend, precision: 'float32' as const, batchSize: 1, latenciesMs: [], wallMs: 1000, busyMs: 1000 };
  return cellEnergyWh(oneSecond, profile).typical * 3600;
}

/** Backends ranked by energy per sample, least first; ties go to the faster one. */
export function rankBackends(measurements: readonly BackendMeasurement[], profile: DeviceProfile): RankedBackend[] {
  return measurements
    .filter((m) => Number.isFinite(m.samplesPerSecond) && m.samplesPerSecond > 0)
    .map((m) => {
      const watts = trainingWatts(m.backend, profile);
      return { ...m, watts, joulesPerSample: watts / m.samplesPerSecond };
    })
    .sort((a, b) => a.joulesPerSample - b.joulesPerSample || b.samplesPerSecond - a.samplesPerSecond);
}

/** 7,800 or 590 or 12: two significant figures with thousands separators. */
export function roundedRate(x: number): string {
  if (!(x > 0)) return '0';
  const digits = Math.floor(Math.log10(x)) + 1;
  const step = 10 ** Math.max(0, digits - 2);
  return (Math.round(x / step) * step).toLocaleString('en-US');
}

const named = (m: BackendMeasurement): string => (m.software ? `${m.backend} (software adapter)` : m.backend);

/** "about 13×" or "about 1.4×": how many times less energy the pick uses than another backend. */
const times = (ratio: number): string => (ratio >= 10 ? `${Math.round(ratio)}` : ratio.toFixed(1));

/**
 * The pick: least energy per sample, except that a software (fallback) GPU adapter is taken only
 * when it also measured fastest, since it competes with the CPU backends for the same cores and
 * its figures swing with them. Returns null when nothing was measured.
 */
export function pickBackend(outcome: ProbeOutcome, profile: DeviceProfile): AutoPick | null {
  const ranked = rankBackends(outcome.measurements, profile);
  if (ranked.length === 0) return null;
  const fastest = Math.max(...ranked.map((r) => r.samplesPerSecond));
  const pick = ranked.find((r) => !r.software || r.samplesPerSecond >= fastest) ?? (ranked[0] as RankedBackend);
  const rates = [pick, ...ranked.filter((r) => r !== pick)].map((r) => `${named(r)}: ${roundedRate(r.samplesPerSecond)} samples/s`).join(', ');
  const runnerUp = ranked.find((r) => r !== pick);
  const saving = runnerUp
    ? runnerUp.joulesPerSample >= pick.joulesPerSample
      ? `; ${pick.backend} uses about ${times(runnerUp.joulesPerSample / pick.joulesPerSample)}× less energy per sample than ${runnerUp.backend}`
      : `; ${runnerUp.backend} would use about ${times(pick.joulesPerSample / runnerUp.joulesPerSample)}× less energy but runs on a software GPU adapter, which is taken only when it measures fastest`
    : '';
  const measured = outcome.cached ? 'measured earlier in this browser for this model and batch' : `measured in ${outcome.seconds.toFixed(1)} s`;
  const how = outcome.batch !== undefined ? `${measured}, timed at batch ${outcome.batch}: ${outcome.batchReason ?? 'steps of the configured batch took too long to time'}` : measured;
  const failed = outcome.failed.length > 0 ? ` Not measured: ${outcome.failed.map((f) => `${f.backend}, ${f.reason}`).join('; ')}.` : '';
  return { backend: pick.backend, ranked, sentence: `Training on ${pick.backend}, the least energy per training sample (${how}): ${rates}${saving}.${failed}` };
}

/** The batch every backend is timed at, and why when it is not the configured one. */
export interface ProbeBatch {
  readonly batch: number;
  readonly reason?: string;
}

/** What decides the probe's batch: the first backend's rate at the small batch, and the time a backend has. */
export interface ProbeBatchInput {
  readonly configured: number;
  readonly small: number;
  /** The first backend's samples per second over warm steps of `small` examples. */
  readonly samplesPerSecond: number;
  readonly backend: BackendId;
  /** One backend's share of the probe's budget. */
  readonly shareMs: number;
  readonly budgetMs: number;
}

/**
 * The configured batch, unless one step of it, at the first backend's rate, would take more than
 * half a backend's share; then the small batch for every backend (the same for all, so the figures
 * compare), with the reason. The estimate errs long (per-sample cost falls as the batch grows, and
 * the first steps run cold), so only a step far too long to time turns the probe to the small batch:
 * small batches favour the backends with the least overhead a step, and measured at batch 8 the
 * spiral MLP ran faster on cpu than on wasm (1,798 against 899 samples/s) while at its configured
 * 64 wasm ran 2.8 times faster.
 */
export function probeBatchFor(p: ProbeBatchInput): ProbeBatch {
  const stepSeconds = p.configured / p.samplesPerSecond;
  if (p.configured <= p.small || stepSeconds * 1000 <= p.shareMs / 2) return { batch: p.configured };
  const reason = `a step of the configured ${p.configured} takes about ${stepSeconds.toPrecision(2)} s on ${p.backend}, too long to time every backend within the probe's ${(p.budgetMs / 1000).toFixed(0)} s`;
  return { batch: p.small, reason };
}

/** What the probe's figures depend on, besides the browser: the adapter, the model's shape, the batch. */
export interface ProbeKeyParts {
  readonly adapter: string;
  readonly config: ExperimentConfig;
  readonly inputShape: readonly number[];
  readonly numClasses: number;
}

/** The cache key of a probe: equal keys mean the same adapter, model shape, optimizer and batch. */
export function probeKey({ adapter, config, inputShape, numClasses }: ProbeKeyParts): string {
  const { kind, hidden, filters } = config.model;
  const layers = kind === 'cnn' ? { kind, filters, hidden } : { kind, hidden };
  return JSON.stringify({ adapter, ...layers, inputShape, numClasses, batch: config.train.batchSize, optimizer: config.train.optimizer });
}
