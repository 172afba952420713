/**
 * Backend start-up in the worker: probes WebGPU, WebGL, wasm and cpu in the planned order and
 * reports which one runs and why the better ones did not. The only place that reads navigator.gpu.
 */
import * as tf from '@tensorflow/tfjs';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { pickBackend, type ProbeOutcome } from '../src/core/backend/auto';
import { explainBackend, planBackends, type SkippedBackend } from '../src/core/backend/select';
import type { BackendChoice, BackendId, ModelKind } from '../src/core/config/schema';
import { matchProfile } from '../src/core/energy/profiles';
import { resolveProfile } from '../src/core/footprint/profile';
import type { AdapterSummary, BackendReport } from '../src/core/train/types';
import { probeBackends, settleCompiles, type ProbeInput } from './backend-probe';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

/** The GPU device of the running WebGPU backend, so the trainer can watch for its loss. */
export let gpuDevice: GPUDevice | null = null;

/** The backend this worker last started (tf.getBackend() would start one itself if none runs). */
let current: BackendId | null = null;
let lastAdapter: AdapterSummary | null = null;
let lastTimestampQuery = false;
/** Whether the running WebGL context renders in software (SwiftShader, llvmpipe). */
let lastWebglSoftware = false;

function summariseAdapter(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info;
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    // `isFallbackAdapter` moved from GPUAdapter to GPUAdapterInfo in 2024 (WebGPU spec, GPUAdapterInfo).
    isFallbackAdapter: Boolean((info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter),
  };
}

async function startWebGPU(): Promise<void> {
  // Coming back from another backend (the deployment benchmark switches): keep the running device,
  // and with it every tensor on it. A new device would replace the backend and drop the trained model.
  if (gpuDevice && tf.findBackend('webgpu') && (await tf.setBackend('webgpu'))) return;
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) {
    throw new Error('this browser has no WebGPU (navigator.gpu is missing; it needs a secure context such as https or localhost)');
  }
  const powerPreference: GPUPowerPreference = tf.env().getBool('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance';
  const adapter = await navigator.gpu.requestAdapter({ powerPreference });
  if (!adapter) throw new Error('the browser offered no GPU adapter (WebGPU may be disabled, or this GPU blocklisted)');
  lastAdapter = summariseAdapter(adapter);
  // Same device request as tfjs-backend-webgpu 4.22's own factory (src/base.ts), so kernels see the limits they expect.
  const requiredFeatures: GPUFeatureName[] = [];
  if (adapter.features.has('timestamp-query')) requiredFeatures.push('timestamp-query');
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  lastTimestampQuery = device.features.has('timestamp-query');
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, adapter.info), 3);
  if (!(await tf.setBackend('webgpu'))) throw new Error('TensorFlow.js could not start its WebGPU backend on this adapter');
  gpuDevice = device;
}

async function startWebGL(): Promise<void> {
  if (typeof OffscreenCanvas === 'undefined') throw new Error('OffscreenCanvas is missing, so a worker cannot use WebGL');
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) throw new Error('the browser refused a WebGL 2 context');
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  lastWebglSoftware = /swiftshader|llvmpipe|softpipe|software/i.test(String(debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)));
  if (!(await tf.setBackend('webgl'))) throw new Error('TensorFlow.js could not start its WebGL backend');
}

async function startWasm(): Promise<void> {
  if (typeof WebAssembly === 'undefined') throw new Error('WebAssembly is missing');
  if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly module could not be loaded');
}

async function startCpu(): Promise<void> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend failed to start');
}

const STARTERS: Record<BackendId, () => Promise<void>> = { webgpu: startWebGPU, webgl: startWebGL, wasm: startWasm, cpu: startCpu };

/**
 * Starts the best backend allowed by the user's choice and the model; throws only if none starts.
 * With "auto" and a `probe`, the backend with the least measured energy per training sample
 * (src/core/backend/auto.ts); without one, or when none was measured, the first in the usual order.
 */
export async function startBackend(choice: BackendChoice, model: ModelKind, probe?: ProbeInput): Promise<BackendReport> {
  const plan = planBackends(choice, model);
  if (choice === 'auto' && probe) {
    return startMeasured(plan.candidates, plan.skipped, probe);
  }
  return startInOrder(choice, plan.candidates, [...plan.skipped]);
}

