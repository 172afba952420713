/**
 * Which TensorFlow.js backend to try, in which order, and why a better one is skipped.
 * Pure: the worker probes the environment and reports back; this decides.
 */
import type { BackendChoice, BackendId, ModelKind } from '../config/schema';

/** Best first: WebGPU, then WebGL, then wasm (fast on CPUs, but missing some gradients), then cpu. */
export const BACKEND_ORDER: readonly BackendId[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** A backend that was not used, with the reason in plain words. */
export interface SkippedBackend {
  readonly backend: BackendId;
  readonly reason: string;
}

export interface BackendPlan {
  /** Backends to try, in order; the first that initialises is used. */
  readonly candidates: readonly BackendId[];
  /** Backends left out before trying, with reasons. */
  readonly skipped: readonly SkippedBackend[];
}

/**
 * Whether a model can train on a backend. TensorFlow.js 4.22's wasm backend has no
 * Conv2DBackpropFilter kernel (tensorflow/tfjs#8474), so convolutional models cannot train there.
 */
export function trainableOn(backend: BackendId, model: ModelKind): string | null {
  if (backend === 'wasm' && model === 'cnn') {
    return 'the wasm backend cannot train a CNN (TensorFlow.js has no Conv2DBackpropFilter kernel for wasm)';
  }
  return null;
}

/**
 * Plans the backends to try. With `auto`, every backend in order. With a forced backend, that
 * one first, then the usual order as a fallback, so the run still happens and says why.
 */
export function planBackends(choice: BackendChoice, model: ModelKind): BackendPlan {
  const order = choice === 'auto' ? BACKEND_ORDER : [choice, ...BACKEND_ORDER.filter((b) => b !== choice)];
  const candidates: BackendId[] = [];
  const skipped: SkippedBackend[] = [];
  for (const backend of order) {
    const reason = trainableOn(backend, model);
    if (reason) skipped.push({ backend, reason });
    else candidates.push(backend);
  }
  return { candidates, skipped };
}

/** One sentence for the UI: which backend runs and why better ones were not used. */
export function explainBackend(choice: BackendChoice, used: BackendId, skipped: readonly SkippedBackend[]): string {
  if (choice === used) return `Training on ${used} (chosen by you).`;
  const better = BACKEND_ORDER.slice(0, BACKEND_ORDER.indexOf(used));
  const reasons = skipped.filter((s) => better.includes(s.backend) || s.backend === choice);
  const head = choice === 'auto' ? `Training on ${used}.` : `Training on ${used}: you chose ${choice}, but it could not be used.`;
  if (reasons.length === 0) return head;
  return `${head} Not used: ${reasons.map((r) => `${r.backend}, ${r.reason}`).join('; ')}.`;
}
