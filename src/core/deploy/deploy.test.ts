import { describe, expect, it } from 'vitest';
import { co2 } from '@tgwf/co2';
import { watts } from '../units';
import { cpuProfileById, gpuProfileById, ramProfileById } from '../energy/profiles';
import type { DeviceProfile, PowerVariants } from '../energy/profile-types';
import type { BackendId } from '../config/schema';
import {
  batchingCurve,
  breakEvenRequests,
  cellEnergyWh,
  deploymentRow,
  edgeCloudCurve,
  edgeVsCloud,
  microBatchFor,
  percentile,
  queueingDelayMs,
  recommendDeployment,
  transferGrams,
  type DeployPrecision,
  type DeploymentRow,
} from './index';

const row = (backend: BackendId, precision: DeployPrecision, batchSize: number, p95Ms: number, whPer1000: number, over: Partial<DeploymentRow> = {}): DeploymentRow => ({
  backend, precision, batchSize, p50Ms: p95Ms * 0.8, p95Ms, throughputPerSecond: (1000 * batchSize) / p95Ms,
  whPer1000, whPer1000Low: whPer1000 / 2, whPer1000High: whPer1000 * 2, samples: 20, gzipBytes: 1000, accuracy: null, ...over,
});

/** A hand-made table: the least energy overall (cpu, 128) is far too slow; webgpu is fast but costly. */
const TABLE: DeploymentRow[] = [
  row('webgpu', 'float32', 1, 2, 0.5),
  row('webgpu', 'float32', 32, 4, 0.05),
  row('wasm', 'float32', 1, 0.5, 0.2),
  row('wasm', 'uint8', 32, 6, 0.03),
  row('wasm', 'float32', 128, 25, 0.02),
  row('cpu', 'float32', 128, 400, 0.01),
];

describe('recommendDeployment', () => {
  it('picks the least energy among the configurations that meet the target', () => {
    const r = recommendDeployment(TABLE, { latencyTargetMs: 10 });
    expect(r.meetsTarget).toBe(true);
    expect(r.row).toMatchObject({ backend: 'wasm', precision: 'uint8', batchSize: 32 });
    expect(r.meeting).toBe(4);
    expect(r.reason).toContain('least energy');
  });

  it('never picks a configuration that misses the target when one meets it, at any target', () => {
    for (const target of [0.5, 1, 2, 3, 4, 5, 6, 10, 24, 25, 26, 100, 399, 400, 1000]) {
      const r = recommendDeployment(TABLE, { latencyTargetMs: target });
      const meets = TABLE.filter((x) => x.p95Ms <= target);
      if (meets.length === 0) continue;
      expect(r.meetsTarget).toBe(true);
      expect(r.row!.p95Ms).toBeLessThanOrEqual(target);
      expect(r.row!.whPer1000).toBe(Math.min(...meets.map((x) => x.whPer1000)));
    }
  });

  it('says plainly when no configuration meets the target, and offers the fastest', () => {
    const r = recommendDeployment(TABLE, { latencyTargetMs: 0.1 });
    expect(r.meetsTarget).toBe(false);
    expect(r.meeting).toBe(0);
    expect(r.row).toMatchObject({ backend: 'wasm', batchSize: 1, p95Ms: 0.5 });
    expect(r.reason).toMatch(/^No configuration meets the 0\.10 ms target/);
    expect(r.reason).toContain('misses the target');
  });

  it('leaves out variants that lose too much accuracy, even when they are cheapest', () => {
    const rows = [row('wasm', 'float32', 32, 5, 0.05, { accuracy: 0.95 }), row('wasm', 'pruned', 32, 5, 0.01, { accuracy: 0.9 }), row('wasm', 'uint8', 32, 5, 0.04, { accuracy: 0.945 })];
    const r = recommendDeployment(rows, { latencyTargetMs: 10 });
    expect(r.row?.precision).toBe('uint8');
    expect(r.excluded).toBe(1);
    expect(recommendDeployment(rows, { latencyTargetMs: 10, maxAccuracyDrop: 0.1 }).row?.precision).toBe('pruned');
  });

  it('returns nothing for an empty table and rejects a target that is not positive', () => {
    expect(recommendDeployment([], { latencyTargetMs: 5 }).row).toBeNull();
    expect(() => recommendDeployment(TABLE, { latencyTargetMs: 0 })).toThrow(RangeError);
  });
});

