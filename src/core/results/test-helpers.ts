/** A realistic result file of the default experiment (MNIST MLP, 2 epochs, 250 steps), for the tests of this folder. */
import { defaultConfig, type ExperimentConfig } from '../config/schema';
import { serialiseLink } from '../config/link';
import { mulberry32 } from '../data/prng';
import type { LabResult } from '../result';
import { OFFLINE_SOURCE } from '../carbon/providers/offline';

export interface FixtureOptions {
  readonly config?: ExperimentConfig;
  readonly backend?: LabResult['backend'];
  readonly accuracy?: number;
  readonly kWh?: number;
  readonly device?: string;
  readonly seed?: number;
  /** Summed wall time of the metered steps, in seconds; `null` leaves it out, as files written before it did. */
  readonly meteredSeconds?: number | null;
  /** The whole energy section, where a test builds it from step records. */
  readonly energy?: LabResult['energy'];
}

/** The result a default run gives, with a noisy 250-step loss curve. */
export function defaultRunResult(o: FixtureOptions = {}): LabResult {
  const config = o.config ?? defaultConfig();
  const random = mulberry32(o.seed ?? 7);
  const kWh = o.kWh ?? 0.000158;
  const steps = 250;
  const metered = o.meteredSeconds === undefined ? { meteredSeconds: 30.12 } : o.meteredSeconds === null ? {} : { meteredSeconds: o.meteredSeconds };
  const lossCurve = Array.from({ length: steps }, (_, i) => 2.3 * Math.exp(-i / 40) + 0.2 + random() * 0.1);
  return {
    schemaVersion: 1,
    createdAt: '2026-12-01T10:00:00.000Z',
    config: structuredClone(config) as unknown as Record<string, unknown>,
    link: `http://127.0.0.1:4173/#${serialiseLink(config)}`,
    backend: o.backend ?? 'webgpu',
    backendExplanation: 'WebGPU is available and was chosen first.',
    adapter: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: false },
    data: { name: 'MNIST (10,000 digits)', trainExamples: 8000, testExamples: 2000 },
    metrics: { testAccuracy: o.accuracy ?? 0.9135, trainLoss: 0.2871234, epochs: 2, steps, samplesPerSecond: 452.123, wallSeconds: 35.41 },
    outcome: 'finished',
    epochs: [1, 2].map((epoch) => ({ epoch, trainLoss: 0.5 / epoch, trainAccuracy: 0.8, testLoss: 0.4, testAccuracy: 0.9 })),
    lossCurve,
    energy: o.energy !== undefined ? o.energy : {
      kWh,
      low: kWh * 0.6,
      high: kWh * 1.5,
      byComponent: { gpu: 0, cpu: kWh * 0.9, ram: kWh * 0.1 },
      pue: 1,
      deviceProfile: o.device ?? 'Software rendering (SwiftShader): counted as CPU; Laptop CPU, 2 threads; LPDDR4X laptop memory, 8 GB',
      method: 'duty-cycle',
      byEpoch: [{ epoch: 1, kWh: kWh / 2, gCO2e: 0.02 }, { epoch: 2, kWh: kWh / 2, gCO2e: 0.02 }],
      ...metered,
    },
    carbon: {
      gCO2e: kWh * 380,
      low: kWh * 0.6 * 380,
      high: kWh * 1.5 * 380,
      region: 'DEU',
      regionName: 'Germany',
      provider: 'offline',
      signal: 'average',
      source: OFFLINE_SOURCE,
      meanIntensity: 380.4567,
      extrapolatedShare: 0,
      intensitySeries: [{ time: 0, intensity: 380 }],
      fallbackNotice: null,
    },
    schedule: null,
    compression: {
      sparsity: 0, precision: 'float32', exportBytes: 407_080, gzipBytes: 376_000, denseFloat32Bytes: 407_080, accuracyBefore: 0.9135, accuracyAfter: 0.9135,
    },
    deployment: null,
  };
}
