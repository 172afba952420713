import { describe, expect, it } from 'vitest';
import { fraction, seconds, wattHours, watts } from '../units';
import { cpuProfileById, gpuProfileById, ramProfileById } from './profiles';
import { busyFractions, busyWatts, runWatts, componentPower, createEnergyMeter, energyReport, meanPower, stepEnergy, type StepRecord } from './power';
import type { DeviceProfile, GpuProfile, PackageSharing, PowerVariants } from './profile-types';

const band = (idle: number, max: number) => ({ idle: watts(idle), max: watts(max) });
const variants = (low: [number, number], typical: [number, number], high: [number, number]): PowerVariants => ({
  low: band(...low),
  typical: band(...typical),
  high: band(...high),
});

/** A device with round numbers: GPU 10-110 W typical, CPU 5-45 W typical, RAM 0.5 W/GB x 8 GB, 4 threads. */
function device(sharing: PackageSharing = 'separate'): DeviceProfile {
  const gpu: GpuProfile = { ...gpuProfileById('gpu-unknown'), power: variants([5, 55], [10, 110], [20, 220]) };
  return {
    gpu,
    cpu: { ...cpuProfileById('cpu-desktop-small'), power: variants([5, 45], [5, 45], [5, 45]) },
    ram: { ...ramProfileById('ram-dram'), wattsPerGB: { low: 0.5, typical: 0.5, high: 0.5 } },
    sharing,
    logicalCores: 4,
    memoryGB: 8,
  };
}

const step = (over: Partial<StepRecord> = {}): StepRecord => ({ startTime: 1_000_000, wallMs: 1000, busyMs: 500, gpuKernelMs: 250, epoch: 0, ...over });

describe('componentPower', () => {
  it('is idle plus the busy share of the headroom', () => {
    expect(componentPower(band(10, 110), fraction(0))).toBe(10);
    expect(componentPower(band(10, 110), fraction(0.25))).toBe(35);
    expect(componentPower(band(10, 110), fraction(1))).toBe(110);
  });
});

describe('stepEnergy', () => {
  it('uses GPU kernel time as the GPU busy fraction when timestamps are available', () => {
    // GPU: 10 + 0.25 x 100 = 35 W; CPU: busy 0.5 x 1 of 4 threads = 0.125 -> 5 + 0.125 x 40 = 10 W; RAM: 4 W. 1 s.
    const e = stepEnergy(step(), device());
    expect(e.busySource).toBe('timestamp-query');
    expect(e.gpuBusy).toBe(0.25);
    expect(e.cpuBusy).toBe(0.125);
    expect(e.byComponent.gpu.typical).toBeCloseTo(35);
    expect(e.byComponent.cpu.typical).toBeCloseTo(10);
    expect(e.byComponent.ram.typical).toBeCloseTo(4);
    expect(e.total.typical).toBeCloseTo(49);
  });

  it('falls back to the loop duty cycle without timestamps', () => {
    // GPU busy 0.5 -> 10 + 50 = 60 W.
    const e = stepEnergy(step({ gpuKernelMs: null }), device());
    expect(e.busySource).toBe('duty-cycle');
    expect(e.byComponent.gpu.typical).toBeCloseTo(60);
  });

  it('gives a low-typical-high range from the profile variants', () => {
    // GPU low: 5 + 0.25 x 50 = 17.5 W; high: 20 + 0.25 x 200 = 70 W.
    const e = stepEnergy(step(), device());
    expect(e.byComponent.gpu.low).toBeCloseTo(17.5);
    expect(e.byComponent.gpu.high).toBeCloseTo(70);
  });

  it('multiplies by the PUE', () => {
    expect(stepEnergy(step(), device(), { pue: 1.5 }).total.typical).toBeCloseTo(73.5);
  });

  it('scales with wall time', () => {
    expect(stepEnergy(step({ wallMs: 2000, busyMs: 1000, gpuKernelMs: 500 }), device()).total.typical).toBeCloseTo(98);
  });

  it('counts more CPU threads when told the training uses them', () => {
    // busy 0.5 x 2 of 4 threads = 0.25 -> 5 + 10 = 15 W.
    expect(stepEnergy(step(), device(), { cpuThreads: 2 }).byComponent.cpu.typical).toBeCloseTo(15);
  });

  it('clamps busy fractions to [0, 1]', () => {
    const e = stepEnergy(step({ busyMs: 5000, gpuKernelMs: 4000 }), device());
    expect(e.gpuBusy).toBe(1);
    expect(e.byComponent.gpu.typical).toBeCloseTo(110);
  });

  it('charges only the package row when CPU and GPU share one package', () => {
    // Package busy = max(GPU 0.25, CPU 0.125) = 0.25 -> 35 W; the CPU row of a shared device is zero.
    const d: DeviceProfile = { ...device('gpu-includes-cpu'), cpu: cpuProfileById('cpu-in-soc') };
    const e = stepEnergy(step(), d);
    expect(e.byComponent.gpu.typical).toBeCloseTo(35);
    expect(e.byComponent.cpu.typical).toBe(0);
  });

  it('charges the CPU at the larger of its duty cycle and the GPU work when the GPU is software', () => {
    // All 4 threads by default: busy = max(0.25, 0.5) = 0.5 -> 5 + 20 = 25 W.
    const d: DeviceProfile = { ...device('cpu-includes-gpu'), gpu: gpuProfileById('software-gpu') };
    const e = stepEnergy(step(), d);
    expect(busyFractions(step(), d).cpu).toBe(0.5);
    expect(e.byComponent.cpu.typical).toBeCloseTo(25);
    expect(e.byComponent.gpu.typical).toBe(0);
  });

  it('refuses a negative wall time and a PUE below 1', () => {
    expect(() => stepEnergy(step({ wallMs: -1 }), device())).toThrow(RangeError);
    expect(() => stepEnergy(step(), device(), { pue: 0.9 })).toThrow(RangeError);
  });

  it('gives zero energy, not NaN, for a zero-length step', () => {
    expect(stepEnergy(step({ wallMs: 0, busyMs: 0, gpuKernelMs: 0 }), device()).total.typical).toBe(0);
  });
});

