import {
  cpuProfileById,
  cpuProfileFor,
  customGpuProfile,
  gpuProfileById,
  ramProfileById,
  type DeviceProfile,
  type GpuProfile,
  type ProfileMatch,
} from '../energy/profiles';
import type { ExperimentConfig } from '../config/schema';

/** The profile a run is metered with, and in plain words why. */
export interface ChosenProfile {
  readonly profile: DeviceProfile;
  readonly reason: string;
  /** 'auto' when matched from the adapter, 'picked' for a row the user chose, 'custom' for typed watts. */
  readonly chosenBy: 'auto' | 'picked' | 'custom';
}

/**
 * A whole device built around a GPU row the user picked: the CPU and RAM rows follow the row's
 * form the same way `matchProfile` does (an integrated or SoC GPU carries the CPU's power, a
 * software GPU or none puts everything in the CPU row).
 */
export function profileWithGpu(gpu: GpuProfile, threads: number, memoryGB: number): DeviceProfile {
  const shared = gpu.form === 'integrated' || gpu.form === 'soc';
  const onCpu = gpu.form === 'software' || gpu.form === 'none';
  const cpuClass = threads > 32 ? 'workstation' : threads > 8 ? 'desktop' : 'laptop';
  return {
    gpu,
    cpu: shared ? cpuProfileById('cpu-in-soc') : cpuProfileFor(cpuClass, threads),
    ram: gpu.form === 'soc' ? ramProfileById('ram-in-soc') : ramProfileById('ram-dram'),
    sharing: shared ? 'gpu-includes-cpu' : onCpu ? 'cpu-includes-gpu' : 'separate',
    logicalCores: threads,
    memoryGB,
  };
}

/**
 * Apply the user's energy settings to the automatic match. Custom watts describe the whole
 * device (as a wall-plug meter or a spec sheet would), so CPU and RAM rows are zero then.
 * A custom choice without watts, or an unknown row id, falls back to the match and says so.
 */
export function resolveProfile(match: ProfileMatch, energy: ExperimentConfig['energy']): ChosenProfile {
  const { logicalCores, memoryGB } = match.profile;
  if (energy.profile === 'custom') {
    if (energy.customMaxWatts > 0) {
      const idle = Math.min(energy.customIdleWatts, energy.customMaxWatts);
      const gpu = customGpuProfile(`Your device: ${idle} W idle, ${energy.customMaxWatts} W under load`, idle, energy.customMaxWatts);
      return {
        profile: { gpu, cpu: cpuProfileById('cpu-in-soc'), ram: ramProfileById('ram-in-soc'), sharing: 'gpu-includes-cpu', logicalCores, memoryGB },
        reason: `You entered your device's power: ${idle} W idle and ${energy.customMaxWatts} W under full load, used for the whole device (CPU, GPU and memory) with no range.`,
        chosenBy: 'custom',
      };
    }
    return { ...match, reason: `Custom watts were chosen but none entered, so the automatic match applies. ${match.reason}`, chosenBy: 'auto' };
  }
  if (energy.profile !== 'auto') {
    try {
      const gpu = gpuProfileById(energy.profile);
      return {
        profile: profileWithGpu(gpu, logicalCores, memoryGB),
        reason: `You picked "${gpu.label}". The automatic match was: ${match.reason}`,
        chosenBy: 'picked',
      };
    } catch {
      return { ...match, reason: `Unknown device row "${energy.profile}", so the automatic match applies. ${match.reason}`, chosenBy: 'auto' };
    }
  }
  return { profile: match.profile, reason: match.reason, chosenBy: 'auto' };
}
