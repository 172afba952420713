import { codeCarbonRow, toCodeCarbonCsv, toCodeCarbonJson } from '../carbon/codecarbon';
import { averageCodeName } from '../carbon/providers/offline';
import type { DeviceProfile } from '../energy/profile-types';
import type { RunFootprint } from './run';

/** What the exports say about the run besides its footprint; all of it plain, non-secret data. */
export interface RunIdentity {
  readonly endedAt: number;
  readonly runId: string;
  /** The share link's hash: the experiment, so a row can be traced back to its settings. */
  readonly experimentId: string;
  /** Alpha-3 code (or WORLD) of the country the carbon figure is for. */
  readonly country: string;
  readonly os: string;
  readonly gpuModel: string;
  readonly profile: DeviceProfile;
}

/** The run as CodeCarbon's emissions.csv (header and one row). Pure. */
export function emissionsCsv(footprint: RunFootprint, run: RunIdentity): string {
  return toCodeCarbonCsv([rowOf(footprint, run)]);
}

/** The same row as CodeCarbon-style JSON. Pure. */
export function emissionsJson(footprint: RunFootprint, run: RunIdentity): string {
  return toCodeCarbonJson([rowOf(footprint, run)]);
}

function rowOf(footprint: RunFootprint, run: RunIdentity) {
  return codeCarbonRow({
    endedAt: run.endedAt,
    projectName: 'carbon-aware-training-lab',
    runId: run.runId,
    experimentId: run.experimentId,
    durationS: footprint.durationS,
    energy: footprint.energy,
    meanPowerW: footprint.meanPowerW,
    gCO2e: footprint.carbon.gCO2e,
    countryName: averageCodeName(run.country),
    countryIsoCode: run.country,
    region: footprint.carbon.region,
    os: run.os,
    cpuCount: run.profile.logicalCores,
    cpuModel: run.profile.cpu.label,
    gpuCount: run.profile.gpu.form === 'none' ? 0 : 1,
    gpuModel: run.gpuModel,
    ramTotalGB: run.profile.memoryGB,
  });
}