describe('percentile', () => {
  it('is the nearest-rank value', () => {
    const xs = Array.from({ length: 20 }, (_, i) => 20 - i); // 1..20, unsorted
    expect(percentile(xs, 0.5)).toBe(10);
    expect(percentile(xs, 0.95)).toBe(19);
    expect(percentile([7], 0.95)).toBe(7);
  });
});

const band = (idle: number, max: number) => ({ idle: watts(idle), max: watts(max) });
const same = (idle: number, max: number): PowerVariants => ({ low: band(idle, max), typical: band(idle, max), high: band(idle, max) });
/** GPU 10-110 W, CPU 5-45 W, RAM 0 W, 4 threads, separate packages. */
const DEVICE: DeviceProfile = {
  gpu: { ...gpuProfileById('gpu-unknown'), power: same(10, 110) },
  cpu: { ...cpuProfileById('cpu-desktop-small'), power: same(5, 45) },
  ram: { ...ramProfileById('ram-dram'), wattsPerGB: { low: 0, typical: 0, high: 0 } },
  sharing: 'separate',
  logicalCores: 4,
  memoryGB: 8,
};

describe('energy per 1,000 inferences', () => {
  it('runs the GPU at the loop duty cycle on webgpu and one CPU thread on wasm', () => {
    const cell = { precision: 'float32' as const, batchSize: 10, latenciesMs: Array(100).fill(10) as number[], wallMs: 1000, busyMs: 1000 };
    // webgpu: GPU 110 W + CPU (5 + 0.25 x 40 = 15 W, one of four threads) for 1 s = 125 J.
    expect(cellEnergyWh({ ...cell, backend: 'webgpu' }, DEVICE).typical).toBeCloseTo(125 / 3600, 10);
    // wasm: GPU idle 10 W + CPU 15 W for 1 s = 25 J.
    expect(cellEnergyWh({ ...cell, backend: 'wasm' }, DEVICE).typical).toBeCloseTo(25 / 3600, 10);
    const r = deploymentRow({ ...cell, backend: 'wasm' }, { precision: 'float32', gzipBytes: 5, exportBytes: 9, accuracy: 0.9 }, DEVICE)!;
    expect(r.whPer1000).toBeCloseTo(((25 / 3600) * 1000) / 1000, 10); // 1,000 inferences in the loop
    expect(r.throughputPerSecond).toBe(1000);
    expect(r.p95Ms).toBe(10);
  });
});

describe('batching', () => {
  const rows = [
    row('wasm', 'float32', 1, 1, 0.2),
    row('wasm', 'float32', 8, 2, 0.05),
    row('wasm', 'float32', 32, 5, 0.02),
    row('wasm', 'float32', 128, 16, 0.015),
  ];

  it('puts the curve in batch order', () => {
    expect(batchingCurve([...rows].reverse(), 'wasm', 'float32').map((p) => p.batchSize)).toEqual([1, 8, 32, 128]);
  });

  it('adds the time to fill a batch to its latency', () => {
    expect(queueingDelayMs(32, 1000, 5)).toBe(37);
    expect(queueingDelayMs(1, 100, 1)).toBe(11);
  });

  it('picks the cheapest batch that keeps up and meets the target', () => {
    // 1,000 requests/s, 50 ms: batch 128 takes 128 + 16 ms (too slow); 32 takes 37 ms.
    expect(microBatchFor(rows, 1000, 50).batchSize).toBe(32);
    // 10,000 requests/s: batch 128 fills in 12.8 ms, waits 28.8 ms, and its p50 (12.8 ms) just keeps up.
    expect(microBatchFor(rows, 10_000, 50).batchSize).toBe(128);
    // 10 requests/s, 50 ms: even batch 1 waits 100 + 1 ms; nothing fits.
    const none = microBatchFor(rows, 10, 50);
    expect(none.batchSize).toBeNull();
    expect(none.reason).toContain('No measured batch size meets the 50 ms target');
  });

  it('says when no batch size keeps up with the rate', () => {
    const r = microBatchFor(rows, 1_000_000, 1000);
    expect(r.batchSize).toBeNull();
    expect(r.reason).toContain('keeps up');
  });
});

