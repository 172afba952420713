import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/schema';
import { matchProfile } from '../energy/profiles';
import { pickBackend, probeBatchFor, probeKey, rankBackends, roundedRate, trainingWatts, type ProbeOutcome } from './auto';

// This machine's headless Chromium: a SwiftShader WebGPU adapter on 2 cores.
const swiftShader = matchProfile({ vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader' }, 2, 8).profile;
const rtx = matchProfile({ vendor: 'nvidia', architecture: 'ada', device: '', description: 'NVIDIA GeForce RTX 4090' }, 16, 8).profile;

const outcome = (measurements: ProbeOutcome['measurements'], extra: Partial<ProbeOutcome> = {}): ProbeOutcome => ({
  measurements, failed: [], seconds: 1.2, cached: false, ...extra,
});

describe('auto backend choice', () => {
  it('picks wasm over a software WebGPU adapter and says by how much, with the figures', () => {
    const pick = pickBackend(outcome([
      { backend: 'webgpu', samplesPerSecond: 590, software: true },
      { backend: 'wasm', samplesPerSecond: 7800, software: false },
    ]), swiftShader);
    expect(pick?.backend).toBe('wasm');
    expect(pick?.sentence).toContain('wasm: 7,800 samples/s, webgpu (software adapter): 590 samples/s');
    // 13x the time, and the software adapter keeps both cores busy where wasm keeps one.
    expect(pick?.sentence).toMatch(/wasm uses about \d+× less energy per sample than webgpu/);
  });

  it('takes a software adapter when it measured fastest', () => {
    const pick = pickBackend(outcome([
      { backend: 'webgpu', samplesPerSecond: 900, software: true },
      { backend: 'cpu', samplesPerSecond: 300, software: false },
    ]), swiftShader);
    expect(pick?.backend).toBe('webgpu');
  });

  it('picks a real GPU when its energy per sample is lower, although its power is higher', () => {
    expect(trainingWatts('webgpu', rtx)).toBeGreaterThan(trainingWatts('wasm', rtx));
    const pick = pickBackend(outcome([
      { backend: 'webgpu', samplesPerSecond: 200_000, software: false },
      { backend: 'wasm', samplesPerSecond: 8000, software: false },
    ]), rtx);
    expect(pick?.backend).toBe('webgpu');
    expect(pick?.ranked.map((r) => r.backend)).toEqual(['webgpu', 'wasm']);
  });

  it('picks the faster of two CPU backends on the same device', () => {
    const pick = pickBackend(outcome([
      { backend: 'cpu', samplesPerSecond: 400, software: false },
      { backend: 'wasm', samplesPerSecond: 7000, software: false },
    ]), swiftShader);
    expect(pick?.backend).toBe('wasm');
  });

  it('says when the figures come from the cache and names what failed', () => {
    const pick = pickBackend(outcome([{ backend: 'cpu', samplesPerSecond: 250, software: false }], {
      cached: true, failed: [{ backend: 'webgl', reason: 'the browser refused a WebGL 2 context' }],
    }), swiftShader);
    expect(pick?.sentence).toContain('measured earlier in this browser');
    expect(pick?.sentence).toContain('Not measured: webgl, the browser refused a WebGL 2 context.');
  });

  it('says at which batch the steps were timed when it was not the configured one', () => {
    const reason = "a step of the configured 64 takes about 0.9 s on cpu, too long to time every backend within the probe's 2 s";
    const pick = pickBackend(outcome([
      { backend: 'cpu', samplesPerSecond: 70, software: false },
      { backend: 'webgl', samplesPerSecond: 150, software: true },
    ], { batch: 8, batchReason: reason }), swiftShader);
    expect(pick?.backend).toBe('webgl');
    expect(pick?.sentence).toContain(`(measured in 1.2 s, timed at batch 8: ${reason}): webgl (software adapter): 150 samples/s, cpu: 70 samples/s`);
    expect(pickBackend(outcome([{ backend: 'cpu', samplesPerSecond: 70, software: false }]), swiftShader)?.sentence).not.toContain('timed at batch');
  });

  it('times every backend at the small batch only when one step of the configured one is far too long', () => {
    const base = { configured: 64, small: 8, backend: 'cpu' as const, shareMs: 667, budgetMs: 2000 };
    // The default MLP on wasm here: 4,800 samples/s, 13 ms a step of 64.
    expect(probeBatchFor({ ...base, samplesPerSecond: 4800 })).toEqual({ batch: 64 });
    // The spiral MLP's first, cold steps of 8 on wasm here: 899 samples/s, so 71 ms a step of 64.
    expect(probeBatchFor({ ...base, samplesPerSecond: 899 })).toEqual({ batch: 64 });
    // The CNN on cpu here: about 45 samples/s at batch 8, so 1.4 s a step of 64.
    const cnn = probeBatchFor({ ...base, samplesPerSecond: 45 });
    expect(cnn.batch).toBe(8);
    expect(cnn.reason).toBe("a step of the configured 64 takes about 1.4 s on cpu, too long to time every backend within the probe's 2 s");
    // The edge: a step of 64 in exactly half the share still times at 64.
    expect(probeBatchFor({ ...base, samplesPerSecond: (64 * 1000) / (667 / 2) }).batch).toBe(64);
    expect(probeBatchFor({ ...base, samplesPerSecond: (64 * 1000) / (667 / 2) - 1 }).batch).toBe(8);
    expect(probeBatchFor({ ...base, configured: 8, samplesPerSecond: 1 }).batch).toBe(8);
  });

  it('ranks by energy per sample and leaves out failed measurements', () => {
    const ranked = rankBackends([
      { backend: 'cpu', samplesPerSecond: 400, software: false },
      { backend: 'webgl', samplesPerSecond: Number.NaN, software: false },
      { backend: 'wasm', samplesPerSecond: 4000, software: false },
    ], swiftShader);
    expect(ranked.map((r) => r.backend)).toEqual(['wasm', 'cpu']);
    expect(ranked[1]!.joulesPerSample / ranked[0]!.joulesPerSample).toBeCloseTo(10, 5);
  });

  it('gives no pick when nothing was measured', () => {
    expect(pickBackend(outcome([{ backend: 'cpu', samplesPerSecond: 0, software: false }]), swiftShader)).toBeNull();
  });

  it('rounds rates to two significant figures', () => {
    expect(roundedRate(7812)).toBe('7,800');
    expect(roundedRate(587.4)).toBe('590');
    expect(roundedRate(12.3)).toBe('12');
  });

  it('keys the cache by adapter, model shape and batch, not by epochs or seed', () => {
    const base = defaultConfig();
    const key = (c = base, adapter = 'a') => probeKey({ adapter, config: c, inputShape: [28, 28, 1], numClasses: 10 });
    const longer = { ...base, train: { ...base.train, epochs: 9, seed: 7 } };
    const biggerBatch = { ...base, train: { ...base.train, batchSize: 128 } };
    const wider = { ...base, model: { ...base.model, hidden: [256] } };
    expect(key(longer)).toBe(key());
    expect(key(biggerBatch)).not.toBe(key());
    expect(key(wider)).not.toBe(key());
    expect(key(base, 'b')).not.toBe(key());
  });
});
