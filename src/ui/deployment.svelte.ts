/**
 * The deployment benchmark on the page: runs it in the worker through the Lab's bridge, turns the
 * timings into energy with the footprint's device profile, and holds the user's latency target,
 * request rate and edge-against-cloud settings. Everything shown is derived from those.
 */
import type { DeviceProfile } from '../core/energy/profile-types';
import { analyseDeployment, deploymentSection, type DeploymentAnalysis, type DeploymentMeasurement, type DeploymentRequest, type DeploymentSettings } from '../core/deploy';
import type { DeploymentSection } from '../core/result';
import { isCancellation, type WorkerBridge } from './bridge';

/** What the page needs from the Lab to benchmark deployment. */
export interface DeploymentHost {
  readonly worker: Pick<WorkerBridge, 'benchmarkDeployment'>;
  /** The footprint's chosen device profile and the PUE; null before a run chose one. */
  device(): { profile: DeviceProfile; pue: number; label: string } | null;
}

export class Deployment {
  measurement = $state.raw<DeploymentMeasurement | null>(null);
  /** p95 latency a batch must meet, ms. */
  latencyTargetMs = $state(20);
  requestsPerSecond = $state(200);
  /** Bytes per request and response; null: the input and output as float32. */
  requestBytes = $state<number | null>(null);
  devices = $state(1000);
  requestsPerDevice = $state(100);
  busy = $state(false);
  error = $state<string | null>(null);

  /** Aborted by `cancel` (a Reset). */
  private calls = new AbortController();

  constructor(private readonly host: DeploymentHost) {}

  readonly settings: DeploymentSettings = $derived({
    latencyTargetMs: this.latencyTargetMs > 0 ? this.latencyTargetMs : 1,
    requestsPerSecond: this.requestsPerSecond > 0 ? this.requestsPerSecond : 1,
    ...(this.requestBytes !== null && this.requestBytes >= 0 ? { requestBytes: this.requestBytes } : {}),
    devices: Math.max(0, this.devices),
    requestsPerDevice: Math.max(0, this.requestsPerDevice),
  });

  /** Table, recommendation, batching and edge-against-cloud; null before a benchmark or without a device profile. */
  readonly analysis: DeploymentAnalysis | null = $derived.by(() => {
    const device = this.host.device();
    return this.measurement && device ? analyseDeployment(this.measurement, device.profile, device.pue, this.settings) : null;
  });

  /** Drops the benchmark in flight (its answer is ignored) and clears the busy state at once. */
  cancel(): void {
    this.calls.abort();
    this.calls = new AbortController();
    this.busy = false;
  }

  /** A new run starts: its model replaces the benchmarked one. */
  clear(): void {
    this.measurement = null;
    this.error = null;
  }

  /** Benchmarks the trained model in the worker; resolves when the table is ready (or the error is set). */
  async run(request: DeploymentRequest = {}): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    const signal = this.calls.signal;
    try {
      this.measurement = await this.host.worker.benchmarkDeployment(request, signal);
    } catch (e) {
      if (!isCancellation(e)) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (!signal.aborted) this.busy = false;
    }
  }

  /** The result file's `deployment` section, or null before a benchmark. */
  section(): DeploymentSection | null {
    const device = this.host.device();
    const a = this.analysis;
    return this.measurement && a && device ? deploymentSection(this.measurement, a, this.settings, device.label, device.pue) : null;
  }
}