async function startInOrder(choice: BackendChoice, candidates: readonly BackendId[], skipped: SkippedBackend[]): Promise<BackendReport> {
  for (const backend of candidates) {
    try {
      await startOne(backend);
      return report(choice, backend, skipped);
    } catch (error) {
      skipped.push({ backend, reason: (error as Error).message });
    }
  }
  throw new Error(`No TensorFlow.js backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

async function startOne(backend: BackendId): Promise<void> {
  // Reuse a running backend: its GPU buffers and compiled kernels are warm.
  if (current !== backend || (backend === 'webgpu' && !gpuDevice)) {
    await STARTERS[backend]();
    current = backend;
  }
  // Pipelines a probe gave up on must finish compiling before webgpu runs anything.
  if (backend === 'webgpu') await settleCompiles();
}

/** Whether an adapter is a software one: flagged as fallback, or matched to the software GPU row. */
const softwareAdapter = (adapter: AdapterSummary | null): boolean =>
  adapter !== null && (adapter.isFallbackAdapter || matchProfile(adapter, 1).profile.gpu.form === 'software');

/** The adapter this browser would give (no device is made); null without WebGPU. */
async function offeredAdapter(): Promise<AdapterSummary | null> {
  if (lastAdapter || typeof navigator === 'undefined' || !navigator.gpu) return lastAdapter;
  const powerPreference: GPUPowerPreference = tf.env().getBool('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance';
  const offered = await navigator.gpu.requestAdapter({ powerPreference }).catch(() => null);
  return offered ? summariseAdapter(offered) : null;
}

/** The adapter this browser would give, as text for the probe's cache key. */
function adapterKey(adapter: AdapterSummary | null): string {
  const browser = typeof navigator === 'undefined' ? '' : `${navigator.userAgent} ${navigator.hardwareConcurrency}`;
  return JSON.stringify({ adapter, browser });
}

/** "auto" by measurement: probe (or read the cache), pick, start the pick. */
async function startMeasured(candidates: readonly BackendId[], planned: readonly SkippedBackend[], probe: ProbeInput): Promise<BackendReport> {
  const starter = async (backend: BackendId) => {
    await startOne(backend);
    return { software: backend === 'webgpu' ? softwareAdapter(lastAdapter) : backend === 'webgl' && lastWebglSoftware };
  };
  const adapter = await offeredAdapter();
  const probed = await probeBackends(candidates, starter, adapterKey(adapter), probe);
  const outcome: ProbeOutcome = { ...probed, failed: [...planned, ...probed.failed] };
  const memoryGB = (navigator as { deviceMemory?: number }).deviceMemory;
  const measuredGpu = outcome.measurements.some((m) => m.backend === 'webgpu' || m.backend === 'webgl');
  const match = matchProfile(measuredGpu ? lastAdapter : null, navigator.hardwareConcurrency, memoryGB);
  const pick = pickBackend(outcome, resolveProfile(match, probe.config.energy).profile);
  if (!pick) return startUnmeasured(candidates, outcome, softwareAdapter(lastAdapter ?? adapter));
  const skipped = [...outcome.failed];
  const started = await startInOrder('auto', [pick.backend, ...candidates.filter((b) => b !== pick.backend)], skipped);
  const explanation = started.backend === pick.backend ? pick.sentence : started.explanation;
  return { ...started, explanation, probe: outcome };
}

/**
 * No backend finished a warm step within its share of the probe (a CNN step takes about a second
 * on each backend of the 2-core test machine): the usual order, except that a software WebGPU
 * adapter goes last, since it is never preferred unless it measured best (issue 16, "Fallbacks").
 */
async function startUnmeasured(candidates: readonly BackendId[], outcome: ProbeOutcome, softwareWebgpu: boolean): Promise<BackendReport> {
  // The adapter is known even when the probe's budget ran out before WebGPU's turn (the CNN here).
  const softwareGpu = (b: BackendId) => b === 'webgpu' && softwareWebgpu;
  const order = [...candidates.filter((b) => !softwareGpu(b)), ...candidates.filter(softwareGpu)];
  const started = await startInOrder('auto', order, [...outcome.failed]);
  const why = `No backend finished a warm training step within the probe's ${outcome.seconds.toFixed(1)} s, so auto takes the usual order${order.some(softwareGpu) ? ', with the software WebGPU adapter last' : ''}.`;
  return { ...started, explanation: `${why} ${started.explanation}`, probe: outcome };
}

function report(choice: BackendChoice, backend: BackendId, skipped: SkippedBackend[]): BackendReport {
  return {
    choice,
    backend,
    explanation: explainBackend(choice, backend, skipped),
    skipped,
    adapter: lastAdapter,
    timestampQuery: backend === 'webgpu' && lastTimestampQuery,
  };
}

/** Forgets the WebGPU device after it was lost, so the next run starts a new one. */
export function forgetGpuDevice(): void {
  gpuDevice = null;
  if (current === 'webgpu') current = null;
  if (tf.findBackend('webgpu')) tf.removeBackend('webgpu');
}
