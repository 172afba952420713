import {
  fraction,
  joules,
  kWhFromJoules,
  watts,
  type Fraction,
  JOULES_PER_WATT_HOUR,
  type Joules,
  type KilowattHours,
  type Seconds,
  type Watts,
  type WattHours,
} from '../units';
import { VARIANTS, type Component, type DeviceProfile, type PowerBand, type Variant } from './profile-types';

/** What the training loop reports for one step; times in milliseconds. */
export interface StepRecord {
  /** Wall-clock start of the step, ms since the Unix epoch (UTC), e.g. from `Date.now()`. */
  readonly startTime: number;
  /** Wall time the step took. */
  readonly wallMs: number;
  /** Part of `wallMs` the training thread was working rather than waiting (its duty cycle). */
  readonly busyMs: number;
  /** GPU kernel time measured with WebGPU `timestamp-query`; null where the adapter lacks it. */
  readonly gpuKernelMs: number | null;
  /** Epoch the step belongs to, counted from 0. */
  readonly epoch: number;
}

/** Energy at the low, typical and high ends of the profile's range. */
export type EnergyRange = Readonly<Record<Variant, Joules>>;
/** Energy per component, each as a range. */
export type ComponentEnergy = Readonly<Record<Component, EnergyRange>>;
/** Power per component, each as a range. */
export type ComponentPower = Readonly<Record<Component, Readonly<Record<Variant, Watts>>>>;

/** How the GPU's busy fraction was obtained. */
export type BusySource = 'timestamp-query' | 'duty-cycle';
/** How a span of steps was measured: all with timestamps, none, a mix, or no steps yet. */
export type MeasurementMethod = BusySource | 'mixed' | 'none';

/** Energy of a span of time, per component and in total. */
export interface EnergyBreakdown {
  readonly byComponent: ComponentEnergy;
  readonly total: EnergyRange;
}

/** One step's busy fractions, power and energy. */
export interface StepEnergy extends EnergyBreakdown {
  readonly startTime: number;
  readonly wallMs: number;
  readonly epoch: number;
  readonly gpuBusy: Fraction;
  readonly cpuBusy: Fraction;
  readonly busySource: BusySource;
  readonly power: ComponentPower;
}

/** Energy summed over a span of steps (an epoch or the run). */
export interface SpanEnergy extends EnergyBreakdown {
  readonly steps: number;
  /** Sum of the steps' wall times; gaps between steps are not counted. */
  readonly wallMs: number;
  /** Start of the first step and end of the last, ms since the epoch; null with no steps. */
  readonly startTime: number | null;
  readonly endTime: number | null;
  readonly method: MeasurementMethod;
}

/** One epoch's energy. */
export interface EpochEnergy extends SpanEnergy {
  readonly epoch: number;
}

/** Settings of the power model beyond the device profile. */
export interface PowerModelOptions {
  /**
   * Power usage effectiveness: facility energy over IT energy. 1.0 for a personal device
   * (no data-centre overhead); must be at least 1.
   */
  readonly pue?: number;
  /**
   * CPU threads the training keeps busy while the loop is busy. Defaults to 1 (one worker thread
   * feeding a GPU), or to every thread when the GPU work itself runs on the CPU.
   */
  readonly cpuThreads?: number;
}

