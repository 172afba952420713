/**
 * From raw timings to the deployment table: percentiles, throughput and energy per 1,000
 * inferences on a device profile. Pure.
 */
import type { BackendId } from '../config/schema';
import { stepEnergy } from '../energy/power';
import type { DeviceProfile } from '../energy/profile-types';
import { wattHoursFromJoules } from '../units';
import type { CellTiming, DeploymentMeasurement, DeploymentRow, ModelVariant } from './types';

/** Nearest-rank percentile (`q` in (0, 1]) of a non-empty list: the ceil(q n)-th smallest value. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  if (!(q > 0 && q <= 1)) throw new RangeError(`percentile needs q in (0, 1], got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.ceil(q * sorted.length)) - 1]!;
}

/** Backends whose kernels run on the GPU; wasm and cpu run on one CPU thread here. */
const onGpu = (backend: BackendId): boolean => backend === 'webgpu' || backend === 'webgl';

/**
 * Energy of a cell's timed loop, by the lab's power model (src/core/energy/README.md): the loop
 * is one "step" whose duty cycle is busy time over wall time. On webgpu and webgl the GPU is busy
 * at that duty cycle (as in training without timestamp queries); on wasm and cpu the GPU is idle
 * (kernel time 0) and one CPU thread is busy. Idle power of every component is included: this is
 * the device's energy while it serves, attributed to the inferences served.
 */
export function cellEnergyWh(cell: CellTiming, profile: DeviceProfile, pue = 1): { low: number; typical: number; high: number } {
  const gpu = onGpu(cell.backend);
  const e = stepEnergy(
    { startTime: 0, wallMs: cell.wallMs, busyMs: Math.min(cell.busyMs, cell.wallMs), gpuKernelMs: gpu ? null : 0, epoch: 0 },
    profile,
    gpu ? { pue } : { pue, cpuThreads: 1 },
  );
  return { low: wattHoursFromJoules(e.total.low), typical: wattHoursFromJoules(e.total.typical), high: wattHoursFromJoules(e.total.high) };
}

/** One row of the table from a cell's timings; null when the cell timed nothing. */
export function deploymentRow(cell: CellTiming, variant: ModelVariant | undefined, profile: DeviceProfile, pue = 1): DeploymentRow | null {
  const n = cell.latenciesMs.length;
  if (n === 0 || !(cell.wallMs > 0)) return null;
  const inferences = n * cell.batchSize;
  const wh = cellEnergyWh(cell, profile, pue);
  const per1000 = (x: number) => (x * 1000) / inferences;
  return {
    backend: cell.backend,
    precision: cell.precision,
    batchSize: cell.batchSize,
    p50Ms: percentile(cell.latenciesMs, 0.5),
    p95Ms: percentile(cell.latenciesMs, 0.95),
    throughputPerSecond: inferences / (cell.wallMs / 1000),
    whPer1000: per1000(wh.typical),
    whPer1000Low: per1000(wh.low),
    whPer1000High: per1000(wh.high),
    samples: n,
    gzipBytes: variant?.gzipBytes ?? 0,
    accuracy: variant?.accuracy ?? null,
  };
}

/** The whole table of a measurement on a device profile, in the benchmark's order. */
export function deploymentTable(measurement: DeploymentMeasurement, profile: DeviceProfile, pue = 1): DeploymentRow[] {
  return measurement.cells
    .map((cell) => deploymentRow(cell, measurement.variants.find((v) => v.precision === cell.precision), profile, pue))
    .filter((row): row is DeploymentRow => row !== null);
}
