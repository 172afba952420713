/** Everything the page and the result file show, from one measurement and the user's settings. Pure. */
import type { DeviceProfile } from '../energy/profile-types';
import type { DeploymentSection } from '../result';
import { batchingCurve, microBatchFor, type BatchPoint, type MicroBatchChoice } from './batching';
import { recommendDeployment, type DeploymentRecommendation } from './recommend';
import { deploymentTable } from './table';
import { breakEvenRequests, edgeVsCloud, float32RequestBytes, transferGrams, type EdgeCloudComparison, type TransferSizes } from './transfer';
import type { DeploymentMeasurement, DeploymentRow } from './types';

/** What the user sets. */
export interface DeploymentSettings {
  readonly latencyTargetMs: number;
  readonly maxAccuracyDrop?: number;
  /** Requests per second the served model must handle, for the micro-batch. */
  readonly requestsPerSecond: number;
  /** Bytes of one request and its response; default the input and output as float32. */
  readonly requestBytes?: number;
  /** Devices and requests per device, for the edge-against-cloud comparison. */
  readonly devices: number;
  readonly requestsPerDevice: number;
  /** The model and the server are hosted on renewable energy (SWD's green hosting). */
  readonly greenHosting?: boolean;
}

export interface DeploymentAnalysis {
  readonly table: readonly DeploymentRow[];
  readonly recommendation: DeploymentRecommendation;
  /** Energy per inference against batch size, for the recommended backend and precision. */
  readonly curve: readonly BatchPoint[];
  readonly microBatch: MicroBatchChoice | null;
  readonly transfer: TransferSizes | null;
  readonly comparison: EdgeCloudComparison | null;
}

/** Table, recommendation, batching and edge-against-cloud for a measurement on a device profile. */
export function analyseDeployment(m: DeploymentMeasurement, profile: DeviceProfile, pue: number, settings: DeploymentSettings): DeploymentAnalysis {
  const table = deploymentTable(m, profile, pue);
  const recommendation = recommendDeployment(table, { latencyTargetMs: settings.latencyTargetMs, maxAccuracyDrop: settings.maxAccuracyDrop });
  const row = recommendation.row;
  const same = row ? table.filter((r) => r.backend === row.backend && r.precision === row.precision) : [];
  const curve = row ? batchingCurve(table, row.backend, row.precision) : [];
  const microBatch = row ? microBatchFor(same, settings.requestsPerSecond, settings.latencyTargetMs) : null;
  const transfer: TransferSizes | null = row
    ? { modelBytes: row.gzipBytes, requestBytes: settings.requestBytes ?? float32RequestBytes(m.inputShape, m.outputSize), green: settings.greenHosting ?? false }
    : null;
  const comparison = transfer ? edgeVsCloud(transfer, settings.devices, settings.requestsPerDevice) : null;
  return { table, recommendation, curve, microBatch, transfer, comparison };
}

/** The result file's `deployment` section. */
export function deploymentSection(m: DeploymentMeasurement, a: DeploymentAnalysis, settings: DeploymentSettings, deviceProfile: string, pue: number): DeploymentSection {
  const r = a.recommendation.row;
  const breakEven = a.transfer ? breakEvenRequests(a.transfer) : null;
  return {
    latencyTargetMs: settings.latencyTargetMs,
    recommended: r ? { backend: r.backend, precision: r.precision, batchSize: r.batchSize } : null,
    meetsTarget: a.recommendation.meetsTarget,
    reason: a.recommendation.reason,
    deviceProfile,
    pue,
    table: a.table.map((row) => ({ ...row })),
    skipped: m.skipped.map((s) => ({ ...s })),
    microBatch: a.microBatch ? { requestsPerSecond: settings.requestsPerSecond, batchSize: a.microBatch.batchSize, reason: a.microBatch.reason } : null,
    transfer: a.transfer
      ? {
          modelBytes: a.transfer.modelBytes,
          requestBytes: a.transfer.requestBytes,
          breakEvenRequestsPerDevice: breakEven !== null && Number.isFinite(breakEven) ? breakEven : null,
          edgeGramsPerDevice: transferGrams(a.transfer.modelBytes, a.transfer.green),
          cloudGramsPerRequest: transferGrams(a.transfer.requestBytes, a.transfer.green),
        }
      : null,
    benchmarkSeconds: m.seconds,
  };
}