const clampFraction = (x: number): Fraction => fraction(Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** Power of a component at a busy fraction: idle + busy x (max - idle), linear in between. */
export const componentPower = (band: PowerBand, busy: Fraction): Watts => watts(band.idle + busy * (band.max - band.idle));

/** Energy of constant power over a time, in joules: W x s. */
const energyOver = (power: Watts, ms: number, pue: number): Joules => joules((power * ms * pue) / 1000);

const validatePue = (pue: number): number => {
  if (!Number.isFinite(pue) || pue < 1) throw new RangeError(`PUE must be a number of at least 1, got ${pue}`);
  return pue;
};

const validateStep = (step: StepRecord): void => {
  if (!Number.isFinite(step.wallMs) || step.wallMs < 0) throw new RangeError(`Step wall time must be >= 0 ms, got ${step.wallMs}`);
  if (!Number.isFinite(step.startTime)) throw new RangeError(`Step start time must be a finite number, got ${step.startTime}`);
};

/**
 * Busy fractions of the GPU and CPU for one step. The GPU's comes from kernel time where the
 * adapter measured it, else from the loop's duty cycle. The CPU's is the duty cycle scaled by the
 * share of threads in use. Where one package holds both, each side sees the larger of the two.
 */
export function busyFractions(
  step: StepRecord,
  profile: DeviceProfile,
  options: PowerModelOptions = {},
): { readonly gpu: Fraction; readonly cpu: Fraction; readonly source: BusySource } {
  const duty = step.wallMs > 0 ? step.busyMs / step.wallMs : 0;
  const source: BusySource = step.gpuKernelMs === null ? 'duty-cycle' : 'timestamp-query';
  const gpuBusy = clampFraction(step.gpuKernelMs === null ? duty : step.wallMs > 0 ? step.gpuKernelMs / step.wallMs : 0);
  const cores = Math.max(1, profile.logicalCores);
  const defaultThreads = profile.sharing === 'cpu-includes-gpu' ? cores : 1;
  const threadShare = Math.min(1, Math.max(0, options.cpuThreads ?? defaultThreads) / cores);
  const cpuOwn = clampFraction(duty * threadShare);
  switch (profile.sharing) {
    case 'separate':
      return { gpu: gpuBusy, cpu: cpuOwn, source };
    case 'gpu-includes-cpu': {
      const both = clampFraction(Math.max(gpuBusy, cpuOwn));
      return { gpu: both, cpu: both, source };
    }
    case 'cpu-includes-gpu': {
      const both = clampFraction(Math.max(gpuBusy, duty) * threadShare);
      return { gpu: both, cpu: both, source };
    }
  }
}

/** Power of each component at the given busy fractions, at every variant. */
export function devicePower(profile: DeviceProfile, gpuBusy: Fraction, cpuBusy: Fraction): ComponentPower {
  const perVariant = <T>(f: (v: Variant) => T): Readonly<Record<Variant, T>> => ({ low: f('low'), typical: f('typical'), high: f('high') });
  return {
    gpu: perVariant((v) => componentPower(profile.gpu.power[v], gpuBusy)),
    cpu: perVariant((v) => componentPower(profile.cpu.power[v], cpuBusy)),
    ram: perVariant((v) => watts(profile.ram.wattsPerGB[v] * profile.memoryGB)),
  };
}

/**
 * Energy of one step: each component's power, held constant over the step's wall time, times
 * the wall time and the PUE. Pure.
 */
export function stepEnergy(step: StepRecord, profile: DeviceProfile, options: PowerModelOptions = {}): StepEnergy {
  validateStep(step);
  const pue = validatePue(options.pue ?? 1);
  const busy = busyFractions(step, profile, options);
  const power = devicePower(profile, busy.gpu, busy.cpu);
  const range = (c: Component): EnergyRange => ({
    low: energyOver(power[c].low, step.wallMs, pue),
    typical: energyOver(power[c].typical, step.wallMs, pue),
    high: energyOver(power[c].high, step.wallMs, pue),
  });
  const byComponent: ComponentEnergy = { gpu: range('gpu'), cpu: range('cpu'), ram: range('ram') };
  return {
    startTime: step.startTime,
    wallMs: step.wallMs,
    epoch: step.epoch,
    gpuBusy: busy.gpu,
    cpuBusy: busy.cpu,
    busySource: busy.source,
    power,
    byComponent,
    total: sumRanges([byComponent.gpu, byComponent.cpu, byComponent.ram]),
  };
}

const ZERO_RANGE: EnergyRange = { low: joules(0), typical: joules(0), high: joules(0) };

const sumRanges = (ranges: readonly EnergyRange[]): EnergyRange => {
  const out = { low: 0, typical: 0, high: 0 };
  for (const r of ranges) for (const v of VARIANTS) out[v] += r[v];
  return { low: joules(out.low), typical: joules(out.typical), high: joules(out.high) };
};

/** Sum a list of steps into one span. Pure. */
export function sumSteps(steps: readonly StepEnergy[]): SpanEnergy {
  let timed = 0;
  let wallMs = 0;
  let start: number | null = null;
  let end: number | null = null;
  for (const s of steps) {
    if (s.busySource === 'timestamp-query') timed += 1;
    wallMs += s.wallMs;
    start = start === null ? s.startTime : Math.min(start, s.startTime);
    end = end === null ? s.startTime + s.wallMs : Math.max(end, s.startTime + s.wallMs);
  }
  const method: MeasurementMethod =
    steps.length === 0 ? 'none' : timed === steps.length ? 'timestamp-query' : timed === 0 ? 'duty-cycle' : 'mixed';
  const byComponent: ComponentEnergy = {
    gpu: steps.length === 0 ? ZERO_RANGE : sumRanges(steps.map((s) => s.byComponent.gpu)),
    cpu: steps.length === 0 ? ZERO_RANGE : sumRanges(steps.map((s) => s.byComponent.cpu)),
    ram: steps.length === 0 ? ZERO_RANGE : sumRanges(steps.map((s) => s.byComponent.ram)),
  };
  return {
    steps: steps.length, wallMs, startTime: start, endTime: end, method, byComponent,
    total: sumRanges([byComponent.gpu, byComponent.cpu, byComponent.ram]),
  };
}

/** A running tally of step energies, grouped by epoch. */
export interface EnergyMeter {
  /** Add a step; returns its energy. Throws RangeError on a negative or non-finite wall time. */
  record(step: StepRecord): StepEnergy;
  /** Every step recorded so far, in order. */
  steps(): readonly StepEnergy[];
  /** Per-epoch totals, in epoch order. */
  epochs(): readonly EpochEnergy[];
  /** Totals over the whole run so far. */
  total(): SpanEnergy;
  readonly profile: DeviceProfile;
  readonly pue: number;
}

/** A meter for one run on one device profile. Keeps every step in memory (a few hundred bytes each). */
export function createEnergyMeter(profile: DeviceProfile, options: PowerModelOptions = {}): EnergyMeter {
  const pue = validatePue(options.pue ?? 1);
  const recorded: StepEnergy[] = [];
  return {
    profile,
    pue,
    record(step) {
      const e = stepEnergy(step, profile, { ...options, pue });
      recorded.push(e);
      return e;
    },
    steps: () => recorded,
    epochs() {
      const groups = new Map<number, StepEnergy[]>();
      for (const s of recorded) {
        const list = groups.get(s.epoch);
        if (list === undefined) groups.set(s.epoch, [s]);
        else list.push(s);
      }
      return [...groups.entries()].sort(([a], [b]) => a - b).map(([epoch, list]) => ({ epoch, ...sumSteps(list) }));
    },
    total: () => sumSteps(recorded),
  };
}

/** Energy as the headless runner's result JSON reports it (issue 3, item 10). */
export interface EnergyReport {
  /** Typical estimate. */
  readonly kWh: KilowattHours;
  readonly low: KilowattHours;
  readonly high: KilowattHours;
  /** Typical estimate per component. */
  readonly byComponent: Readonly<Record<Component, KilowattHours>>;
  readonly pue: number;
  /** Labels of the GPU, CPU and RAM rows used. */
  readonly deviceProfile: string;
  readonly method: MeasurementMethod;
  /**
   * Seconds the energy was charged over: the summed wall time of the metered steps (gaps between
   * steps are not counted). Energy over it is the run's mean power, which a re-run can check.
   */
  readonly meteredSeconds: number;
}

/** Summarise a span for the result file, in kWh. */
export function energyReport(span: SpanEnergy, profile: DeviceProfile, pue: number): EnergyReport {
  return {
    kWh: kWhFromJoules(span.total.typical),
    low: kWhFromJoules(span.total.low),
    high: kWhFromJoules(span.total.high),
    byComponent: {
      gpu: kWhFromJoules(span.byComponent.gpu.typical),
      cpu: kWhFromJoules(span.byComponent.cpu.typical),
      ram: kWhFromJoules(span.byComponent.ram.typical),
    },
    pue,
    deviceProfile: `${profile.gpu.label}; ${profile.cpu.label}; ${profile.ram.label}, ${profile.memoryGB} GB`,
    method: span.method,
    meteredSeconds: span.wallMs / 1000,
  };
}

/** Mean power of each component over a span (typical), for CodeCarbon's `*_power` columns; 0 W for an empty span. */
export function meanPower(span: SpanEnergy): Readonly<Record<Component, Watts>> {
  const seconds = span.wallMs / 1000;
  const mean = (e: Joules): Watts => watts(seconds > 0 ? e / seconds : 0);
  return { gpu: mean(span.byComponent.gpu.typical), cpu: mean(span.byComponent.cpu.typical), ram: mean(span.byComponent.ram.typical) };
}

/** Whether a tfjs backend runs its kernels on the GPU. */
export const backendUsesGpu = (backend: string): boolean => backend === 'webgpu' || backend === 'webgl';

/**
 * Watts of the device while a forward pass keeps it busy: the profile's typical power with the
 * GPU busy when the backend runs on it, the CPU busy (it drives the backend), and the RAM.
 */
export function busyWatts(profile: DeviceProfile, backend: string): Watts {
  const p = devicePower(profile, fraction(backendUsesGpu(backend) ? 1 : 0), fraction(1));
  return watts(p.gpu.typical + p.cpu.typical + p.ram.typical);
}

/**
 * Mean power of a run so far: its energy estimate over its training time; `fallback` before
 * either is known (no steps yet).
 */
export function runWatts(energy: WattHours | null, trainingSeconds: Seconds, fallback: Watts): Watts {
  return energy !== null && trainingSeconds > 0 ? watts((energy * JOULES_PER_WATT_HOUR) / trainingSeconds) : fallback;
}