describe('createEnergyMeter', () => {
  it('sums steps per epoch and per run', () => {
    const meter = createEnergyMeter(device());
    meter.record(step({ epoch: 0, startTime: 0 }));
    meter.record(step({ epoch: 0, startTime: 1000 }));
    meter.record(step({ epoch: 1, startTime: 2000, gpuKernelMs: null }));
    const epochs = meter.epochs();
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1]);
    expect(epochs[0]?.total.typical).toBeCloseTo(98);
    expect(epochs[0]?.method).toBe('timestamp-query');
    // Epoch 1 without timestamps: 60 + 10 + 4 = 74 J.
    expect(epochs[1]?.total.typical).toBeCloseTo(74);
    const total = meter.total();
    expect(total.total.typical).toBeCloseTo(172);
    expect(total.steps).toBe(3);
    expect(total.method).toBe('mixed');
    expect(total.startTime).toBe(0);
    expect(total.endTime).toBe(3000);
  });

  it('reports kWh, the range and the method for the result file', () => {
    // A GPU at 1000 W for an hour is 1 kWh.
    const gpu: GpuProfile = { ...gpuProfileById('gpu-unknown'), power: variants([0, 500], [0, 1000], [0, 2000]) };
    const d: DeviceProfile = { ...device(), gpu, cpu: cpuProfileById('cpu-in-soc'), ram: ramProfileById('ram-in-soc') };
    const meter = createEnergyMeter(d, { pue: 1 });
    meter.record({ startTime: 0, wallMs: 3_600_000, busyMs: 3_600_000, gpuKernelMs: 3_600_000, epoch: 0 });
    const report = energyReport(meter.total(), d, meter.pue);
    expect(report.kWh).toBeCloseTo(1);
    expect(report.low).toBeCloseTo(0.5);
    expect(report.high).toBeCloseTo(2);
    expect(report.byComponent.gpu).toBeCloseTo(1);
    expect(report.method).toBe('timestamp-query');
    expect(report.meteredSeconds).toBe(3600);
    expect(meanPower(meter.total()).gpu).toBeCloseTo(1000);
  });

  it('gives a short run the same mean power however long its steps took, so a re-run can check it', () => {
    // Step wall times (ms) of one 7-step cpu run, measured in a warm worker and in a fresh page
    // (see src/core/results/compare.test.ts); on cpu the loop is busy the whole step.
    const run = (wallMs: readonly number[]) => {
      const meter = createEnergyMeter(device('cpu-includes-gpu'));
      for (const ms of wallMs) meter.record(step({ wallMs: ms, busyMs: ms, gpuKernelMs: null }));
      return energyReport(meter.total(), device('cpu-includes-gpu'), 1);
    };
    const warm = run([6.2, 1.8, 0.8, 4.0, 7.5, 1.1, 5.6]);
    const cold = run([29.8, 139.5, 6.8, 5.6, 18.5, 1.7, 29.9]);
    expect(warm.meteredSeconds).toBeCloseTo(0.027);
    expect(cold.meteredSeconds).toBeCloseTo(0.2318);
    expect(cold.kWh / warm.kWh).toBeCloseTo(0.2318 / 0.027);
    // Both rows at full duty (GPU 110 W, CPU 45 W typical) plus RAM 4 W: 159 W in both.
    expect(warm.kWh / warm.meteredSeconds).toBeCloseTo(cold.kWh / cold.meteredSeconds, 12);
    expect((warm.kWh * 3.6e6) / warm.meteredSeconds).toBeCloseTo(159);
  });

  it('starts empty with method none and zero energy', () => {
    const total = createEnergyMeter(device()).total();
    expect(total.method).toBe('none');
    expect(total.total.typical).toBe(0);
    expect(total.startTime).toBeNull();
  });
});

describe('busyWatts', () => {
  it('counts the GPU busy on a GPU backend and idle on a CPU backend', () => {
    const d = device();
    // Typical bands: GPU 10-110 W, CPU 5-45 W, RAM 0.5 W/GB x 8 GB.
    expect(busyWatts(d, 'webgpu') - busyWatts(d, 'wasm')).toBeCloseTo(100, 6);
    expect(busyWatts(d, 'webgl')).toBe(busyWatts(d, 'webgpu'));
    expect(busyWatts(d, 'cpu')).toBe(busyWatts(d, 'wasm'));
  });
});

describe('runWatts', () => {
  it('is the energy so far over the training time', () => {
    expect(runWatts(wattHours(1), seconds(60), watts(30))).toBeCloseTo(60, 9);
  });

  it('falls back before any energy or time is known', () => {
    expect(runWatts(null, seconds(10), watts(30))).toBe(30);
    expect(runWatts(wattHours(1), seconds(0), watts(30))).toBe(30);
  });
});
