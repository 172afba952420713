import type { Watts } from '../units';

/** The three hardware components the power model accounts for. */
export type Component = 'gpu' | 'cpu' | 'ram';

/** Which end of a profile's uncertainty range a figure belongs to. */
export type Variant = 'low' | 'typical' | 'high';

/** The variants in the order reports list them. */
export const VARIANTS: readonly Variant[] = ['low', 'typical', 'high'];

/** Power of one component when idle and when fully busy. */
export interface PowerBand {
  readonly idle: Watts;
  readonly max: Watts;
}

/** A power band for each end of the range and its middle. */
export type PowerVariants = Readonly<Record<Variant, PowerBand>>;

/**
 * How a device's power is split between the GPU and CPU rows.
 * - `separate`: a discrete GPU with its own power budget, next to the CPU.
 * - `gpu-includes-cpu`: one package (Apple M-series, Intel/AMD integrated graphics, a phone SoC)
 *   whose whole power sits in the GPU row; the CPU row is zero and says so.
 * - `cpu-includes-gpu`: no real GPU (SwiftShader, WARP, llvmpipe, no adapter): the "GPU" work runs
 *   on the CPU, whose row carries all the power; the GPU row is zero and says so.
 */
export type PackageSharing = 'separate' | 'gpu-includes-cpu' | 'cpu-includes-gpu';

/** Form factor of a GPU row. */
export type GpuForm = 'discrete' | 'integrated' | 'soc' | 'software' | 'none';

/** A GPU power row. Values are board power (TGP/TBP) for discrete cards, package power otherwise. */
export interface GpuProfile {
  readonly id: string;
  readonly component: 'gpu';
  /** Lower-case vendor as WebGPU reports it (`nvidia`, `amd`, `intel`, `apple`, ...). */
  readonly vendor: string;
  /** Normalised WebGPU `architecture` strings this row covers (see `normaliseArchitecture`). */
  readonly architectures: readonly string[];
  readonly form: GpuForm;
  /** Human-readable name shown in the profile picker. */
  readonly label: string;
  readonly power: PowerVariants;
  /** Public source of the figures, in words and URLs. */
  readonly source: string;
}

/** Rough class of a CPU, used with its thread count to pick a row. */
export type CpuClass = 'laptop' | 'desktop' | 'workstation' | 'apple-silicon' | 'mobile';

/** A CPU power row for a class and a range of logical thread counts. */
export interface CpuProfile {
  readonly id: string;
  readonly component: 'cpu';
  readonly cpuClass: CpuClass;
  /** Inclusive range of `navigator.hardwareConcurrency` this row covers. */
  readonly minThreads: number;
  readonly maxThreads: number;
  readonly label: string;
  readonly power: PowerVariants;
  readonly source: string;
}

/** Memory power per gigabyte; RAM power is treated as constant while a machine is on. */
export interface RamProfile {
  readonly id: string;
  readonly component: 'ram';
  readonly label: string;
  readonly wattsPerGB: Readonly<Record<Variant, number>>;
  readonly source: string;
}

/** A whole device: the rows chosen for each component plus the facts they are scaled by. */
export interface DeviceProfile {
  readonly gpu: GpuProfile;
  readonly cpu: CpuProfile;
  readonly ram: RamProfile;
  readonly sharing: PackageSharing;
  /** Logical CPU threads (`navigator.hardwareConcurrency`). */
  readonly logicalCores: number;
  /** Installed memory in GB, as reported or assumed. */
  readonly memoryGB: number;
}