describe('edge against cloud (SWD v4)', () => {
  const swd = new co2({ model: 'swd', version: 4 });
  const sizes = { modelBytes: 200_000, requestBytes: 3_200 };

  it('computes transfer grams exactly as @tgwf/co2 does', () => {
    for (const bytes of [0, 1, 3_200, 200_000, 1e9]) {
      expect(transferGrams(bytes)).toBe(swd.perByte(bytes));
      expect(transferGrams(bytes, true)).toBe(swd.perByte(bytes, true));
    }
    // 1 GB at 0.3 kWh/GB and 494 g/kWh (SWD v4 constants).
    expect(transferGrams(1e9)).toBeCloseTo(148.2, 6);
  });

  it('sends the model once per device at the edge and every request to the cloud', () => {
    const c = edgeVsCloud(sizes, 100, 10);
    expect(c.edgeGrams).toBeCloseTo(swd.perByte(200_000 * 100), 12);
    expect(c.cloudGrams).toBeCloseTo(swd.perByte(3_200 * 100 * 10), 12);
    expect(c.cheaper).toBe('cloud');
    expect(edgeVsCloud(sizes, 100, 100).cheaper).toBe('edge');
  });

  it('breaks even at model bytes over request bytes, where both sides are equal', () => {
    const r = breakEvenRequests(sizes);
    expect(r).toBe(62.5);
    expect(swd.perByte(sizes.modelBytes)).toBeCloseTo(swd.perByte(sizes.requestBytes * r), 12);
    const c = edgeVsCloud(sizes, 10, 62.5);
    expect(c.cheaper).toBe('equal');
    // 10,000 requests in all: fewer than 160 devices is cheaper at the edge.
    expect(edgeVsCloud(sizes, 50, 200).breakEvenDevices).toBe(160);
    expect(breakEvenRequests({ modelBytes: 1, requestBytes: 0 })).toBe(Infinity);
  });

  it('draws a flat edge line and a rising cloud line that cross at the break-even', () => {
    const curve = edgeCloudCurve(sizes, 125, 3);
    expect(curve.requests).toEqual([0, 62.5, 125]);
    expect(curve.edge[0]).toBe(curve.edge[2]);
    expect(curve.cloud[0]).toBe(0);
    expect(curve.cloud[1]).toBeCloseTo(curve.edge[1]!, 12);
    expect(curve.cloud[2]).toBeGreaterThan(curve.edge[2]!);
  });
});

describe('the result section', () => {
  it('matches the result schema, with the recommendation, micro-batch and transfer', async () => {
    const { safeParse } = await import('valibot');
    const { DeploymentSectionSchema } = await import('../result');
    const { analyseDeployment, deploymentSection } = await import('./analysis');
    const cell = (backend: BackendId, batchSize: number, ms: number) => ({ backend, precision: 'float32' as const, batchSize, latenciesMs: Array(10).fill(ms) as number[], wallMs: 10 * ms, busyMs: 10 * ms });
    const m = {
      cells: [cell('wasm', 1, 1), cell('wasm', 32, 4), cell('cpu', 1, 3)],
      variants: [{ precision: 'float32' as const, gzipBytes: 40_000, exportBytes: 50_000, accuracy: 0.9 }],
      skipped: [{ backend: 'webgpu' as const, precision: null, batchSize: null, reason: 'no adapter' }],
      trainingBackend: 'wasm' as const, inputShape: [28, 28, 1], outputSize: 10, prunedSparsity: 0.5, seconds: 3,
    };
    const settings = { latencyTargetMs: 5, requestsPerSecond: 1000, devices: 100, requestsPerDevice: 10 };
    const a = analyseDeployment(m, DEVICE, 1, settings);
    expect(a.recommendation.row).toMatchObject({ backend: 'wasm', batchSize: 32 });
    const section = deploymentSection(m, a, settings, 'test device', 1);
    expect(safeParse(DeploymentSectionSchema, section).issues).toBeUndefined();
    expect(section.transfer?.requestBytes).toBe(4 * (784 + 10));
    expect(section.transfer?.breakEvenRequestsPerDevice).toBeCloseTo(40_000 / 3_176, 10);
    // 1,000 requests/s: a batch of 32 takes 32 ms to fill, past the 5 ms target; single requests keep up.
    expect(section.microBatch?.batchSize).toBe(1);
  });
});
